package io.customersessions.eventlog.internal;

import io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException;
import io.customersessions.avro.CommandOutcome;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionKey;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.eventlog.config.LogSettings;
import io.customersessions.eventlog.serde.SchemaRegistryException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.EOFException;
import java.net.ConnectException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Dry-run bodies in the registry's wire format, and which failures a retry may cure. */
class RegisteredAvroTest {

    private static final io.customersessions.avro.SessionCommand COMMAND = AvroCodec.toAvro(
            new SessionCommand.UpsertSession("cmd-1", new SessionKey(1, "s-1"), Instant.parse("2026-11-22T10:00:00Z"),
                    null, Optional.empty(), SessionChanges.NONE.withProfileId("c-1")));

    private final RegisteredAvro wire = RegisteredAvro.of(settings("mock://registered-avro-" + UUID.randomUUID()));

    @Test
    void a_command_written_is_read_back_and_carries_the_wire_formats_header() {
        // when
        byte[] bytes = wire.writeCommand(COMMAND);

        // then
        assertThat(bytes[0]).isZero();
        assertThat(wire.readCommand(bytes)).isEqualTo(COMMAND);
    }

    @Test
    void an_outcome_is_not_read_as_a_command() {
        // given
        byte[] outcome = wire.writeOutcome(CommandOutcome.newBuilder().setCommandId("cmd-1").setApplicationId(1)
                .setIntegrationId("s-1").setAccepted(true).build());

        // then
        assertThatThrownBy(() -> wire.readCommand(outcome)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("not a SessionCommand");
    }

    @Test
    void a_registry_that_did_not_answer_or_failed_is_unavailable_one_that_refused_is_not() {
        assertThat(RegisteredAvro.registryUnavailable(new SchemaRegistryException("unreachable", null))).isTrue();
        assertThat(RegisteredAvro.registryUnavailable(new SchemaRegistryException(503, 0, "overloaded"))).isTrue();
        assertThat(RegisteredAvro.registryUnavailable(new SerializationException("Error retrieving Avro schema",
                new ConnectException("Connection refused")))).isTrue();
        assertThat(RegisteredAvro.registryUnavailable(new SchemaRegistryException(404,
                SchemaRegistryException.SCHEMA_NOT_FOUND, "no schema 7"))).isFalse();
        assertThat(RegisteredAvro.registryUnavailable(new SchemaRegistryException(401, 0, "unauthorized"))).isFalse();
        assertThat(RegisteredAvro.registryUnavailable(new SerializationException("Error deserializing",
                new EOFException()))).isFalse();
    }

    @Test
    void confluents_serde_reports_a_registry_that_failed_as_unavailable_and_one_that_refused_as_not() {
        // Confluent's KafkaAvroSerializer/Deserializer wrap their registry client's error answers so
        assertThat(RegisteredAvro.registryUnavailable(new SerializationException("Error registering Avro schema",
                new RestClientException("Internal Server Error", 500, 50001)))).isTrue();
        assertThat(RegisteredAvro.registryUnavailable(new SerializationException("Error retrieving Avro schema",
                new RestClientException("Schema not found", 404, 40403)))).isFalse();
        assertThat(RegisteredAvro.unknownSchema(new SerializationException("Error retrieving Avro schema",
                new RestClientException("Schema not found", 404, 40403)))).isTrue();
        assertThat(RegisteredAvro.unknownSchema(new SerializationException("Error registering Avro schema",
                new RestClientException("Internal Server Error", 500, 50001)))).isFalse();
        assertThat(RegisteredAvro.registryUnavailable(new SerializationException("Error retrieving Avro schema",
                new SSLHandshakeException("PKIX path building failed")))).isTrue();
    }

    @Test
    void only_a_schema_the_registry_does_not_have_is_an_unknown_schema() {
        // when: a body naming an id this registry never gave out
        Throwable unknown = catchRead(new byte[]{0, 0, 0, 0x7f, 1});

        // then
        assertThat(RegisteredAvro.unknownSchema(unknown)).isTrue();
        assertThat(RegisteredAvro.registryUnavailable(unknown)).isFalse();
        assertThat(RegisteredAvro.unknownSchema(catchRead(new byte[]{1, 2, 3}))).isFalse();
        assertThat(RegisteredAvro.unknownSchema(new SchemaRegistryException(401, 0, "unauthorized"))).isFalse();
    }

    private Throwable catchRead(byte[] bytes) {
        try {
            wire.readCommand(bytes);
        } catch (SerializationException e) {
            return e;
        }
        throw new AssertionError("read " + bytes.length + " bytes as a command");
    }

    private static LogSettings settings(String registryUrl) {
        LogSettings.SchemaRegistry registry = new LogSettings.SchemaRegistry();
        registry.setUrl(registryUrl);
        return new LogSettings(new LogSettings.Serde(), registry);
    }
}
