package io.customersessions.domain;

import io.customersessions.domain.Rejection.Reason;
import io.customersessions.domain.Rejection.Violation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What one rejection holds, whoever builds it: the processor writes it to the log as the command's outcome. */
class RejectionTest {

    @Test
    void lists_a_hundred_violations_counts_the_rest_and_shortens_long_texts() {
        // given 102 violations, the first with a 5 000-character pointer and details
        List<Violation> violations = new ArrayList<>();
        violations.add(new Violation("/" + "k".repeat(5_000), "invalid", "d".repeat(5_000)));
        for (int i = 1; i < 102; i++) {
            violations.add(new Violation("/" + i, "invalid", "details " + i));
        }

        // when
        Rejection rejection = new Rejection(Reason.INVALID_INPUT, "invalid request", violations);

        // then
        assertThat(rejection.violations()).hasSize(101);
        assertThat(rejection.violations().get(0).pointer()).hasSize(2_000).endsWith("k…");
        assertThat(rejection.violations().get(0).details()).hasSize(2_000).endsWith("d…");
        assertThat(rejection.violations().get(99)).isEqualTo(violations.get(99));
        assertThat(rejection.violations().get(100))
                .isEqualTo(new Violation("", "more errors", "2 more errors are not listed"));
    }

    @Test
    void a_rejection_read_back_from_the_log_is_kept_as_written() {
        // given a rejection that already counts what it does not list, and one of exactly 101 violations
        List<Violation> many = new ArrayList<>();
        List<Violation> hundredAndOne = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            many.add(new Violation("/" + i, "invalid", "x".repeat(3_000)));
        }
        for (int i = 0; i < 101; i++) {
            hundredAndOne.add(new Violation("/" + i, "invalid", "details " + i));
        }
        Rejection listed = new Rejection(Reason.INVALID_INPUT, "invalid request", many);

        // when built again from its parts, as the codec does
        Rejection again = new Rejection(listed.reason(), listed.message(), listed.violations());

        // then
        assertThat(again).isEqualTo(listed);
        assertThat(again.violations().get(100).details()).isEqualTo("200 more errors are not listed");
        assertThat(new Rejection(Reason.INVALID_INPUT, "m", hundredAndOne).violations()).isEqualTo(hundredAndOne);
    }
}
