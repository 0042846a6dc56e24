package io.customersessions.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JitWarmupTest {

    @Test
    void rounds_go_on_until_one_in_which_the_compilers_were_quiet() {
        Iterator<Double> cores = List.of(0.9, 0.4, 0.1, 0.09, 0.5).iterator();

        List<Double> rounds = JitWarmup.rounds(Duration.ofMinutes(1), cores::next);

        assertThat(rounds).containsExactly(0.9, 0.4, 0.1, 0.09);
    }

    @Test
    void no_round_starts_once_the_limit_has_passed_but_there_is_always_one() {
        List<Double> rounds = JitWarmup.rounds(Duration.ZERO, () -> 1.0);

        assertThat(rounds).containsExactly(1.0);
    }
}
