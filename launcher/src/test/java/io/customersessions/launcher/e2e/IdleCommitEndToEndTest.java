package io.customersessions.launcher.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customersessions.launcher.EmbeddedSystem;
import io.customersessions.launcher.ServiceOutput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A PUT's answer does not wait for the end of the commit interval: the processor commits as soon as its stream
 * thread is idle (the projector's {@code IdleCommit}). Here the interval is ten minutes, longer than the test, so
 * every answer below comes from a commit the processor asked for; without it, each PUT would answer 202 once the
 * session-service's outcome timeout ran out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdleCommitEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "ApiKey-v1 dev-integration-key-0001";

    private EmbeddedSystem system;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void startSystem() throws IOException {
        Path target = Path.of("target");
        Files.createDirectories(target);
        system = EmbeddedSystem.builder()
                .dataDir(Files.createTempDirectory(target, "idle-commit-data"))
                .brokerPort(0).registryPort(0).projectorPort(0).sessionServicePort(0)
                .output(ServiceOutput.logFiles(target.resolve("idle-commit-logs")))
                .projectorProperties(Map.of(
                        "kafka.streams.default.commit.interval.ms", String.valueOf(Duration.ofMinutes(10).toMillis()),
                        // a transaction may stay open that long (the history's, between commands)
                        "kafka.streams.default.producer.transaction.timeout.ms",
                        String.valueOf(Duration.ofMinutes(15).toMillis())))
                // on a slow machine a PUT must get its outcome within the client's 30 s, not a 202 after 10 s
                .sessionServiceProperties(Map.of("customer-sessions.outcome-timeout", "25s"))
                .start();
    }

    @AfterAll
    void stopSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void each_put_is_answered_with_its_outcome_long_before_the_commit_interval_ends() throws Exception {
        HttpResponse<String> created = put("idle-1", """
                {"customerSession": {"profileId": "idle-customer", "state": "open",
                  "cartItems": [{"sku": "tee", "name": "T-shirt", "quantity": 2, "price": 10}]},
                 "responseContent": ["customerSession"]}""");
        HttpResponse<String> updated = put("idle-1", """
                {"customerSession": {"cartItems": [{"sku": "tee", "quantity": 3, "price": 10}]},
                 "responseContent": ["customerSession"]}""");
        HttpResponse<String> closed = put("idle-1", """
                {"customerSession": {"state": "closed"}, "responseContent": ["customerSession"]}""");

        assertThat(session(created).get("updateCount").asInt()).isEqualTo(1);
        assertThat(session(updated).get("updateCount").asInt()).isEqualTo(2);
        assertThat(session(updated).get("cartItemTotal").decimalValue()).isEqualByComparingTo("30");
        JsonNode afterClose = session(closed);
        assertThat(afterClose.get("updateCount").asInt()).isEqualTo(3);
        assertThat(afterClose.get("state").asText()).isEqualTo("closed");

        HttpResponse<String> read = send(HttpRequest.newBuilder(
                URI.create(system.projectorUrl() + "/v2/customer_sessions/idle-1")).GET());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(read.body()).get("customerSession")).isEqualTo(afterClose);
    }

    /** The answer's session, after checking that it is the outcome (200), not "appended, outcome unknown" (202). */
    private static JsonNode session(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as("PUT answered %s", response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("customerSession");
    }

    private HttpResponse<String> put(String id, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(system.sessionServiceUrl() + "/v2/customer_sessions/" + id))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).header("Authorization", KEY).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
