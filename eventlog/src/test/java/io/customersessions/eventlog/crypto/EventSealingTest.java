package io.customersessions.eventlog.crypto;

import io.customersessions.avro.SessionDataKey;
import io.customersessions.domain.CartItem;
import io.customersessions.domain.PersonalData;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionEvent;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.eventlog.serde.AvroWireDeserializer;
import io.customersessions.eventlog.serde.AvroWireSerializer;
import io.customersessions.eventlog.serde.InMemorySchemaRegistry;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParser;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import javax.crypto.SecretKey;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sealing an event's personal data for the log, and reading it back with the production deserializer. */
class EventSealingTest {

    private static final String TOPIC = "customer-session-events";
    private static final SessionKey SESSION = new SessionKey(1, "s-1");
    private static final Instant TIME = Instant.parse("2026-11-01T10:00:00Z");

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final AvroWireSerializer serializer = new AvroWireSerializer(registry);
    private final SecureRandom random = new SecureRandom();
    private final Map<String, SessionDataKey> keyTopic = new HashMap<>();
    private final UnsealingEventDeserializer reader = new UnsealingEventDeserializer(
            new AvroWireDeserializer(registry, true),
            (sessionKey, keyId) -> Optional.ofNullable(keyTopic.get(sessionKey))
                    .filter(key -> key.getKeyId().equals(keyId)).map(EventSealing::secretKey));

    private static SessionEvent.SessionCreated created(String eventId) {
        CartItem engraved = new CartItem("Merino socks", "SOCK-M", 2, 0, new BigDecimal("12.99"), "apparel", null,
                null, null, null, null, new TreeMap<>(Map.of("engraving", "\"For Alice\"")), null);
        SessionChanges changes = SessionChanges.NONE.withProfileId("alice").withIdentifiers(List.of("alice@example.com"))
                .withAttributes(new TreeMap<>(Map.of("shippingCity", "\"Berlin\""))).withCartItems(List.of(engraved));
        return new SessionEvent.SessionCreated(new SessionEvent.EventMeta(eventId, "cmd-1", SESSION, TIME), 7,
                SessionState.OPEN, changes);
    }

    private byte[] sealAndWrite(SessionEvent event, SessionDataKey key) {
        byte[] original = serializer.serialize(TOPIC, AvroCodec.toAvro(event));
        return serializer.serialize(TOPIC, EventSealing.sealed(event, original, key));
    }

    @Test
    void a_sealed_event_reads_back_as_the_original_with_its_key() {
        // given
        SessionEvent event = created("cmd-1/0");
        SessionDataKey key = EventSealing.newKey("cmd-1/0", random);
        keyTopic.put(SESSION.asString(), key);

        // when
        byte[] wire = sealAndWrite(event, key);

        // then
        assertThat(new String(wire, StandardCharsets.ISO_8859_1))
                .doesNotContain("alice", "Berlin", "For Alice").contains("SOCK-M", "12.99", "s-1");
        io.customersessions.avro.SessionEvent read = reader.deserialize(TOPIC, wire);
        assertThat(read).isEqualTo(AvroCodec.toAvro(event));
        assertThat(AvroCodec.fromAvro(read)).isEqualTo(event);
    }

    @Test
    void without_its_key_a_sealed_event_reads_as_the_redacted_event() {
        // given
        SessionEvent event = created("cmd-1/0");
        byte[] wire = sealAndWrite(event, EventSealing.newKey("cmd-1/0", random));

        // when
        io.customersessions.avro.SessionEvent read = reader.deserialize(TOPIC, wire);

        // then
        assertThat(read).isEqualTo(AvroCodec.toAvro(PersonalData.redact(event)));
        assertThat(read.getSealed()).isNull();
        assertThat(read.getSealedWith()).isNull();
    }

    @Test
    void with_another_deserializer_than_ours_events_read_the_same_opened_redacted_or_as_they_are() {
        // given: a deserializer that is not ours (Confluent's, say), so the clear event is read in full first
        AvroWireDeserializer ours = new AvroWireDeserializer(registry, true);
        UnsealingEventDeserializer other = new UnsealingEventDeserializer(ours::deserialize,
                (sessionKey, keyId) -> Optional.ofNullable(keyTopic.get(sessionKey))
                        .filter(key -> key.getKeyId().equals(keyId)).map(EventSealing::secretKey));
        SessionEvent opened = created("cmd-1/0");
        SessionDataKey key = EventSealing.newKey("cmd-1/0", random);
        keyTopic.put(SESSION.asString(), key);
        byte[] sealedWithKey = sealAndWrite(opened, key);
        SessionEvent erased = created("cmd-2/0");
        byte[] sealedWithoutKey = sealAndWrite(erased, EventSealing.newKey("cmd-2/0", random));
        SessionEvent clear = new SessionEvent.SessionReopened(
                new SessionEvent.EventMeta("cmd-3/0", "cmd-3", SESSION, TIME));
        byte[] unsealed = serializer.serialize(TOPIC, AvroCodec.toAvro(clear));

        // when / then: as our deserializer reads them
        for (byte[] wire : List.of(sealedWithKey, sealedWithoutKey, unsealed)) {
            assertThat(other.deserialize(TOPIC, wire)).isEqualTo(reader.deserialize(TOPIC, wire));
            assertThat(other.deserialize(TOPIC, null, ByteBuffer.wrap(wire)))
                    .isEqualTo(reader.deserialize(TOPIC, null, ByteBuffer.wrap(wire)));
        }
        assertThat(AvroCodec.fromAvro(other.deserialize(TOPIC, sealedWithKey))).isEqualTo(opened);
        assertThat(AvroCodec.fromAvro(other.deserialize(TOPIC, sealedWithoutKey)))
                .isEqualTo(PersonalData.redact(erased));
        assertThat(AvroCodec.fromAvro(other.deserialize(TOPIC, unsealed))).isEqualTo(clear);
    }

