package io.customersessions.projector.streams;

import io.customersessions.avro.SessionDataKey;
import io.customersessions.domain.CartItem;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.eventlog.crypto.UnsealingEventDeserializer;
import io.customersessions.eventlog.serde.AvroSerdes;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crypto-shredding in the processor: personal data goes to the event log sealed under the session's data key, the
 * key goes to the key topic in the same transaction, and the erasure of the session destroys the key and the
 * profile claim, so the log's copies of the personal data can no longer be read.
 */
class CryptoShreddingTopologyTest {

    private static final String[] PERSONAL = {"alice", "alice@example.com", "Berlin", "For Alice"};

    private final TopologyFixture fixture = new TopologyFixture();
    private final SessionKey first = new SessionKey(1, "s-1");
    private final SessionKey second = new SessionKey(1, "s-2");

    @AfterEach
    void closeDriver() {
        fixture.close();
    }

    private static SessionChanges personal(String profileId) {
        CartItem engraved = new CartItem("Merino socks", "SOCK-M", 2, 0, new BigDecimal("12.99"), "apparel", null,
                null, null, null, null, new TreeMap<>(Map.of("engraving", "\"For Alice\"")), null);
        return SessionChanges.NONE.withProfileId(profileId).withIdentifiers(List.of("alice@example.com"))
                .withAttributes(new TreeMap<>(Map.of("shippingCity", "\"Berlin\""))).withCartItems(List.of(engraved));
    }

    private static io.customersessions.avro.SessionCommand redact(SessionKey key, int n) {
        return AvroCodec.toAvro(new SessionCommand.RedactPersonalData("redact-" + n, key,
                TopologyFixture.T0.plusSeconds(3600 + n), null, "integration-api-key:0123456789ab"));
    }

    @Test
    void the_log_holds_no_personal_value_in_clear_while_the_session_and_its_history_show_them() {
        // when
        fixture.send(fixture.upsert(first, Optional.empty(), personal("alice")));

        // then: the raw record
        List<byte[]> raw = fixture.rawEvents.readValuesToList();
        assertThat(raw).singleElement().satisfies(bytes -> assertThat(new String(bytes, StandardCharsets.ISO_8859_1))
                .doesNotContain(PERSONAL).contains("SOCK-M", "12.99", "s-1", "cmd-1"));
        // the session, the log as its readers read it, and the history
        assertThat(fixture.session(first).getProfileId()).isEqualTo("alice");
        assertThat(fixture.session(first).getAttributes()).containsEntry("shippingCity", "\"Berlin\"");
        UnsealingEventDeserializer reader = new UnsealingEventDeserializer(
                AvroSerdes.ours(fixture.serdeConfig()).deserializer(), fixture.dataKeys());
        assertThat(reader.deserialize(Topics.EVENTS, raw.get(0))).satisfies(event -> {
            assertThat(event.getSealed()).isNull();
            assertThat(event.toString()).contains(PERSONAL);
        });
        assertThat(fixture.history(first)).singleElement().satisfies(entry -> {
            assertThat(entry.value.event().getSealed()).as("the history keeps no ciphertext").isNull();
            assertThat(entry.value.event().toString()).contains(PERSONAL);
            assertThat(entry.value.after().profileId()).isEqualTo("alice");
        });
    }

    @Test
    void a_session_gets_one_key_named_by_its_first_sealed_event_and_events_without_personal_data_stay_clear() {
        // given
        fixture.send(fixture.upsert(first, Optional.empty(), SessionChanges.NONE.withCartItems(
                List.of(CartItem.of("SOCK-M", 1, new BigDecimal("12.99"))))));
        fixture.send(fixture.upsert(first, Optional.empty(), personal("alice")));
        fixture.send(fixture.upsert(first, Optional.empty(), SessionChanges.NONE.withAttributes(
                new TreeMap<>(Map.of("note", "\"leave at the door\"")))));
        fixture.send(fixture.upsert(first, Optional.of(SessionState.CLOSED), SessionChanges.NONE));

        // when
        List<KeyValue<String, SessionDataKey>> keys = fixture.sessionKeys.readKeyValuesToList();
        List<io.customersessions.avro.SessionEvent> log = readRaw();

        // then
        assertThat(keys).singleElement().satisfies(key -> {
            assertThat(key.key).isEqualTo(first.asString());
            assertThat(key.value.getKeyId()).isEqualTo("cmd-2/0");
            assertThat(key.value.getAlgorithm()).isEqualTo("AES-256-GCM");
            assertThat(key.value.getMaterial().remaining()).isEqualTo(32);
        });
        assertThat(log).extracting(io.customersessions.avro.SessionEvent::getSealedWith)
                .containsExactly(null, "cmd-2/0", "cmd-2/0", null);
        assertThat(fixture.<SessionDataKey>store(Topics.SESSION_KEYS_STORE).get(first.asString()))
                .isEqualTo(keys.get(0).value);
    }

