package io.customersessions.service.kafka;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ProducerHealthTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ProducerHealth health = new ProducerHealth(now::get);

    @Test
    void a_producer_that_has_sent_nothing_yet_is_usable() {
        // when
        HealthResult result = result();

        // then
        assertThat(result.getStatus()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void a_failed_latest_send_makes_the_instance_not_ready_and_says_why() {
        // given
        health.appended();

        // when
        health.failed(new TimeoutException("Expiring 1 record(s) for customer-session-commands-3"));
        HealthResult result = result();

        // then
        assertThat(result.getStatus()).isEqualTo(HealthStatus.DOWN);
        assertThat(((Map<?, ?>) result.getDetails()).get("lastFailure"))
                .isEqualTo("TimeoutException: Expiring 1 record(s) for customer-session-commands-3");
    }

    @Test
    void a_send_appended_after_a_failure_makes_it_ready_again() {
        // given
        health.failed(new TimeoutException("no broker"));

        // when
        health.appended();

        // then
        assertThat(result().getStatus()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void a_failure_counts_only_for_the_hold_so_that_an_instance_without_traffic_offers_itself_again() {
        // given
        health.failed(new TimeoutException("no broker"));

        // when
        now.addAndGet(ProducerHealth.FAILURE_HOLD.minus(Duration.ofMillis(1)).toNanos());
        HealthStatus withinHold = result().getStatus();
        now.addAndGet(Duration.ofMillis(1).toNanos());
        HealthStatus afterHold = result().getStatus();

        // then
        assertThat(withinHold).isEqualTo(HealthStatus.DOWN);
        assertThat(afterHold).isEqualTo(HealthStatus.UP);
    }

    private HealthResult result() {
        return health.current();
    }
}
