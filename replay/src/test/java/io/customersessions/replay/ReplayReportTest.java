package io.customersessions.replay;

import io.customersessions.eventlog.Topics;
import io.customersessions.replay.Comparison.Difference;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayReportTest {

    private static final ReplayOptions OPTIONS = ReplayOptions.parse(new String[0], Map.of());

    @Test
    void a_consistent_run_reports_its_counts_and_speed() {
        // given
        Comparison comparison = new Comparison(1234, 500_000, List.of());

        // when
        String report = Replay.report(OPTIONS, new Replay.Outcome(Topics.defaults(), comparison, 2_000_000_000L));

        // then
        assertThat(report).isEqualTo("""
                replay of customer-session-events against customer-session-state at localhost:9092
                sessions checked: 1,234
                events folded:    500,000 in 2.00 s (250,000 events/s)
                differences:      0
                """);
    }

    @Test
    void the_listing_of_differences_stops_at_100_lines_and_counts_the_rest() {
        // given
        List<Difference> differences = IntStream.range(0, 130)
                .mapToObj(i -> new Difference(String.format("1:s-%03d", i / 2), "total", "1", "2")).toList();
        Comparison comparison = new Comparison(65, 200, differences);

        // when
        String report = Replay.report(OPTIONS, new Replay.Outcome(Topics.defaults(), comparison, 1_000_000L));

        // then
        List<String> lines = report.lines().toList();
        assertThat(lines).contains("differences:      130 in 65 sessions");
        assertThat(lines).contains("1:s-000 total: live=1 rebuilt=2", "1:s-049 total: live=1 rebuilt=2");
        assertThat(lines).doesNotContain("1:s-050 total: live=1 rebuilt=2");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("… and 30 more");
        assertThat(lines).hasSize(4 + 100 + 1);
    }

    @Test
    void a_usage_error_exits_with_2_and_prints_the_usage() {
        // given
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        // when
        int status = Replay.run(new String[] {"--since", "last-tuesday"}, Map.of(),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));

        // then
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--since needs an ISO-8601 instant")
                .contains("usage:");
    }
}
