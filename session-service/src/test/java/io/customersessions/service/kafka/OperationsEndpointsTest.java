package io.customersessions.service.kafka;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health, readiness and metrics need no key. In tests the Kafka beans are absent (no broker), so readiness is the
 * producer's alone here; the outcome subscriber's part runs in the launcher's end-to-end tests.
 */
@MicronautTest
class OperationsEndpointsTest {

    @Inject
    @Client("/")
    HttpClient client;
    @Inject
    ProducerHealth producer;
    @Inject
    PendingOutcomes pending;

    @AfterEach
    void producerRecovers() {
        producer.appended();
    }

    @Test
    void readiness_is_200_while_the_producer_appends() {
        // given
        producer.appended();

        // when
        HttpResponse<String> response = get("/health/readiness");

        // then
        assertThat(response.code()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"").contains("\"commandProducer\"");
    }

    @Test
    void readiness_is_503_after_a_failed_send_while_liveness_stays_200() {
        // given
        producer.failed(new TimeoutException("Topic customer-session-commands not present in metadata after 10000 ms."));

        // when
        HttpResponse<String> readiness = get("/health/readiness");
        HttpResponse<String> liveness = get("/health/liveness");

        // then
        assertThat(readiness.code()).isEqualTo(503);
        assertThat(readiness.body()).contains("not present in metadata");
        assertThat(liveness.code()).isEqualTo(200);
    }

    @Test
    void prometheus_needs_no_key_and_shows_jvm_http_and_pending_outcome_metrics() {
        // given
        pending.register("command-waiting-for-its-outcome");
        get("/health");

        // when
        HttpResponse<String> response = get("/prometheus");

        // then
        assertThat(response.code()).isEqualTo(200);
        assertThat(response.body())
                .contains("jvm_memory_used_bytes")
                .contains("http_server_requests_seconds_count{")
                .contains("customersessions_outcomes_pending 1.0");
    }

    private HttpResponse<String> get(String path) {
        try {
            return client.toBlocking().exchange(HttpRequest.GET(path), String.class);
        } catch (HttpClientResponseException e) {
            return HttpResponse.status(e.getStatus()).body(e.getResponse().getBody(String.class).orElse(""));
        }
    }
}
