package io.customersessions.launcher.e2e;

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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a load balancer and Prometheus see of the real system, without any key: both services ready once started,
 * and their metrics, the processor's consumer lag and restore progress and the command producer's sends included.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperationsEndToEndTest {

    private static final String KEY = "ApiKey-v1 dev-integration-key-0001";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private EmbeddedSystem system;

    @BeforeAll
    void startSystem() throws IOException {
        Path target = Files.createDirectories(Path.of("target"));
        system = EmbeddedSystem.builder()
                .dataDir(Files.createTempDirectory(target, "operations-data"))
                .brokerPort(0).registryPort(0).projectorPort(0).sessionServicePort(0)
                .output(ServiceOutput.logFiles(target.resolve("e2e-logs")))
                .start();
    }

    @AfterAll
    void stopSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void both_services_are_ready_once_started() throws Exception {
        // when
        HttpResponse<String> projector = get(system.projectorUrl() + "/health/readiness");
        HttpResponse<String> sessionService = get(system.sessionServiceUrl() + "/health/readiness");

        // then
        assertThat(projector.statusCode()).as(projector.body()).isEqualTo(200);
        assertThat(projector.body()).contains("\"state\":\"RUNNING\"");
        assertThat(sessionService.statusCode()).as(sessionService.body()).isEqualTo(200);
        assertThat(sessionService.body()).contains("\"commandOutcomes\"").contains("\"commandProducer\"");
    }

    @Test
    void prometheus_shows_the_processors_consumer_lag_and_the_command_producers_sends() throws Exception {
        // given a command through both services
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(
                        URI.create(system.sessionServiceUrl() + "/v2/customer_sessions/ops-1"))
                .header("Authorization", KEY).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"customerSession\": {\"state\": \"open\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

        // then (Micrometer looks for new Kafka client metrics once a minute)
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(get(system.projectorUrl() + "/prometheus").body())
                        .contains("kafka_consumer_fetch_manager_records_lag_max{")
                        .contains("customersessions_restore_partitions")
                        .contains("jvm_memory_used_bytes"));
        assertThat(get(system.sessionServiceUrl() + "/prometheus").body())
                .contains("kafka_producer_record_send_total{")
                .contains("customersessions_outcomes_pending")
                .contains("http_server_requests_seconds_count{");
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
