package io.customersessions.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TargetVerdictTest {

    @Test
    void a_target_is_met_only_by_a_measurement_without_errors() {
        // given: 40,000 answers per second at p99 2 ms
        Wrk.Result clean = new Wrk.Result(600_000, 15_000_000, 500, 1_500, 2_000, 9_000, 0, 0);
        Wrk.Result refused = new Wrk.Result(600_000, 15_000_000, 500, 1_500, 2_000, 9_000, 600_000, 0);
        Wrk.Result dropped = new Wrk.Result(600_000, 15_000_000, 500, 1_500, 2_000, 9_000, 0, 3);

        // when / then
        assertThat(SystemPhases.targetMet(clean, result -> result.perSecond() >= 30_000)).isTrue();
        assertThat(SystemPhases.targetMet(refused, result -> result.perSecond() >= 30_000)).isFalse();
        assertThat(SystemPhases.targetMet(dropped, result -> result.perSecond() >= 30_000)).isFalse();
        assertThat(SystemPhases.targetMet(clean, result -> result.perSecond() >= 50_000)).isFalse();
    }
}
