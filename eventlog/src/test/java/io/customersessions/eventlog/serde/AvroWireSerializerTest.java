package io.customersessions.eventlog.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.customersessions.avro.SessionEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroWireSerializerTest {

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    @Test
    void writes_magic_byte_then_the_registered_id_then_plain_avro_binary() throws IOException {
        // given
        registry.register("other-value", AvroSchemas.withoutJavaProperties(ContractRecords.state().getSchema()));
        AvroWireSerializer serializer = new AvroWireSerializer(registry);
        SessionEvent event = ContractRecords.eventsOfEveryType().get(0);

        // when
        byte[] bytes = serializer.serialize("events", event);

        // then
        int registeredId = registry.versions("events-value").get(0);
        assertThat(registeredId).isEqualTo(2);
        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(registeredId);
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(plainAvro(event));
    }

    @Test
    void registers_the_schema_under_the_topic_value_subject_without_java_string_properties() {
        // given
        AvroWireSerializer serializer = new AvroWireSerializer(registry);

        // when
        serializer.serialize("events", ContractRecords.eventsOfEveryType().get(0));

        // then
        String registered = registry.byId(registry.versions("events-value").get(0)).toString();
        assertThat(registered).doesNotContain(AvroSchemas.JAVA_STRING_PROPERTY).contains("SessionCreated");
        assertThat(AvroSchemas.fingerprint(registry.byId(1))).isEqualTo(AvroSchemas.fingerprint(SessionEvent.SCHEMA$));
    }

    @Test
    void a_key_serializer_registers_under_the_topic_key_subject() {
        // given
        AvroWireSerializer serializer = new AvroWireSerializer(registry);
        serializer.configure(Map.of(), true);

        // when
        serializer.serialize("sessions", ContractRecords.state());

        // then
        assertThat(registry.versions("sessions-key")).hasSize(1);
        assertThat(registry.versions("sessions-value")).isEmpty();
    }

    @Test
    void two_serializers_of_the_same_schema_write_the_same_id() {
        // given
        AvroWireSerializer first = new AvroWireSerializer(registry);
        AvroWireSerializer second = new AvroWireSerializer(registry);

        // when
        byte[] onEvents = first.serialize("events", ContractRecords.eventsOfEveryType().get(1));
        byte[] onReplay = second.serialize("events-replay", ContractRecords.eventsOfEveryType().get(4));

        // then
        assertThat(Arrays.copyOfRange(onEvents, 0, 5)).isEqualTo(Arrays.copyOfRange(onReplay, 0, 5));
        assertThat(registry.versions("events-value")).isEqualTo(registry.versions("events-replay-value"));
    }

    @Test
    void null_is_serialized_as_null() {
        // given
        AvroWireSerializer serializer = new AvroWireSerializer(registry);

        // when
        byte[] bytes = serializer.serialize("events", null);

        // then
        assertThat(bytes).isNull();
        assertThat(registry.versions("events-value")).isEmpty();
    }

    @Test
    void without_auto_registration_an_unregistered_schema_fails_naming_the_subject() {
        // given
        AvroWireSerializer serializer = new AvroWireSerializer(registry);
        serializer.configure(Map.of(AvroWireConfig.AUTO_REGISTER_SCHEMAS, "false"), false);

        // when / then
        assertThatThrownBy(() -> serializer.serialize("events", ContractRecords.eventsOfEveryType().get(0)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("events-value")
                .hasMessageContaining("auto.register.schemas=false");
        assertThat(registry.versions("events-value")).isEmpty();
    }

    @Test
    void without_auto_registration_the_id_of_the_registered_schema_is_used() {
        // given
        registry.register("unrelated-value", AvroSchemas.withoutJavaProperties(ContractRecords.state().getSchema()));
        int id = registry.register("events-value", AvroSchemas.withoutJavaProperties(SessionEvent.SCHEMA$));
        AvroWireSerializer serializer = new AvroWireSerializer(registry);
        serializer.configure(Map.of(AvroWireConfig.AUTO_REGISTER_SCHEMAS, false), false);

        // when
        byte[] bytes = serializer.serialize("events", ContractRecords.eventsOfEveryType().get(0));

        // then
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id).isEqualTo(2);
    }

    @Test
    void configured_by_kafka_with_a_mock_url_it_uses_the_shared_registry_of_that_scope() {
        // given
        String scope = "serializer-" + UUID.randomUUID();
        AvroWireSerializer serializer = new AvroWireSerializer();
        serializer.configure(Map.of(AvroWireConfig.SCHEMA_REGISTRY_URL, "mock://" + scope), false);

        // when
        serializer.serialize("events", ContractRecords.eventsOfEveryType().get(0));

        // then
        assertThat(InMemorySchemaRegistry.forScope(scope).versions("events-value")).containsExactly(1);
        InMemorySchemaRegistry.dropScope(scope);
    }

    @Test
    void a_serializer_without_a_registry_url_is_a_configuration_error() {
        // given
        AvroWireSerializer serializer = new AvroWireSerializer();

        // when / then
        assertThatThrownBy(() -> serializer.configure(Map.of(), false))
                .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
                .hasMessageContaining(AvroWireConfig.SCHEMA_REGISTRY_URL);
    }

    @Test
    void a_value_that_is_not_avro_is_refused() {
        // given
        AvroWireSerializer serializer = new AvroWireSerializer(registry);

        // when / then
        assertThatThrownBy(() -> serializer.serialize("events", new Object()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("java.lang.Object");
    }

    @Test
    void a_record_that_fails_midway_leaves_nothing_behind_in_the_next_record_written_on_the_thread()
            throws IOException {
        // given a record that fails after its first fields were encoded (its payload, a union without null, is null)
        AvroWireSerializer serializer = new AvroWireSerializer(registry);
        SessionEvent broken = SessionEvent.newBuilder(ContractRecords.eventsOfEveryType().get(0)).build();
        broken.setPayload(null);
        assertThatThrownBy(() -> serializer.serialize("events", broken)).isInstanceOf(SerializationException.class);
        SessionEvent event = ContractRecords.eventsOfEveryType().get(1);

        // when
        byte[] bytes = serializer.serialize("events", event);

        // then
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(plainAvro(event));
    }

    private static byte[] plainAvro(SessionEvent event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SessionEvent>(SessionEvent.class).write(event, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
