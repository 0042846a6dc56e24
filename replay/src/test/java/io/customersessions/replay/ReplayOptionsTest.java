package io.customersessions.replay;

import io.customersessions.eventlog.serde.AvroSerdes;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplayOptionsTest {

    @Test
    void without_options_it_reads_the_embedded_default() {
        // when
        ReplayOptions options = ReplayOptions.parse(new String[0], Map.of());

        // then
        assertThat(options.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(options.schemaRegistryUrl()).isEqualTo("http://localhost:8085");
        assertThat(options.topicPrefix()).isEmpty();
        assertThat(options.since()).isEmpty();
        assertThat(options.deserializer()).isEqualTo(AvroSerdes.DESERIALIZER);
        assertThat(options.config()).isEmpty();
        assertThat(options.quiet()).isFalse();
    }

    @Test
    void the_environment_overrides_the_defaults_and_options_override_the_environment() {
        // given
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092",
                "SCHEMA_REGISTRY_URL", "http://sr:8081");

        // when
        ReplayOptions fromEnv = ReplayOptions.parse(new String[0], env);
        ReplayOptions fromArgs = ReplayOptions.parse(new String[] {"--bootstrap-servers", "kafka-2:9093",
                "--schema-registry-url", "http://other:8081"}, env);

        // then
        assertThat(fromEnv.bootstrapServers()).isEqualTo("kafka-1:9092");
        assertThat(fromEnv.schemaRegistryUrl()).isEqualTo("http://sr:8081");
        assertThat(fromArgs.bootstrapServers()).isEqualTo("kafka-2:9093");
        assertThat(fromArgs.schemaRegistryUrl()).isEqualTo("http://other:8081");
    }

    @Test
    void every_option_is_read() {
        // when
        ReplayOptions options = ReplayOptions.parse(new String[] {"--topic-prefix", "test-", "--since",
                "2026-03-01T10:00:00Z", "--deserializer", AvroSerdes.CONFLUENT_DESERIALIZER, "--config",
                "client.properties", "--quiet"}, Map.of());

        // then
        assertThat(options.topicPrefix()).isEqualTo("test-");
        assertThat(options.since()).contains(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(options.deserializer()).isEqualTo(AvroSerdes.CONFLUENT_DESERIALIZER);
        assertThat(options.config()).isEqualTo(Optional.of(Path.of("client.properties")));
        assertThat(options.quiet()).isTrue();
    }

    @Test
    void a_malformed_instant_an_unknown_option_and_a_missing_value_are_usage_errors() {
        assertThatThrownBy(() -> ReplayOptions.parse(new String[] {"--since", "yesterday"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> ReplayOptions.parse(new String[] {"--from-beginning"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--from-beginning");
        assertThatThrownBy(() -> ReplayOptions.parse(new String[] {"--bootstrap-servers"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--bootstrap-servers needs a value");
        assertThatThrownBy(() -> ReplayOptions.parse(new String[] {"--since", "--quiet"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--since needs a value");
    }
}
