package io.customersessions.projector.ops;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Health, readiness and metrics are open (no key) and tell a load balancer whether to send reads here. */
@MicronautTest(environments = OperationsEndpointsTest.ENVIRONMENT)
class OperationsEndpointsTest {

    static final String ENVIRONMENT = "operations-endpoints";
    private static final TopicPartition CHANGELOG = new TopicPartition("processor-customer-sessions-changelog", 3);

    @Inject
    @Client("/")
    HttpClient client;
    @Inject
    SettableClientState clientState;
    @Inject
    RestoreProgress restore;

    @AfterEach
    void restoreEnds() {
        restore.onRestoreEnd(CHANGELOG, "customer-sessions", 0);
    }

    @Test
    void readiness_is_up_with_200_while_the_processor_runs_and_restores_nothing() {
        // given
        clientState.state = KafkaStreams.State.RUNNING;

        // when
        HttpResponse<String> response = get("/health/readiness");

        // then
        assertThat(response.code()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"").contains("\"state\":\"RUNNING\"");
    }

    @Test
    void readiness_is_503_while_the_processor_rebalances() {
        // given
        clientState.state = KafkaStreams.State.REBALANCING;

        // when
        HttpResponse<String> readiness = get("/health/readiness");
        HttpResponse<String> liveness = get("/health/liveness");

        // then
        assertThat(readiness.code()).isEqualTo(503);
        assertThat(readiness.body()).contains("\"state\":\"REBALANCING\"");
        assertThat(liveness.code()).isEqualTo(200);
    }

    @Test
    void readiness_is_503_while_a_store_restores_and_shows_the_offsets_left() {
        // given
        clientState.state = KafkaStreams.State.RUNNING;
        restore.onRestoreStart(CHANGELOG, "customer-sessions", 0, 2_000);
        restore.onBatchRestored(CHANGELOG, "customer-sessions", 499, 500);

        // when
        HttpResponse<String> response = get("/health/readiness");

        // then
        assertThat(response.code()).isEqualTo(503);
        assertThat(response.body()).contains("\"customer-sessions\":{").contains("\"remainingOffsets\":1500");
    }

    @Test
    void prometheus_needs_no_key_and_shows_jvm_metrics_and_restore_progress() {
        // given
        restore.onRestoreStart(CHANGELOG, "customer-sessions", 0, 2_000);

        // when
        HttpResponse<String> response = get("/prometheus");

        // then
        assertThat(response.code()).isEqualTo(200);
        assertThat(response.body())
                .contains("jvm_memory_used_bytes")
                .contains("customersessions_restore_partitions 1.0")
                .contains("customersessions_restore_remaining{store=\"customer-sessions\"} 2000.0");
    }

    private HttpResponse<String> get(String path) {
        try {
            return client.toBlocking().exchange(HttpRequest.GET(path), String.class);
        } catch (HttpClientResponseException e) {
            return HttpResponse.status(e.getStatus()).body(e.getResponse().getBody(String.class).orElse(""));
        }
    }

    @Singleton
    @Requires(env = ENVIRONMENT)
    @Replaces(StreamsClientState.class)
    static class SettableClientState implements StreamsClientState {
        volatile KafkaStreams.State state = KafkaStreams.State.CREATED;

        @Override
        public Optional<KafkaStreams.State> current() {
            return Optional.of(state);
        }
    }
}
