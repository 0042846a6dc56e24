package io.customersessions.projector.streams;

import io.customersessions.eventlog.serde.SchemaRegistryException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.Map;

/**
 * Skips a record only when its own bytes are at fault (not in the wire format, not Avro of its schema, a sealed
 * event that does not open), and stops the stream thread when reading it failed for any other reason: a schema
 * registry that does not answer, or answers with an error, or a key topic that cannot be read.
 *
 * <p>A skipped record's offset is committed like any other, so skipping on a passing failure would lose what the
 * record holds for good: an accepted command never decided (its PUT already answered 202), an event missing from
 * the history and the views. Kafka Streams' {@code LogAndContinueExceptionHandler} skips on every failure, and the
 * registry client reports its failures as {@link SerializationException}s, so it cannot tell the two apart.
 * Stopping instead reads the record again once the thread is replaced ({@link StreamThreadFailures}).
 */
public class SkipMalformedRecords implements DeserializationExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SkipMalformedRecords.class);

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                Exception exception) {
        if (malformed(exception)) {
            LOG.warn("Skipping record {}-{}@{}: it cannot be read ({})", record.topic(), record.partition(),
                    record.offset(), exception.toString());
            return Response.resume();
        }
        LOG.error("Reading record {}-{}@{} failed, not because of the record itself; stopping the stream thread "
                + "rather than skipping it", record.topic(), record.partition(), record.offset(), exception);
        return Response.fail();
    }

    /**
     * Whether the failure says the record's bytes are at fault, rather than something the reading depends on: a
     * {@link SerializationException} that does not come from the registry. Ours reports the registry's failures as
     * {@link SchemaRegistryException}; Confluent's {@code KafkaAvroDeserializer} as a {@link SerializationException}
     * caused by the registry client's {@value #CONFLUENT_REGISTRY_ERROR} (an error answer) or by a network failure.
     * An {@link java.io.EOFException} is not one: it is a truncated record's.
     */
    static boolean malformed(Throwable exception) {
        if (!(exception instanceof SerializationException)) {
            return false;
        }
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryException || unreachable(cause)
                    || cause.getClass().getName().equals(CONFLUENT_REGISTRY_ERROR)) {
                return false;
            }
        }
        return true;
    }

    private static final String CONFLUENT_REGISTRY_ERROR =
            "io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException";

    private static boolean unreachable(Throwable cause) {
        return cause instanceof SocketException || cause instanceof SocketTimeoutException
                || cause instanceof UnknownHostException || cause instanceof HttpTimeoutException
                || cause instanceof SSLException;
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
