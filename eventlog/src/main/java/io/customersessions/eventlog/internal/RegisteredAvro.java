package io.customersessions.eventlog.internal;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.SessionCommand;
import io.customersessions.eventlog.config.LogSettings;
import io.customersessions.eventlog.serde.AvroSerdes;
import io.customersessions.eventlog.serde.SchemaRegistryException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;

import javax.net.ssl.SSLException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.Map;

/**
 * Dry-run bodies between the session-service and the projector in the log's own format: the schema registry's wire
 * format (magic byte, schema id, Avro binary) through the configured serializer and deserializer, as the commands
 * and outcomes topics hold them. The reader resolves the writer's schema by its id, so a session-service and a
 * projector of different schema versions (a rolling upgrade) read each other's bodies as they read each other's
 * records. Replaces {@link AvroBinary}'s plain Avro, which only a reader of the same version could read; the
 * projector still accepts that from session-services of earlier versions. Thread-safe as the configured serializer and
 * deserializer are (ours and Confluent's are).
 */
public final class RegisteredAvro {

    public static final String COMMAND_TYPE = "application/vnd.customer-sessions.command.registered+avro";
    public static final String OUTCOME_TYPE = "application/vnd.customer-sessions.outcome.registered+avro";

    private final String commandsTopic;
    private final String outcomesTopic;
    private final Serde<Object> serde;

    private RegisteredAvro(String commandsTopic, String outcomesTopic, Serde<Object> serde) {
        this.commandsTopic = commandsTopic;
        this.outcomesTopic = outcomesTopic;
        this.serde = serde;
    }

    /** With the serde classes, registry and topic names of the log, so the schemas are the topics' subjects'. */
    public static RegisteredAvro of(LogSettings settings) {
        String serializer = settings.getSerde().getSerializer();
        String deserializer = settings.getSerde().getDeserializer();
        Map<String, Object> config = settings.serdeConfig();
        return new RegisteredAvro(settings.topics().commands(), settings.topics().outcomes(),
                AvroSerdes.specific(serializer, deserializer, config, false));
    }

    public byte[] writeCommand(SessionCommand command) {
        return serde.serializer().serialize(commandsTopic, command);
    }

    /**
     * @throws SerializationException when the bytes are not a command in the wire format; a {@code
     *                                SchemaRegistryException} (one) when its schema could not be fetched
     */
    public SessionCommand readCommand(byte[] bytes) {
        return read(commandsTopic, bytes, SessionCommand.class);
    }

    public byte[] writeOutcome(CommandOutcome outcome) {
        return serde.serializer().serialize(outcomesTopic, outcome);
    }

    /** @throws SerializationException as {@link #readCommand} */
    public CommandOutcome readOutcome(byte[] bytes) {
        return read(outcomesTopic, bytes, CommandOutcome.class);
    }

    /**
     * Whether {@code failure} of a write or read says the registry could not be reached or failed itself (a retry
     * may succeed), as opposed to a body or schema at fault: ours reports it as a {@link SchemaRegistryException}
     * without an answer or with a 5xx one; Confluent's classes as an exception caused by a network failure, or by
     * their registry client's {@value #CONFLUENT_REGISTRY_ERROR} with a 5xx status.
     */
    public static boolean registryUnavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryException refused) {
                return refused.status() == 0 || refused.status() >= 500;
            }
            int confluentStatus = confluentStatus(cause);
            if (confluentStatus != 0) {
                return confluentStatus >= 500;
            }
            if (cause instanceof SocketException || cause instanceof SocketTimeoutException
                    || cause instanceof UnknownHostException || cause instanceof HttpTimeoutException
                    || cause instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code failure} of a read says the registry has no schema of the id the bytes name. */
    public static boolean unknownSchema(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryException refused) {
                return refused.status() == 404;
            }
            int confluentStatus = confluentStatus(cause);
            if (confluentStatus != 0) {
                return confluentStatus == 404;
            }
        }
        return false;
    }

    private static final String CONFLUENT_REGISTRY_ERROR =
            "io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException";

    /**
     * The HTTP status of an error answer as Confluent's registry client reports it, read by name (Confluent's
     * artifacts are not on this project's class path); 0 when {@code cause} is not one.
     */
    private static int confluentStatus(Throwable cause) {
        if (!cause.getClass().getName().equals(CONFLUENT_REGISTRY_ERROR)) {
            return 0;
        }
        try {
            return cause.getClass().getMethod("getStatus").invoke(cause) instanceof Integer status ? status : 0;
        } catch (ReflectiveOperationException e) {
            return 0;
        }
    }

    private <T> T read(String topic, byte[] bytes, Class<T> type) {
        Object record = serde.deserializer().deserialize(topic, bytes);
        if (!type.isInstance(record)) {
            throw new SerializationException("not a " + type.getSimpleName() + " but "
                    + (record == null ? "nothing" : "a " + record.getClass().getSimpleName()));
        }
        return type.cast(record);
    }
}
