package io.customersessions.projector.streams;

import io.customersessions.eventlog.serde.AvroWireDeserializer;
import io.customersessions.eventlog.serde.AvroWireSerializer;
import io.customersessions.eventlog.serde.InMemorySchemaRegistry;
import io.customersessions.eventlog.serde.SchemaRegistryClient;
import io.customersessions.eventlog.serde.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.Result;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchException;

/**
 * Which records the processor skips: a skipped record's offset is committed, so only a record whose own bytes are
 * at fault may be; a failure of what reading depends on stops the thread, which is replaced and reads it again.
 */
class SkipMalformedRecordsTest {

    private static final String TOPIC = "session-commands";
    private static final Schema SCHEMA = SchemaBuilder.record("Probe").namespace("test").fields()
            .requiredString("id").requiredLong("n").endRecord();

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final byte[] written = written();

    @Test
    void a_record_read_while_the_registry_does_not_answer_stops_the_thread() {
        // given a registry that refuses connections, as when it is down while a projector starts
        SchemaRegistryClient down = new SchemaRegistryClient() {
            @Override
            public int register(String subject, Schema schema) {
                throw unreachable();
            }

            @Override
            public int lookup(String subject, Schema schema) {
                throw unreachable();
            }

            @Override
            public Schema byId(int id) {
                throw unreachable();
            }
        };

        // when
        Exception failure = readWith(down, written);

        // then
        assertThat(failure).isNotNull();
        assertThat(handle(failure)).isEqualTo(Result.FAIL);
    }

    @Test
    void a_schema_id_the_registry_does_not_know_stops_the_thread_rather_than_dropping_every_record_written_with_it() {
        // when read against another (e.g. a wrongly configured) registry
        Exception failure = readWith(new InMemorySchemaRegistry(), written);

        // then
        assertThat(failure).isInstanceOf(SchemaRegistryException.class);
        assertThat(handle(failure)).isEqualTo(Result.FAIL);
    }

    @Test
    void confluents_deserializer_failing_to_reach_the_registry_stops_the_thread_and_a_truncated_record_is_skipped() {
        // given KafkaAvroDeserializer's failures: its registry client's error answer, no connection, no answer in
        // time, and Avro reading past the end of a truncated record
        String message = "Error retrieving Avro value schema for id 7";
        Exception errorAnswer = new org.apache.kafka.common.errors.SerializationException(message,
                new io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException(
                        "Internal Server Error", 500, 50001));
        Exception refused = new org.apache.kafka.common.errors.SerializationException(message,
                new ConnectException("Connection refused"));
        Exception noAnswer = new org.apache.kafka.common.errors.SerializationException(message,
                new SocketTimeoutException("Read timed out"));
        Exception truncated = new org.apache.kafka.common.errors.SerializationException(
                "Error deserializing Avro message for id 7", new EOFException());

        // then
        assertThat(handle(errorAnswer)).isEqualTo(Result.FAIL);
        assertThat(handle(refused)).isEqualTo(Result.FAIL);
        assertThat(handle(noAnswer)).isEqualTo(Result.FAIL);
        assertThat(handle(truncated)).isEqualTo(Result.RESUME);
    }

    @Test
    void a_key_topic_that_cannot_be_read_stops_the_thread() {
        assertThat(handle(new IllegalStateException("could not read the key topic session-keys up to its end")))
                .isEqualTo(Result.FAIL);
    }

    @Test
    void a_record_that_is_not_in_the_wire_format_or_not_avro_of_its_schema_is_skipped() {
        // given
        byte[] wrongMagic = written.clone();
        wrongMagic[0] = 7;
        byte[] truncated = Arrays.copyOf(written, 7);

        // when
        Exception notWire = readWith(registry, wrongMagic);
        Exception notAvro = readWith(registry, truncated);

        // then
        assertThat(readWith(registry, written)).as("the record itself reads").isNull();
        assertThat(handle(notWire)).isEqualTo(Result.RESUME);
        assertThat(handle(notAvro)).isEqualTo(Result.RESUME);
    }

    @Test
    void a_failed_stream_thread_is_replaced_unless_it_failed_with_an_error() {
        assertThat(StreamThreadFailures.response(new StreamsException(new SchemaRegistryException("down",
                new ConnectException("Connection refused"))))).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(StreamThreadFailures.response(new StreamsException(new OutOfMemoryError("Java heap space"))))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    private static SchemaRegistryException unreachable() {
        return new SchemaRegistryException("the schema registry at http://registry:8081 did not answer",
                new ConnectException("Connection refused"));
    }

    private byte[] written() {
        GenericRecord record = new GenericData.Record(SCHEMA);
        record.put("id", "c-1");
        record.put("n", 1_000_000L);
        try (AvroWireSerializer serializer = new AvroWireSerializer(registry)) {
            return serializer.serialize(TOPIC, record);
        }
    }

    private static Exception readWith(SchemaRegistryClient registry, byte[] bytes) {
        try (AvroWireDeserializer deserializer = new AvroWireDeserializer(registry, false)) {
            return catchException(() -> deserializer.deserialize(TOPIC, bytes));
        }
    }

    private static Result handle(Exception failure) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(TOPIC, 0, 42L, new byte[0], new byte[0]);
        return new SkipMalformedRecords().handleError(null, record, failure).result();
    }
}
