package io.customersessions.launcher.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customersessions.launcher.EmbeddedSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitStrategy;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docker-compose.yml as it is: three Kafka nodes, the schema registry, two projectors, two session-services and
 * both load balancers, from the Dockerfiles and the jars of this build. A session written through one
 * session-service is read through the other and through the load balancer. Needs a Docker engine with the compose
 * plugin ({@code docker compose}); skipped where there is none.
 */
@Testcontainers(disabledWithoutDocker = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComposeScaleOutTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "ApiKey-v1 dev-integration-key-0001";
    private static final WaitStrategy READY = Wait.forHttp("/health/readiness").forStatusCode(200)
            .withStartupTimeout(Duration.ofMinutes(5));

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private ComposeContainer compose;

    @BeforeAll
    void startCompose() {
        Path home = Path.of(System.getProperty(EmbeddedSystem.HOME_PROPERTY, ".."));
        compose = new ComposeContainer(home.resolve("docker-compose.yml").toFile())
                .withLocalCompose(true)
                .withBuild(true)
                // The file's host ports may be taken here (a running launcher): free ones instead.
                .withEnv("SESSIONS_HTTP_PORT", String.valueOf(freePort()))
                .withEnv("PROJECTORS_HTTP_PORT", String.valueOf(freePort()))
                .withEnv("SCHEMA_REGISTRY_HTTP_PORT", String.valueOf(freePort()))
                .withExposedService("session-service-1", 1, 8080, READY)
                .withExposedService("session-service-2", 1, 8080, READY)
                .withExposedService("sessions", 1, 8080, READY)
                .withStartupTimeout(Duration.ofMinutes(10));
        compose.start();
    }

    @AfterAll
    void stopCompose() {
        if (compose != null) {
            compose.stop();
        }
    }

    @Test
    void a_session_written_through_one_session_service_is_read_through_the_other_and_the_load_balancer()
            throws Exception {
        // when
        HttpResponse<String> created = put("session-service-1", 8080, "compose-1",
                "{\"customerSession\": {\"profileId\": \"c-1\", \"state\": \"open\","
                        + " \"cartItems\": [{\"sku\": \"tee\", \"quantity\": 2, \"price\": 12.5}]}}");
        HttpResponse<String> updated = put("session-service-2", 8080, "compose-1",
                "{\"customerSession\": {\"state\": \"closed\"}}");

        // then
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(session(updated).get("updateCount").asInt()).isEqualTo(2);
        for (String[] via : new String[][]{{"session-service-1", "8080"}, {"session-service-2", "8080"},
                {"sessions", "8080"}}) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> read = get(via[0], Integer.parseInt(via[1]), "compose-1");
                assertThat(read.statusCode()).as(via[0] + ": " + read.body()).isEqualTo(200);
                assertThat(session(read).get("state").asText()).isEqualTo("closed");
                assertThat(session(read).get("total").decimalValue()).isEqualByComparingTo("25");
            });
        }
    }

    private HttpResponse<String> put(String service, int port, String id, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(service, port, id)).timeout(Duration.ofSeconds(30))
                .header("Authorization", KEY).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String service, int port, String id) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(service, port, id)).timeout(Duration.ofSeconds(30))
                .header("Authorization", KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String service, int port, String id) {
        String instance = service + "-1";
        return URI.create("http://" + compose.getServiceHost(instance, port) + ":"
                + compose.getServicePort(instance, port) + "/v2/customer_sessions/" + id);
    }

    private static JsonNode session(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body()).get("customerSession");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
