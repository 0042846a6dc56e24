package io.customersessions.eventlog.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.CustomerSessionState;
import io.customersessions.avro.SessionCommand;
import io.customersessions.avro.SessionEvent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroWireDeserializerTest {

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final AvroWireSerializer serializer = new AvroWireSerializer(registry);
    private final AvroWireDeserializer specific = new AvroWireDeserializer(registry, true);
    private final AvroWireDeserializer generic = new AvroWireDeserializer(registry, false);

    static List<SpecificRecord> contractRecords() {
        return Stream.of(
                        ContractRecords.eventsOfEveryType().stream(),
                        ContractRecords.commandsOfEveryType().stream(),
                        Stream.of(ContractRecords.state(), ContractRecords.acceptedOutcome(),
                                ContractRecords.rejectedOutcome()))
                .flatMap(s -> s.map(SpecificRecord.class::cast))
                .toList();
    }

    @ParameterizedTest
    @MethodSource("contractRecords")
    void every_contract_record_reads_back_equal_into_its_generated_class(SpecificRecord record) {
        // given
        byte[] bytes = serializer.serialize("topic", record);

        // when
        Object read = specific.deserialize("topic", bytes);

        // then
        assertThat(read).isInstanceOf(record.getClass()).isEqualTo(record);
    }

    @Test
    void a_projection_reads_the_named_fields_of_every_event_and_leaves_the_record_unread() {
        // given: the events' schema with its payload, the bulk of a record, left out
        AvroWireDeserializer.Projection projection = specific.projection(SessionEvent.getClassSchema(),
                "eventId", "integrationId", "sealed");

        List<SessionEvent> events = new ArrayList<>(ContractRecords.eventsOfEveryType());
        events.add(SessionEvent.newBuilder(events.get(0)).setSealedWith("cmd-1/0")
                .setSealed(ByteBuffer.wrap(new byte[]{1, 2, 3})).build());
        for (SessionEvent event : events) {
            ByteBuffer data = ByteBuffer.wrap(serializer.serialize("topic", event));

            // when
            GenericRecord read = projection.read("topic", data);

            // then
            assertThat(read.getSchema().getFields()).hasSize(3);
            assertThat(read.get("eventId").toString()).isEqualTo(event.getEventId());
            assertThat(read.get("integrationId").toString()).isEqualTo(event.getIntegrationId());
            assertThat(read.get("sealed")).isEqualTo(event.getSealed());
            assertThat(specific.deserialize("topic", null, data)).isEqualTo(event);
        }
    }

    @Test
    void generic_reading_gives_a_generic_record_in_the_writer_schema() {
        // given
        SessionEvent event = ContractRecords.eventsOfEveryType().get(4);
        byte[] bytes = serializer.serialize("events", event);

        // when
        Object read = generic.deserialize("events", bytes);

        // then
        assertThat(read).isInstanceOf(GenericRecord.class).isNotInstanceOf(SpecificRecord.class);
        GenericRecord record = (GenericRecord) read;
        assertThat(record.get("eventId")).hasToString("cmd-1/0");
        assertThat(record.get("applicationId")).isEqualTo(42L);
        assertThat(record.get("time")).isEqualTo(ContractRecords.TIME.toEpochMilli());
        GenericRecord payload = (GenericRecord) record.get("payload");
        assertThat(payload.getSchema().getName()).isEqualTo("SessionRevoked");
        assertThat(payload.get("fromState")).hasToString("closed");
    }

    @Test
    void a_record_whose_first_byte_is_not_the_magic_byte_is_refused_clearly() {
        // given
        byte[] json = "{\"not\":\"avro\"}".getBytes();

        // when / then
        assertThatThrownBy(() -> specific.deserialize("events", json))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Unknown magic byte 0x7b")
                .hasMessageContaining("events");
    }

    @Test
    void a_record_shorter_than_the_header_is_refused() {
        // when / then
        assertThatThrownBy(() -> specific.deserialize("events", new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void an_unknown_schema_id_is_a_registry_error() {
        // given
        byte[] bytes = {0, 0, 0, 0, 99, 2};

        // when / then
        assertThatThrownBy(() -> specific.deserialize("events", bytes))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("99");
    }

    @Test
    void null_is_deserialized_as_null() {
        // when / then
        assertThat(specific.deserialize("events", (byte[]) null)).isNull();
        assertThat(specific.deserialize("events", new RecordHeaders(), (ByteBuffer) null)).isNull();
    }

    @Test
    void a_record_in_a_slice_of_a_larger_buffer_is_read_from_the_slice() {
        // given
        byte[] bytes = serializer.serialize("state", ContractRecords.state());
        byte[] padded = new byte[bytes.length + 10];
        System.arraycopy(bytes, 0, padded, 7, bytes.length);
        ByteBuffer slice = ByteBuffer.wrap(padded, 7, bytes.length).slice();

        // when
        Object read = specific.deserialize("state", new RecordHeaders(), slice);

        // then
        assertThat(read).isEqualTo(ContractRecords.state());
    }

    @Test
    void avro_primitives_round_trip_as_java_values() {
        // when / then
        assertThat(generic.deserialize("keys", serializer.serialize("keys", "42:session-1"))).isEqualTo("42:session-1");
        assertThat(specific.deserialize("counts", serializer.serialize("counts", 7L))).isEqualTo(7L);
    }

    @Test
    void configured_by_kafka_the_specific_reader_is_off_by_default_as_in_confluent() {
        // given
        String scope = "deserializer-" + UUID.randomUUID();
        Map<String, String> config = Map.of(AvroWireConfig.SCHEMA_REGISTRY_URL, "mock://" + scope);
        AvroWireSerializer producerSide = new AvroWireSerializer();
        producerSide.configure(config, false);
        AvroWireDeserializer byDefault = new AvroWireDeserializer();
        byDefault.configure(config, false);
        AvroWireDeserializer specificReader = new AvroWireDeserializer();
        specificReader.configure(Map.of(AvroWireConfig.SCHEMA_REGISTRY_URL, "mock://" + scope,
                AvroWireConfig.SPECIFIC_AVRO_READER, "true"), false);
        byte[] bytes = producerSide.serialize("commands", ContractRecords.commandsOfEveryType().get(0));

        // when
        Object genericRead = byDefault.deserialize("commands", bytes);
        Object specificRead = specificReader.deserialize("commands", bytes);

        // then
        assertThat(genericRead).isInstanceOf(GenericRecord.class).isNotInstanceOf(SessionCommand.class);
        assertThat(specificRead).isEqualTo(ContractRecords.commandsOfEveryType().get(0));
        InMemorySchemaRegistry.dropScope(scope);
    }

    @Test
    void one_serializer_and_deserializer_serve_many_threads_at_once() throws Exception {
        // given
        List<SessionEvent> events = IntStream.range(0, 2_000)
                .mapToObj(i -> SessionEvent.newBuilder(ContractRecords.eventsOfEveryType().get(i % 7))
                        .setEventId("cmd-" + i + "/0").build())
                .toList();
        ExecutorService threads = Executors.newFixedThreadPool(4);

        // when
        List<Future<Object>> reads = threads.invokeAll(events.stream()
                .map(event -> (Callable<Object>) () ->
                        specific.deserialize("events", serializer.serialize("events", event)))
                .toList());
        threads.shutdown();

        // then
        for (int i = 0; i < events.size(); i++) {
            assertThat(reads.get(i).get()).isEqualTo(events.get(i));
        }
    }

    @Test
    void the_outcome_carries_the_nested_state_with_its_timestamps() {
        // given
        byte[] bytes = serializer.serialize("outcomes", ContractRecords.acceptedOutcome());

        // when
        CommandOutcome read = (CommandOutcome) specific.deserialize("outcomes", bytes);

        // then
        CustomerSessionState session = read.getSession();
        assertThat(session.getCreated()).isEqualTo(ContractRecords.TIME);
        assertThat(session.getUpdated()).isEqualTo(ContractRecords.TIME.plusMillis(5_000));
        assertThat(session.getCartItems().get(0).getPrice()).isEqualTo("12.50");
    }
}
