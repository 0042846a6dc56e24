package io.customersessions.eventlog.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AvroWireConfigTest {

    @Test
    void confluents_defaults_apply_when_only_the_url_is_given() {
        // when
        AvroWireConfig config = AvroWireConfig.from(Map.of("schema.registry.url", "http://registry:8081"));

        // then
        assertThat(config.registryUrls()).containsExactly("http://registry:8081");
        assertThat(config.autoRegisterSchemas()).isTrue();
        assertThat(config.specificAvroReader()).isFalse();
        assertThat(config.basicAuthUserInfo()).isEmpty();
    }

    @Test
    void values_are_read_from_strings_or_typed_values_and_urls_from_a_comma_separated_list() {
        // when
        AvroWireConfig config = AvroWireConfig.from(Map.of(
                "schema.registry.url", "http://a:8081, http://b:8081",
                "auto.register.schemas", false,
                "specific.avro.reader", "true",
                "http.read.timeout.ms", 1500));

        // then
        assertThat(config.registryUrls()).containsExactly("http://a:8081", "http://b:8081");
        assertThat(config.autoRegisterSchemas()).isFalse();
        assertThat(config.specificAvroReader()).isTrue();
        assertThat(config.requestTimeout().toMillis()).isEqualTo(1500);
    }

    @Test
    void basic_auth_comes_from_user_info_or_from_the_url() {
        // when
        AvroWireConfig userInfo = AvroWireConfig.from(Map.of("schema.registry.url", "http://a:8081",
                "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "alice:secret"));
        AvroWireConfig url = AvroWireConfig.from(Map.of("schema.registry.url", "http://bob:pw@a:8081"));

        // then
        assertThat(userInfo.basicAuthUserInfo()).isEqualTo(Optional.of("alice:secret"));
        assertThat(url.basicAuthUserInfo()).isEqualTo(Optional.of("bob:pw"));
    }

    @Test
    void settings_that_would_behave_differently_from_confluents_serde_are_refused() {
        // when / then
        assertThatThrownBy(() -> AvroWireConfig.from(Map.of("schema.registry.url", "mock://x",
                "use.latest.version", "true")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("use.latest.version");
        assertThatThrownBy(() -> AvroWireConfig.from(Map.of("schema.registry.url", "mock://x",
                "value.subject.name.strategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("TopicNameStrategy");
        assertThatThrownBy(() -> AvroWireConfig.from(Map.of("schema.registry.url", "mock://x",
                "basic.auth.credentials.source", "USER_INFO")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("basic.auth.user.info");
    }

    @Test
    void registry_tls_and_bearer_settings_this_serde_cannot_honour_are_refused_not_ignored() {
        for (Map<String, String> setting : List.of(
                Map.of("schema.registry.ssl.truststore.certificates", "-----BEGIN CERTIFICATE-----"),
                Map.of("schema.registry.ssl.endpoint.identification.algorithm", ""),
                Map.of("bearer.auth.credentials.source", "OAUTHBEARER"),
                Map.of("bearer.auth.token", "t0ken"),
                Map.of("bearer.auth.logical.cluster", "lsrc-1"))) {
            Map<String, String> config = new HashMap<>(setting);
            config.put("schema.registry.url", "https://registry:8081");
            assertThatThrownBy(() -> AvroWireConfig.from(config)).as(setting.toString())
                    .isInstanceOf(ConfigException.class);
        }
    }

    @Test
    void a_truststore_that_cannot_be_read_is_a_configuration_error_at_start(@TempDir Path directory) {
        // given
        AvroWireConfig config = AvroWireConfig.from(Map.of("schema.registry.url", "https://registry:8081",
                "schema.registry.ssl.truststore.location", directory.resolve("missing.p12").toString(),
                "schema.registry.ssl.truststore.password", "changeit"));

        // when / then
        assertThatThrownBy(config::client).isInstanceOf(ConfigException.class).hasMessageContaining("missing.p12");
    }

    @Test
    void the_default_topic_name_strategy_may_be_named_explicitly() {
        // when
        AvroWireConfig config = AvroWireConfig.from(Map.of("schema.registry.url", "mock://x",
                "value.subject.name.strategy", "io.confluent.kafka.serializers.subject.TopicNameStrategy"));

        // then
        assertThat(config.client()).isSameAs(InMemorySchemaRegistry.forScope("x"));
        InMemorySchemaRegistry.dropScope("x");
    }
}
