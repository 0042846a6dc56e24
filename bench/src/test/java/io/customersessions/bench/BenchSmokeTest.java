package io.customersessions.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's own smoke test, the only one the build runs: the limit and fold phases with a few commands on a real
 * embedded broker. The figures themselves mean nothing here; that they are measured, and that the fold answered
 * every command, does.
 */
class BenchSmokeTest {

    private static final int COMMANDS = 500;
    private static final int WARMUP = 200;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void limit_and_fold_phases_measure_positive_rates_and_fold_every_command() throws Exception {
        // given
        Path report = Path.of("target", "smoke", "bench-report.md");
        BenchOptions options = BenchOptions.parse("--commands", String.valueOf(COMMANDS),
                "--fold-warmup", String.valueOf(WARMUP), "--warmup-limit", "0s",
                "--skip", "updates,reads,replay,footprint", "--report", report.toString());
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        // when
        Bench.Outcome outcome;
        try (Bench.Resources resources = new Bench.Resources();
             PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            outcome = Bench.run(options, "bench smoke test", resources, out);
        }

        // then
        assertThat(outcome.limitWarmup()).hasValueSatisfying(warmup -> {
            assertThat(warmup.records()).as("each round produces and consumes --commands other commands")
                    .isEqualTo(COMMANDS);
            assertThat(warmup.jitCores()).as("one round within a limit of 0s").hasSize(1);
        });
        assertThat(outcome.produced()).hasValueSatisfying(rate -> {
            assertThat(rate.records()).isEqualTo(COMMANDS);
            assertThat(rate.perSecond()).isPositive();
            assertThat(rate.megabytesPerSecond()).isPositive();
        });
        assertThat(outcome.consumed()).hasValueSatisfying(rate -> {
            assertThat(rate.records()).isEqualTo(COMMANDS);
            assertThat(rate.perSecond()).isPositive();
        });
        assertThat(outcome.foldWarmup()).hasValueSatisfying(warmup -> {
            assertThat(warmup.rounds()).as("one round within a limit of 0s").hasSize(1).allSatisfy(round -> {
                assertThat(round.outcomes()).as("each round folds commands of its own").isEqualTo(WARMUP);
                assertThat(round.settings()).doesNotContainEntry("application.id",
                        outcome.fold().orElseThrow().settings().get("application.id"));
            });
            assertThat(warmup.commands()).isEqualTo((long) WARMUP * warmup.rounds().size());
        });
        assertThat(outcome.fold()).hasValueSatisfying(fold -> {
            assertThat(fold.outcomes()).as("one committed outcome per command").isEqualTo(COMMANDS);
            assertThat(fold.rejected()).as("the workload's commands are all accepted").isZero();
            assertThat(fold.perSecond()).isPositive();
            assertThat(fold.settings()).containsEntry("processing.guarantee", "exactly_once_v2");
            FoldRun.CommitTime commit = fold.commitTime();
            assertThat(List.of(commit.flushMs(), commit.offsetsMs(), commit.commitMs()))
                    .as("a commit's steps, from the stream thread's producer's totals").allSatisfy(ms ->
                            assertThat(ms).isPositive());
            assertThat(fold.costs().commitShare()).as("the stream thread's share of the run spent in commits")
                    .isPositive().isLessThan(1);
            if (Files.isDirectory(Path.of("/proc/self/task"))) { // Linux: the compiler threads' CPU is readable
                assertThat(fold.costs().jitShareOfJvmCpu()).as("the JIT compiler's CPU against the JVM's")
                        .isPositive().isLessThan(1);
            }
            fold.secondHalf().ifPresent(half -> {
                assertThat(half.commands()).isBetween(1L, (long) COMMANDS / 2);
                assertThat(half.perSecond()).isPositive();
            });
        });
        assertThat(Files.readString(outcome.reportFile()))
                .startsWith("# customer-sessions benchmark")
                .contains("bench smoke test", "cores: ", "Kafka: ", "| fold | outcomes committed | 500 of 500",
                        "| fold | JIT compiler's share of the JVM's CPU | ",
                        "| fold | warm-up (not measured: compiles the code the fold runs) | ",
                        "| limit | warm-up (not measured: compiles the broker's and the clients' code) | ");
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("commands/s", "records/s");
    }
}
