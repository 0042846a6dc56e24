package io.customersessions.bench;

import io.customersessions.bench.BenchOptions.Phase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchOptionsTest {

    @Test
    void without_options_the_documented_defaults_apply() {
        // when
        BenchOptions options = BenchOptions.parse();

        // then
        assertThat(options.sessions()).isEqualTo(10_000);
        assertThat(options.commands()).isEqualTo(200_000);
        assertThat(options.foldWarmup()).isEqualTo(10_000);
        assertThat(options.footprintSessions()).isEqualTo(1_000_000);
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(20));
        assertThat(options.concurrency()).containsExactly(8, 32, 64);
        assertThat(options.skip()).isEmpty();
    }

    @Test
    void skip_duration_and_concurrency_are_read_as_lists_and_times() {
        // when
        BenchOptions options = BenchOptions.parse("--skip", "footprint,replay", "--duration", "2m",
                "--concurrency", "4, 16", "--warmup", "0s");

        // then
        assertThat(options.runs(Phase.FOOTPRINT)).isFalse();
        assertThat(options.runs(Phase.REPLAY)).isFalse();
        assertThat(options.runs(Phase.FOLD)).isTrue();
        assertThat(options.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(options.warmup()).isZero();
        assertThat(options.concurrency()).isEqualTo(List.of(4, 16));
    }

    @Test
    void an_unknown_phase_or_a_non_positive_count_is_refused_with_the_option_named() {
        assertThatThrownBy(() -> BenchOptions.parse("--skip", "folds"))
                .hasMessageContaining("unknown phase folds");
        assertThatThrownBy(() -> BenchOptions.parse("--commands", "0"))
                .hasMessageContaining("--commands");
        assertThatThrownBy(() -> BenchOptions.parse("--duration", "0s"))
                .hasMessageContaining("--duration");
        assertThatThrownBy(() -> BenchOptions.parse("--fold-warmup", "-1"))
                .hasMessageContaining("--fold-warmup");
    }

    @Test
    void the_fold_warm_up_can_be_left_out() {
        assertThat(BenchOptions.parse("--fold-warmup", "0").foldWarmup()).isZero();
        assertThat(BenchOptions.parse("--fold-warmup", "5_000").foldWarmup()).isEqualTo(5_000);
        assertThat(BenchOptions.defaults().warmupLimit()).isEqualTo(Duration.ofMinutes(2));
        assertThat(BenchOptions.parse("--warmup-limit", "30s").warmupLimit()).isEqualTo(Duration.ofSeconds(30));
    }
}
