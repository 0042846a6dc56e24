package io.customersessions.projector.ops;

import io.customersessions.projector.streams.FirstCatchUp;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ViewsCatchUpReadinessTest {

    @Test
    void a_generation_still_folding_the_log_is_not_ready_and_says_how_far_behind_it_is() {
        // when
        HealthResult result = ViewsCatchUpReadiness.assess(new FirstCatchUp.Progress.Behind(110));

        // then
        assertThat(result.getStatus()).isEqualTo(HealthStatus.DOWN);
        assertThat(result.getDetails()).isEqualTo(Map.of("caughtUp", false, "behindFirstTarget", 110L));
    }

    @Test
    void a_generation_that_caught_up_is_ready() {
        // when
        HealthResult result = ViewsCatchUpReadiness.assess(new FirstCatchUp.Progress.CaughtUp());

        // then
        assertThat(result.getStatus()).isEqualTo(HealthStatus.UP);
        assertThat(result.getDetails()).isEqualTo(Map.of("caughtUp", true));
    }

    @Test
    void offsets_not_read_yet_are_not_ready_with_the_reason() {
        // when
        HealthResult result = ViewsCatchUpReadiness.assess(new FirstCatchUp.Progress.Unknown("timed out"));

        // then
        assertThat(result.getStatus()).isEqualTo(HealthStatus.DOWN);
        assertThat(result.getDetails()).isEqualTo(Map.of("caughtUp", false, "error", "timed out"));
    }
}
