package io.customersessions.projector.ops;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessorReadinessTest {

    @Test
    void a_running_client_with_nothing_to_restore_is_ready() {
        // when
        HealthResult result = ProcessorReadiness.assess(Optional.of(KafkaStreams.State.RUNNING), Map.of());

        // then
        assertThat(result.getStatus()).isEqualTo(HealthStatus.UP);
        assertThat(result.getDetails()).isEqualTo(Map.of("state", "RUNNING", "restoring", Map.of()));
    }

    @ParameterizedTest
    @EnumSource(value = KafkaStreams.State.class, names = "RUNNING", mode = EnumSource.Mode.EXCLUDE)
    void a_client_that_is_not_running_is_not_ready(KafkaStreams.State state) {
        // when
        HealthResult result = ProcessorReadiness.assess(Optional.of(state), Map.of());

        // then
        assertThat(result.getStatus()).isEqualTo(HealthStatus.DOWN);
        assertThat(details(result)).containsEntry("state", state.name());
    }

    @Test
    void a_running_client_still_restoring_a_store_is_not_ready_and_says_how_far_it_is() {
        // when
        HealthResult result = ProcessorReadiness.assess(Optional.of(KafkaStreams.State.RUNNING),
                Map.of("customer-sessions", new RestoreProgress.StoreProgress(2, 1_500)));

        // then
        assertThat(result.getStatus()).isEqualTo(HealthStatus.DOWN);
        assertThat(details(result)).containsEntry("restoring",
                Map.of("customer-sessions", Map.of("partitions", 2, "remainingOffsets", 1_500L)));
    }

    @Test
    void an_instance_without_a_streams_client_is_not_ready() {
        // when
        HealthResult result = ProcessorReadiness.assess(Optional.empty(), Map.of());

        // then
        assertThat(result.getStatus()).isEqualTo(HealthStatus.DOWN);
        assertThat(details(result)).containsEntry("state", "NO_STREAMS_CLIENT");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(HealthResult result) {
        return (Map<String, Object>) result.getDetails();
    }
}
