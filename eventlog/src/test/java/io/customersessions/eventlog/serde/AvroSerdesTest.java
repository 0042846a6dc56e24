package io.customersessions.eventlog.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.customersessions.avro.SessionEvent;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class AvroSerdesTest {

    @Test
    void our_serde_round_trips_generated_classes_typed() {
        // given
        String scope = "serdes-" + UUID.randomUUID();
        Serde<SessionEvent> serde = AvroSerdes.ours(Map.of(AvroWireConfig.SCHEMA_REGISTRY_URL, "mock://" + scope));
        SessionEvent event = ContractRecords.eventsOfEveryType().get(5);

        // when
        byte[] bytes = serde.serializer().serialize("events", event);
        SessionEvent read = serde.deserializer().deserialize("events", bytes);

        // then
        assertThat(read).isEqualTo(event);
        assertThat(InMemorySchemaRegistry.forScope(scope).versions("events-value")).hasSize(1);
        InMemorySchemaRegistry.dropScope(scope);
    }

    @Test
    void a_serde_is_built_from_class_names() {
        // given
        String scope = "serdes-" + UUID.randomUUID();
        Map<String, Object> config = Map.of(AvroWireConfig.SCHEMA_REGISTRY_URL, "mock://" + scope);

        // when
        Serde<Object> serde = AvroSerdes.serde(AvroSerdes.SERIALIZER, AvroSerdes.DESERIALIZER, config, true);

        // then
        byte[] bytes = serde.serializer().serialize("sessions", "42:session-1");
        assertThat(serde.deserializer().deserialize("sessions", bytes)).isEqualTo("42:session-1");
        assertThat(InMemorySchemaRegistry.forScope(scope).versions("sessions-key")).hasSize(1);
        InMemorySchemaRegistry.dropScope(scope);
    }

    @Test
    void an_absent_class_is_reported_by_name() {
        // when / then
        assertThatThrownBy(() -> AvroSerdes.serde(AvroSerdes.CONFLUENT_SERIALIZER, AvroSerdes.CONFLUENT_DESERIALIZER,
                Map.of(AvroWireConfig.SCHEMA_REGISTRY_URL, "mock://x"), false))
                .isInstanceOf(KafkaException.class)
                .hasMessageContaining(AvroSerdes.CONFLUENT_SERIALIZER);
    }
}
