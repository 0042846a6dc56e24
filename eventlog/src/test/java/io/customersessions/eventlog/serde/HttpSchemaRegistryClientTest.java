package io.customersessions.eventlog.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.customersessions.avro.SessionEvent;
import io.customersessions.eventlog.serde.StubRegistry.Answer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpSchemaRegistryClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema EVENT = AvroSchemas.withoutJavaProperties(SessionEvent.SCHEMA$);

    @Test
    void registering_posts_the_schema_to_the_subject_versions_and_caches_the_id() throws Exception {
        // given
        try (StubRegistry stub = new StubRegistry(request -> new Answer(200, "{\"id\": 7}"))) {
            HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(stub.url());

            // when
            int first = client.register("events-value", EVENT);
            int second = client.register("events-value", EVENT);

            // then
            assertThat(first).isEqualTo(7).isEqualTo(second);
            assertThat(stub.requests()).singleElement().satisfies(request -> {
                assertThat(request.method()).isEqualTo("POST");
                assertThat(request.path()).isEqualTo("/subjects/events-value/versions");
                assertThat(request.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
                assertThat(new Schema.Parser().parse(JSON.readTree(request.body()).get("schema").asText()))
                        .isEqualTo(EVENT);
            });
        }
    }

    @Test
    void a_schema_is_fetched_by_id_once() throws Exception {
        // given
        String answer = JSON.createObjectNode().put("schema", EVENT.toString()).toString();
        try (StubRegistry stub = new StubRegistry(request -> new Answer(200, answer))) {
            HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(stub.url());

            // when
            Schema first = client.byId(3);
            Schema second = client.byId(3);

            // then
            assertThat(first).isEqualTo(EVENT).isSameAs(second);
            assertThat(stub.requests()).extracting(StubRegistry.Request::path).containsExactly("/schemas/ids/3");
        }
    }

    @Test
    void lookup_posts_to_the_subject_and_reports_a_missing_schema_with_the_registry_error() throws Exception {
        // given
        String notFound = "{\"error_code\": 40403, \"message\": \"Schema not found\"}";
        try (StubRegistry stub = new StubRegistry(request -> new Answer(404, notFound))) {
            HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(stub.url());

            // when / then
            assertThatThrownBy(() -> client.lookup("events-value", EVENT))
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                        assertThat(e.status()).isEqualTo(404);
                        assertThat(e.errorCode()).isEqualTo(40403);
                    })
                    .hasMessageContaining("Schema not found");
            assertThat(stub.requests()).extracting(StubRegistry.Request::path)
                    .containsExactly("/subjects/events-value");
        }
    }

    @Test
    void a_subject_is_percent_encoded_as_one_path_segment() throws Exception {
        // given
        try (StubRegistry stub = new StubRegistry(request -> new Answer(200, "{\"id\": 1}"))) {
            HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(stub.url());

            // when
            client.register("my topic/x-value", EVENT);

            // then
            assertThat(stub.requests().get(0).path()).isEqualTo("/subjects/my%20topic%2Fx-value/versions");
        }
    }

    @Test
    void user_info_is_sent_as_basic_authentication() throws Exception {
        // given
        try (StubRegistry stub = new StubRegistry(request -> new Answer(200, "{\"id\": 1}"))) {
            SchemaRegistryClient client = AvroWireConfig.from(Map.of(
                    AvroWireConfig.SCHEMA_REGISTRY_URL, stub.url(),
                    AvroWireConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                    AvroWireConfig.BASIC_AUTH_USER_INFO, "alice:secret")).client();

            // when
            client.register("events-value", EVENT);

            // then
            assertThat(stub.requests().get(0).authorization())
                    .isEqualTo("Basic " + Base64.getEncoder().encodeToString("alice:secret".getBytes()));
        }
    }

    @Test
    void a_static_bearer_token_is_sent_as_bearer_authentication() throws Exception {
        // given
        try (StubRegistry stub = new StubRegistry(request -> new Answer(200, "{\"id\": 1}"))) {
            SchemaRegistryClient client = AvroWireConfig.from(Map.of(
                    AvroWireConfig.SCHEMA_REGISTRY_URL, stub.url(),
                    AvroWireConfig.BEARER_AUTH_CREDENTIALS_SOURCE, "STATIC_TOKEN",
                    AvroWireConfig.BEARER_AUTH_TOKEN, "t0ken")).client();

            // when
            client.register("events-value", EVENT);

            // then
            assertThat(stub.requests().get(0).authorization()).isEqualTo("Bearer t0ken");
        }
    }

    @Test
    void an_https_registry_is_trusted_by_the_truststore_the_settings_name(@TempDir Path directory) throws Exception {
        // given: a registry whose certificate no JVM trusts by default, and a truststore holding it
        TestCertificates certificates = TestCertificates.create(directory);
        try (StubRegistry stub = new StubRegistry(request -> new Answer(200,
                JSON.createObjectNode().put("schema", EVENT.toString()).toString()), certificates.server())) {
            Map<String, String> trusting = Map.of(AvroWireConfig.SCHEMA_REGISTRY_URL, stub.url(),
                    AvroWireConfig.SSL_TRUSTSTORE_LOCATION, certificates.truststore().toString(),
                    AvroWireConfig.SSL_TRUSTSTORE_PASSWORD, TestCertificates.PASSWORD,
                    AvroWireConfig.SSL_TRUSTSTORE_TYPE, "PKCS12");

            // when
            Schema schema = AvroWireConfig.from(trusting).client().byId(1);

            // then
            assertThat(schema).isEqualTo(EVENT);
            assertThatThrownBy(() -> AvroWireConfig.from(Map.of(AvroWireConfig.SCHEMA_REGISTRY_URL, stub.url()))
                    .client().byId(1)).isInstanceOf(SchemaRegistryException.class).hasMessageContaining("unreachable");
        }
    }

    @Test
    void an_unreachable_url_is_skipped_for_the_next_one() throws Exception {
        // given
        try (StubRegistry stub = new StubRegistry(request -> new Answer(200, "{\"id\": 5}"))) {
            HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(List.of(closedPortUrl(), stub.url()),
                    Optional.empty(), Duration.ofSeconds(2), Duration.ofSeconds(5));

            // when
            int id = client.register("events-value", EVENT);

            // then
            assertThat(id).isEqualTo(5);
        }
    }

    @Test
    void no_reachable_url_is_a_registry_error_naming_the_urls() throws Exception {
        // given
        String closed = closedPortUrl();
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(List.of(closed), Optional.empty(),
                Duration.ofSeconds(2), Duration.ofSeconds(5));

        // when / then
        assertThatThrownBy(() -> client.byId(1))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("unreachable")
                .hasMessageContaining(closed);
    }

    private static String closedPortUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }
}