    @Test
    void an_erased_key_replaced_by_a_new_one_of_the_session_does_not_open_older_events() {
        // given
        SessionEvent event = created("cmd-1/0");
        byte[] wire = sealAndWrite(event, EventSealing.newKey("cmd-1/0", random));
        keyTopic.put(SESSION.asString(), EventSealing.newKey("cmd-9/0", random));

        // when
        io.customersessions.avro.SessionEvent read = reader.deserialize(TOPIC, wire);

        // then
        assertThat(AvroCodec.fromAvro(read)).isEqualTo(PersonalData.redact(event));
    }

    @Test
    void another_key_under_the_same_id_fails_authentication_and_is_an_error() {
        // given
        SessionEvent event = created("cmd-1/0");
        byte[] wire = sealAndWrite(event, EventSealing.newKey("cmd-1/0", random));
        keyTopic.put(SESSION.asString(), EventSealing.newKey("cmd-1/0", random));

        // when / then
        assertThatThrownBy(() -> reader.deserialize(TOPIC, wire))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("fails authentication");
    }

    @Test
    void altered_sealed_bytes_fail_authentication_and_are_an_error() {
        // given
        SessionEvent event = created("cmd-1/0");
        SessionDataKey key = EventSealing.newKey("cmd-1/0", random);
        keyTopic.put(SESSION.asString(), key);
        byte[] original = serializer.serialize(TOPIC, AvroCodec.toAvro(event));
        io.customersessions.avro.SessionEvent sealed = EventSealing.sealed(event, original, key);
        byte[] ciphertext = EventSealing.bytes(sealed.getSealed());
        ciphertext[ciphertext.length / 2] ^= 1;
        sealed.setSealed(ByteBuffer.wrap(ciphertext));
        byte[] wire = serializer.serialize(TOPIC, sealed);

        // when / then
        assertThatThrownBy(() -> reader.deserialize(TOPIC, wire)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("fails authentication");
    }

    @Test
    void a_sealed_payload_moved_to_another_event_fails_authentication() {
        // given
        SessionDataKey key = EventSealing.newKey("cmd-1/0", random);
        keyTopic.put(SESSION.asString(), key);
        SessionEvent first = created("cmd-1/0");
        io.customersessions.avro.SessionEvent sealedFirst = EventSealing.sealed(first,
                serializer.serialize(TOPIC, AvroCodec.toAvro(first)), key);
        SessionEvent second = created("cmd-2/0");
        io.customersessions.avro.SessionEvent sealedSecond = EventSealing.sealed(second,
                serializer.serialize(TOPIC, AvroCodec.toAvro(second)), key);
        sealedSecond.setSealed(sealedFirst.getSealed());
        byte[] wire = serializer.serialize(TOPIC, sealedSecond);

        // when / then
        assertThatThrownBy(() -> reader.deserialize(TOPIC, wire)).isInstanceOf(SerializationException.class);
    }

    @Test
    void only_events_that_hold_personal_data_are_sealed() {
        // given
        SessionEvent.EventMeta meta = new SessionEvent.EventMeta("cmd-2/0", "cmd-2", SESSION, TIME);

        // then
        assertThat(EventSealing.holdsPersonalData(created("cmd-1/0"))).isTrue();
        assertThat(EventSealing.holdsPersonalData(new SessionEvent.SessionUpdated(meta,
                SessionChanges.NONE.withProfileId("")))).as("an erased profile is no personal data").isFalse();
        assertThat(EventSealing.holdsPersonalData(new SessionEvent.SessionRevoked(meta, SessionState.CLOSED)))
                .isFalse();
        assertThat(EventSealing.holdsPersonalData(new SessionEvent.SessionRedacted(meta, "integration-api-key:ab")))
                .isFalse();
    }

    @Test
    void an_unsealed_event_reads_as_it_is_and_needs_no_key() {
        // given
        UnsealingEventDeserializer noKeys = new UnsealingEventDeserializer(new AvroWireDeserializer(registry, true),
                (sessionKey, keyId) -> {
                    throw new AssertionError("no key is looked up for an unsealed event");
                });
        io.customersessions.avro.SessionEvent event = AvroCodec.toAvro(created("cmd-1/0"));

        // when
        io.customersessions.avro.SessionEvent read = noKeys.deserialize(TOPIC, serializer.serialize(TOPIC, event));

        // then
        assertThat(read).isEqualTo(event);
    }

    @Test
    void an_event_written_with_the_schema_before_sealing_reads_unchanged() throws Exception {
        // given: a SessionCreated written by a writer of schema v3 (no sealed fields)
        Schema v3 = v3SessionEvent();
        GenericRecord written = new GenericData.Record(v3);
        written.put("eventId", "cmd-1/0");
        written.put("commandId", "cmd-1");
        written.put("applicationId", 1L);
        written.put("integrationId", "s-1");
        written.put("time", TIME.toEpochMilli());
        Schema payloadUnion = v3.getField("payload").schema();
        Schema createdSchema = payloadUnion.getTypes().get(payloadUnion.getIndexNamed(
                "io.customersessions.avro.SessionCreated"));
        GenericRecord payload = new GenericData.Record(createdSchema);
        payload.put("sessionId", 7L);
        payload.put("state", "open");
        payload.put("changes", changes(createdSchema.getField("changes").schema(), "alice"));
        written.put("payload", payload);
        byte[] wire = serializer.serialize(TOPIC, written);

        // when
        io.customersessions.avro.SessionEvent read = reader.deserialize(TOPIC, wire);

        // then
        assertThat(read.getSealed()).isNull();
        assertThat(read.getEventId()).isEqualTo("cmd-1/0");
        assertThat(((io.customersessions.avro.SessionCreated) read.getPayload()).getChanges().getProfileId())
                .isEqualTo("alice");
    }

    private static GenericRecord changes(Schema schema, String profileId) {
        GenericRecord changes = new GenericData.Record(schema);
        schema.getFields().forEach(field -> changes.put(field.name(), null));
        changes.put("profileId", profileId);
        return changes;
    }

    private static Schema v3SessionEvent() throws IOException, URISyntaxException {
        Path folder = Path.of(EventSealingTest.class.getResource("/schema-history/v3").toURI());
        SchemaParser parser = new SchemaParser();
        SchemaParser.ParseResult event = null;
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".avsc")).sorted().toList()) {
                SchemaParser.ParseResult result = parser.parse(file);
                if (file.getFileName().toString().equals("SessionEvent.avsc")) {
                    event = result;
                }
            }
        }
        return parser.resolve(event);
    }

    @Test
    void every_sealing_takes_a_fresh_nonce_and_the_associated_data_is_bound_to_the_event() {
        // given
        SecretKey key = EventSealing.secretKey(EventSealing.newKey("k", random));
        byte[] plaintext = "the same event".getBytes(StandardCharsets.UTF_8);

        // when: the same event sealed twice under the same key, as a retried transaction would
        byte[] first = EventSealing.seal(key, "1:s-1", "cmd-1/0", plaintext);
        byte[] second = EventSealing.seal(key, "1:s-1", "cmd-1/0", plaintext);

        // then: different nonces (the first 12 bytes), so different bytes, and both open to the same plaintext
        assertThat(Arrays.copyOf(first, 12)).isNotEqualTo(Arrays.copyOf(second, 12));
        assertThat(first).hasSize(12 + plaintext.length + 16);
        assertThat(EventSealing.unseal(key, "1:s-1", "cmd-1/0", first)).isEqualTo(plaintext);
        assertThat(EventSealing.unseal(key, "1:s-1", "cmd-1/0", second)).isEqualTo(plaintext);
        assertThatThrownBy(() -> EventSealing.unseal(key, "1:s-1", "cmd-1/0", Arrays.copyOf(first, 5)))
                .isInstanceOf(SerializationException.class);
        assertThat(new String(EventSealing.associatedData("1:s-1", "cmd-1/0"), StandardCharsets.UTF_8))
                .isEqualTo("1:s-1|cmd-1/0");
        assertThat(key.getEncoded()).hasSize(32);
    }

    @Test
    void sealing_and_opening_on_several_threads_at_once_with_failed_openings_in_between_all_round_trip()
            throws Exception {
        // given: stream threads, the history and replay seal and open concurrently, and a failed opening
        // (wrong key) must not leave anything behind that spoils the next one
        SecretKey key = EventSealing.secretKey(EventSealing.newKey("k", random));
        SecretKey wrongKey = EventSealing.secretKey(EventSealing.newKey("k", random));
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                String sessionKey = "1:s-" + thread;
                results.add(threads.submit(() -> {
                    int opened = 0;
                    for (int i = 0; i < 500; i++) {
                        String eventId = "cmd-" + i + "/0";
                        byte[] plaintext = (sessionKey + " event " + i).getBytes(StandardCharsets.UTF_8);
                        byte[] sealed = EventSealing.seal(key, sessionKey, eventId, plaintext);
                        if (i % 7 == 0) {
                            assertThatThrownBy(() -> EventSealing.unseal(wrongKey, sessionKey, eventId, sealed))
                                    .isInstanceOf(SerializationException.class);
                        }
                        if (Arrays.equals(EventSealing.unseal(key, sessionKey, eventId, sealed), plaintext)) {
                            opened++;
                        }
                    }
                    return opened;
                }));
            }
            // then
            for (java.util.concurrent.Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(500);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
