package io.customersessions.projector.streams;

import io.micronaut.configuration.kafka.streams.ConfiguredStreamBuilder;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class ClientConnectionTest {

    @Test
    void the_projectors_own_clients_get_the_streams_security_settings_and_nothing_else() {
        // given: a secured cluster configured for Kafka Streams
        Properties streams = new Properties();
        streams.put("security.protocol", "SASL_SSL");
        streams.put("sasl.mechanism", "SCRAM-SHA-512");
        streams.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        streams.put("ssl.truststore.location", "/etc/kafka/truststore.jks");
        streams.put("application.id", "customer-sessions-processor");
        streams.put("processing.guarantee", "exactly_once_v2");

        // when
        var config = StreamsFactory.clientConnection(new ConfiguredStreamBuilder(streams), "broker-1:9093");

        // then
        assertThat(config).containsOnlyKeys("bootstrap.servers", "security.protocol", "sasl.mechanism",
                "sasl.jaas.config", "ssl.truststore.location");
        assertThat(config.get("bootstrap.servers")).isEqualTo("broker-1:9093");
        assertThat(config.get("security.protocol")).isEqualTo("SASL_SSL");
    }
}