    @Test
    void erasure_tombstones_the_key_after_which_the_logs_copies_read_as_redacted() {
        // given
        fixture.send(fixture.upsert(first, Optional.empty(), personal("alice")));
        fixture.send(fixture.upsert(second, Optional.empty(), personal("alice")));
        List<byte[]> before = fixture.rawEvents.readValuesToList();
        fixture.drainOutputs();

        // when
        fixture.send(redact(first, 1));

        // then: a tombstone on the key topic, and no live key
        assertThat(fixture.sessionKeys.readKeyValuesToList()).containsExactly(new KeyValue<>(first.asString(), null));
        assertThat(fixture.<SessionDataKey>store(Topics.SESSION_KEYS_STORE).get(first.asString())).isNull();
        // the same bytes of the log, read now: s-1 redacted, s-2 still open to its key
        UnsealingEventDeserializer reader = new UnsealingEventDeserializer(
                AvroSerdes.ours(fixture.serdeConfig()).deserializer(), fixture.dataKeys());
        io.customersessions.avro.SessionEvent firstCreated = reader.deserialize(Topics.EVENTS, before.get(0));
        io.customersessions.avro.SessionEvent secondCreated = reader.deserialize(Topics.EVENTS, before.get(1));
        assertThat(firstCreated.toString()).doesNotContain(PERSONAL).contains("SOCK-M", "12.99");
        assertThat(secondCreated.toString()).contains(PERSONAL);
        // the state and the history are redacted, as before crypto-shredding
        assertThat(fixture.session(first).getProfileId()).isEmpty();
        assertThat(fixture.history(first)).hasSize(2).allSatisfy(entry ->
                assertThat(entry.value.event().toString()).doesNotContain(PERSONAL));
    }

    @Test
    void an_update_after_the_erasure_is_sealed_with_a_new_key() {
        // given
        fixture.send(fixture.upsert(first, Optional.empty(), personal("alice")));
        fixture.send(redact(first, 1));
        fixture.drainOutputs();

        // when
        fixture.send(fixture.upsert(first, Optional.empty(), SessionChanges.NONE.withProfileId("bob")));

        // then
        assertThat(fixture.sessionKeys.readKeyValuesToList()).singleElement().satisfies(key -> {
            assertThat(key.key).isEqualTo(first.asString());
            assertThat(key.value.getKeyId()).isEqualTo("cmd-2/0").isNotEqualTo("cmd-1/0");
        });
        assertThat(readRaw()).singleElement().satisfies(event -> {
            assertThat(event.getSealedWith()).isEqualTo("cmd-2/0");
            assertThat(event.toString()).doesNotContain("bob");
        });
        assertThat(fixture.session(first).getProfileId()).isEqualTo("bob");
    }

    @Test
    void erasure_removes_the_sessions_profile_claim_so_a_later_session_of_the_profile_is_first_again() {
        // given: s-1 claims alice's first session, s-2 is her second
        fixture.send(fixture.upsert(first, Optional.empty(), personal("alice")));
        fixture.send(fixture.upsert(second, Optional.empty(), personal("alice")));
        assertThat(fixture.session(second).getFirstSession()).isFalse();
        fixture.drainOutputs();

        // when: every session of alice is erased (what DELETE /v1/customer_data/alice does)
        fixture.send(redact(second, 1));
        List<KeyValue<String, String>> afterSecond = fixture.profileClaims.readKeyValuesToList();
        fixture.send(redact(first, 2));

        // then
        assertThat(afterSecond).as("s-2 made no claim").isEmpty();
        assertThat(fixture.profileClaims.readKeyValuesToList()).containsExactly(new KeyValue<>("1:alice", null));
        assertThat(fixture.<String>store(Topics.PROFILE_CLAIMS_STORE).get("1:alice")).isNull();
        assertThat(fixture.<String>store(Topics.PROFILE_FIRST_SESSIONS_STORE).get("1:alice")).isNull();
        SessionKey third = new SessionKey(1, "s-3");
        fixture.send(fixture.upsert(third, Optional.empty(), SessionChanges.NONE.withProfileId("alice")));
        assertThat(fixture.session(third).getFirstSession()).isTrue();
        assertThat(fixture.session(first).getFirstSession()).as("recorded in the events, unchanged").isTrue();
    }

    @Test
    void erasing_a_profile_the_session_had_before_its_current_one_gives_up_that_claim_and_keeps_the_current() {
        // given: s-1 claims alice's first session, then moves to bob, whose first session it also is
        fixture.send(fixture.upsert(first, Optional.empty(), personal("alice")));
        fixture.send(fixture.upsert(first, Optional.empty(), SessionChanges.NONE.withProfileId("bob")));
        assertThat(fixture.<String>store(Topics.PROFILE_CLAIMS_STORE).get("1:bob")).isEqualTo("s-1");
        fixture.drainOutputs();

        // when: alice's data is erased (DELETE /v1/customer_data/alice reaches s-1 by its former profile)
        fixture.send(AvroCodec.toAvro(new SessionCommand.RedactPersonalData("redact-1", first,
                TopologyFixture.T0.plusSeconds(3600), null, "integration-api-key:0123456789ab", "alice")));

        // then
        assertThat(fixture.profileClaims.readKeyValuesToList()).containsExactly(new KeyValue<>("1:alice", null));
        assertThat(fixture.<String>store(Topics.PROFILE_FIRST_SESSIONS_STORE).get("1:alice")).isNull();
        assertThat(fixture.<String>store(Topics.PROFILE_CLAIMS_STORE).get("1:bob"))
                .as("bob was not erased").isEqualTo("s-1");
        assertThat(fixture.<String>store(Topics.PROFILE_FIRST_SESSIONS_STORE).get("1:bob")).isEqualTo("s-1");
    }

    /** The events topic's records as they are (sealed), decoded without opening anything. */
    private List<io.customersessions.avro.SessionEvent> readRaw() {
        var deserializer = AvroSerdes.<io.customersessions.avro.SessionEvent>ours(fixture.serdeConfig())
                .deserializer();
        return fixture.rawEvents.readValuesToList().stream()
                .map(bytes -> deserializer.deserialize(Topics.EVENTS, bytes)).toList();
    }
}
