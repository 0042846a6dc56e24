package io.customersessions.launcher.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.customersessions.launcher.EmbeddedSystem;
import io.customersessions.launcher.testing.SystemHttp;
import io.customersessions.launcher.testing.TestSystems;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static io.customersessions.launcher.testing.SystemHttp.assertStatus;
import static io.customersessions.launcher.testing.SystemHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A PUT's answer does not wait for the end of the commit interval: the processor commits as soon as its stream
 * thread is idle (the projector's {@code IdleCommit}). Here the interval is ten minutes, longer than the test, so
 * every answer below comes from a commit the processor asked for; without it, each PUT would answer 202 once the
 * session-service's outcome timeout ran out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdleCommitEndToEndTest {

    @AutoClose
    private EmbeddedSystem system;
    private final SystemHttp http = new SystemHttp();

    @BeforeAll
    void startSystem() {
        system = TestSystems.builder("idle-commit")
                .projectorProperties(Map.of(
                        "kafka.streams.default.commit.interval.ms", String.valueOf(Duration.ofMinutes(10).toMillis()),
                        // a transaction may stay open that long (the history's, between commands)
                        "kafka.streams.default.producer.transaction.timeout.ms",
                        String.valueOf(Duration.ofMinutes(15).toMillis())))
                .sessionServiceProperties(TestSystems.PATIENT_OUTCOMES)
                .start();
    }

    @Test
    void each_put_is_answered_with_its_outcome_long_before_the_commit_interval_ends() {
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

        HttpResponse<String> read = http.get(system.projectorUrl() + "/v2/customer_sessions/idle-1");
        assertStatus(read, 200);
        assertThat(json(read).get("customerSession")).isEqualTo(afterClose);
    }

    /** The answer's session, after checking that it is the outcome (200), not "appended, outcome unknown" (202). */
    private static JsonNode session(HttpResponse<String> response) {
        assertStatus(response, 200);
        return json(response).get("customerSession");
    }

    private HttpResponse<String> put(String id, String body) {
        return http.put(system.sessionServiceUrl() + "/v2/customer_sessions/" + id, body);
    }
}
