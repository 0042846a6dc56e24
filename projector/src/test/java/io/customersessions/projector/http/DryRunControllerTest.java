package io.customersessions.projector.http;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.CustomerSessionState;
import io.customersessions.avro.SessionCommand;
import io.customersessions.domain.CartItem;
import io.customersessions.domain.ReturnedItem;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import io.customersessions.eventlog.serde.AvroSchemas;
import io.customersessions.eventlog.serde.AvroSerdes;
import io.customersessions.projector.streams.TopologyFixture;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /internal/v1/decide}: the processor's decision against the current stores, nothing written. */
@MicronautTest
class DryRunControllerTest {

    private static final String KEY_APP_1 = "ApiKey-v1 integration-key-app-1";
    private static final SessionKey SESSION = new SessionKey(1, "s-1");
    /** The registry of the projector under test (application-test.yml). */
    private static final Serde<Object> WIRE = AvroSerdes.ours(Map.of("schema.registry.url",
            "mock://projector-http-tests"));
    private static final String COMMANDS_TOPIC = TopologyFixture.TOPICS.commands();

    @Inject
    TopologyFixture fixture;
    @Inject
    TestClient client;

    @BeforeEach
    void session() {
        fixture.reset();
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.OPEN), SessionChanges.NONE.withCartItems(
                List.of(CartItem.of("sock", 2, new BigDecimal("3.00"))))));
        fixture.drainOutputs();
    }

    @Test
    void a_dry_run_answers_the_would_be_state_and_writes_nothing() {
        // given
        CustomerSessionState before = fixture.session(SESSION);
        SessionCommand close = fixture.upsert(SESSION, Optional.of(SessionState.CLOSED), SessionChanges.NONE);

        // when
        TestClient.Reply reply = decide(close, KEY_APP_1);

        // then
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).isEqualTo(DryRunController.REGISTERED_OUTCOME_TYPE);
        CommandOutcome outcome = outcome(reply);
        assertThat(outcome.getCommandId()).isEqualTo(close.getCommandId());
        assertThat(outcome.getAccepted()).isTrue();
        assertThat(outcome.getEventTypes()).containsExactly("talon_session_closed");
        assertThat(outcome.getSession().getState()).isEqualTo("closed");
        assertThat(outcome.getSession().getUpdateCount()).isEqualTo(2);
        assertThat(fixture.session(SESSION)).isEqualTo(before);
        assertThat(fixture.events.isEmpty()).isTrue();
        assertThat(fixture.outcomes.isEmpty()).isTrue();
    }

    @Test
    void a_session_a_dry_run_would_create_has_id_0() {
        // when
        CommandOutcome outcome = outcome(decide(fixture.upsert(new SessionKey(1, "new"), Optional.empty(),
                SessionChanges.NONE), KEY_APP_1));

        // then
        assertThat(outcome.getAccepted()).isTrue();
        assertThat(outcome.getSession().getId()).isZero();
        assertThat(fixture.session(new SessionKey(1, "new"))).isNull();
    }

    @Test
    void a_dry_run_is_rejected_as_the_processor_would_reject_it() {
        // when: an open session cannot be returned
        CommandOutcome outcome = outcome(decide(fixture.returnItems(SESSION, null, new ReturnedItem(0, 1)), KEY_APP_1));

        // then
        assertThat(outcome.getAccepted()).isFalse();
        assertThat(outcome.getRejection().getReason()).isEqualTo("FORBIDDEN_TRANSITION");
    }

    @Test
    void a_dry_run_of_a_repeated_idempotency_key_answers_the_first_outcome_or_refuses_other_items() {
        // given
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.CLOSED), SessionChanges.NONE));
        fixture.send(fixture.returnItems(SESSION, "return-1", new ReturnedItem(0, 1)));
        CommandOutcome first = fixture.outcomes.readValuesToList().get(1);

        // when
        SessionCommand retry = fixture.returnItems(SESSION, "return-1", new ReturnedItem(0, 1));
        CommandOutcome outcome = outcome(decide(retry, KEY_APP_1));
        CommandOutcome other = outcome(decide(fixture.returnItems(SESSION, "return-1", new ReturnedItem(0, 2)),
                KEY_APP_1));

        // then
        assertThat(outcome.getCommandId()).isEqualTo(retry.getCommandId());
        assertThat(outcome.getSession()).isEqualTo(first.getSession());
        assertThat(other.getAccepted()).isFalse();
        assertThat(other.getRejection().getReason()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
    }

    @Test
    void a_command_for_another_application_is_forbidden() {
        // when
        TestClient.Reply reply = decide(fixture.upsert(SESSION, Optional.empty(), SessionChanges.NONE),
                "ApiKey-v1 integration-key-app-2");

        // then
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.contentType()).startsWith("application/json");
        assertThat(reply.body()).doesNotContain("sock");
    }

    @Test
    void a_body_that_is_not_one_command_is_400() {
        // when
        TestClient.Reply reply = client.post("/internal/v1/decide", new byte[]{1, 2, 3},
                DryRunController.COMMAND_TYPE, KEY_APP_1);

        // then
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).contains("\"message\"", "\"errors\"");
    }

    @Test
    void without_an_integration_key_the_answer_is_401() {
        // when
        TestClient.Reply reply = decide(fixture.upsert(SESSION, Optional.empty(), SessionChanges.NONE), null);

        // then
        assertThat(reply.status()).isEqualTo(401);
    }

    @Test
    void a_command_of_a_later_schema_version_is_read_through_the_registry_and_decided() {
        // given: a session-service of a later version, whose SessionCommand has a field this projector does not know
        Schema later = withOneMoreField(SessionCommand.getClassSchema());
        SessionCommand close = fixture.upsert(SESSION, Optional.of(SessionState.CLOSED), SessionChanges.NONE);
        byte[] body = WIRE.serializer().serialize("commands-of-a-later-version", as(later, close));

        // when
        TestClient.Reply reply = client.post("/internal/v1/decide", body, DryRunController.REGISTERED_COMMAND_TYPE,
                KEY_APP_1);

        // then
        assertThat(reply.contentType()).isEqualTo(DryRunController.REGISTERED_OUTCOME_TYPE);
        CommandOutcome outcome = outcome(reply);
        assertThat(outcome.getCommandId()).isEqualTo(close.getCommandId());
        assertThat(outcome.getSession().getState()).isEqualTo("closed");
    }

    @Test
    void a_session_service_of_an_earlier_version_sending_plain_avro_is_answered_in_plain_avro() {
        // given
        SessionCommand close = fixture.upsert(SESSION, Optional.of(SessionState.CLOSED), SessionChanges.NONE);

        // when
        TestClient.Reply reply = client.post("/internal/v1/decide", binary(close), DryRunController.COMMAND_TYPE,
                KEY_APP_1);

        // then
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).isEqualTo(DryRunController.OUTCOME_TYPE);
        AvroSchemas.trustGeneratedClasses();
        CommandOutcome outcome;
        try {
            outcome = new SpecificDatumReader<>(CommandOutcome.class)
                    .read(null, DecoderFactory.get().binaryDecoder(reply.bytes(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(outcome.getSession().getState()).isEqualTo("closed");
    }

    @Test
    void a_body_that_is_not_a_command_in_the_wire_format_or_names_an_unknown_schema_is_400() {
        // when
        TestClient.Reply notWire = client.post("/internal/v1/decide", new byte[]{1, 2, 3},
                DryRunController.REGISTERED_COMMAND_TYPE, KEY_APP_1);
        TestClient.Reply unknownSchema = client.post("/internal/v1/decide", new byte[]{0, 0, 0, 0x7f, 1, 2, 3},
                DryRunController.REGISTERED_COMMAND_TYPE, KEY_APP_1);

        // then
        assertThat(notWire.status()).isEqualTo(400);
        assertThat(notWire.body()).contains("wire format");
        assertThat(unknownSchema.status()).isEqualTo(400);
        assertThat(unknownSchema.body()).contains("not found");
    }

    private TestClient.Reply decide(SessionCommand command, String authorization) {
        return client.post("/internal/v1/decide", WIRE.serializer().serialize(COMMANDS_TOPIC, command),
                DryRunController.REGISTERED_COMMAND_TYPE, authorization);
    }

    /**
     * {@code record}'s schema with a string field with a default added second: a later BACKWARD version, whose records
     * a reader that took them for its own schema would misread from that field on.
     */
    private static Schema withOneMoreField(Schema record) {
        List<Schema.Field> fields = new ArrayList<>();
        record.getFields().forEach(field -> fields.add(new Schema.Field(field, field.schema())));
        fields.add(1, new Schema.Field("addedLater", Schema.create(Schema.Type.STRING), null, "unknown"));
        return Schema.createRecord(record.getName(), null, record.getNamespace(), false, fields);
    }

    /** {@code record} as a generic record of {@code schema}, as a writer with that schema would hold it. */
    private static GenericRecord as(Schema schema, SessionCommand record) {
        try {
            return new GenericDatumReader<GenericRecord>(record.getSchema(), schema)
                    .read(null, DecoderFactory.get().binaryDecoder(binary(record), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a session-service of an earlier version sent: plain Avro binary. */
    private static byte[] binary(SessionCommand command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new SpecificDatumWriter<>(SessionCommand.class).write(command, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static CommandOutcome outcome(TestClient.Reply reply) {
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).isEqualTo(DryRunController.REGISTERED_OUTCOME_TYPE);
        return (CommandOutcome) WIRE.deserializer().deserialize("outcomes", reply.bytes());
    }
}
