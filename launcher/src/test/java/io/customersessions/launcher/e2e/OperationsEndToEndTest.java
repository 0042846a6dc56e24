package io.customersessions.launcher.e2e;

import io.customersessions.launcher.EmbeddedSystem;
import io.customersessions.launcher.testing.SystemHttp;
import io.customersessions.launcher.testing.TestSystems;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a load balancer and Prometheus see of the real system, without any key: both services ready once started,
 * and their metrics, the processor's consumer lag and restore progress and the command producer's sends included.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperationsEndToEndTest {

    private final SystemHttp http = new SystemHttp();
    @AutoClose
    private EmbeddedSystem system;

    @BeforeAll
    void startSystem() {
        system = TestSystems.builder("operations").start();
    }

    @Test
    void both_services_are_ready_once_started() {
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
    void prometheus_shows_the_processors_consumer_lag_and_the_command_producers_sends() {
        // given a command through both services, with personal data (sealed in the log, opened by the history)
        HttpResponse<String> put = http.put(system.sessionServiceUrl() + "/v2/customer_sessions/ops-1",
                "{\"customerSession\": {\"state\": \"open\", \"profileId\": \"ops-customer\"}}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

        // then (Micrometer looks for new Kafka client metrics once a minute)
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(get(system.projectorUrl() + "/prometheus").body())
                        .contains("kafka_consumer_fetch_manager_records_lag_max{")
                        .contains("customersessions_restore_partitions")
                        .containsPattern("(?m)^customersessions_datakeys_held [1-9]")
                        .containsPattern("(?m)^customersessions_datakeys_catchups_total [1-9]")
                        .contains("jvm_memory_used_bytes"));
        assertThat(get(system.sessionServiceUrl() + "/prometheus").body())
                .contains("kafka_producer_record_send_total{")
                .contains("customersessions_outcomes_pending")
                .contains("http_server_requests_seconds_count{");
    }

    /** As a load balancer or Prometheus asks: without a key. */
    private HttpResponse<String> get(String url) {
        return http.get(url, null);
    }
}
