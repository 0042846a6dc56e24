package io.customersessions.eventlog.config;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LogSettingsTest {

    @Test
    void configured_registry_serde_classes_and_extra_serde_properties_reach_the_serde_configuration() {
        // given
        Map<String, Object> properties = Map.of(
                "customer-sessions.topic-prefix", "staging-",
                "customer-sessions.schema-registry.url", "http://registry.internal:8081",
                "customer-sessions.serde.serializer", "io.confluent.kafka.serializers.KafkaAvroSerializer",
                "customer-sessions.serde.properties.auto.register.schemas", "false");

        // when
        try (ApplicationContext context = ApplicationContext.run(properties)) {
            LogSettings settings = context.getBean(LogSettings.class);

            // then
            assertThat(settings.topics().events()).isEqualTo("staging-customer-session-events");
            assertThat(settings.getSerde().getSerializer()).isEqualTo("io.confluent.kafka.serializers.KafkaAvroSerializer");
            assertThat(settings.serdeConfig())
                    .containsEntry("schema.registry.url", "http://registry.internal:8081")
                    .containsEntry("auto.register.schemas", "false")
                    .containsEntry("specific.avro.reader", "true");
        }
    }

    @Test
    void defaults_point_at_the_embedded_registry_and_our_serde() {
        try (ApplicationContext context = ApplicationContext.run()) {
            LogSettings settings = context.getBean(LogSettings.class);

            assertThat(settings.serdeConfig()).containsEntry("schema.registry.url", "http://localhost:8085");
            assertThat(settings.getSerde().getDeserializer()).endsWith("AvroWireDeserializer");
            assertThat(settings.getPartitions()).isEqualTo(6);
        }
    }
}
