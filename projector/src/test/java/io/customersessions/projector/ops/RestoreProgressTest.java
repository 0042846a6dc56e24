package io.customersessions.projector.ops;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RestoreProgressTest {

    private static final TopicPartition P0 = new TopicPartition("app-customer-sessions-changelog", 0);
    private static final TopicPartition P1 = new TopicPartition("app-customer-sessions-changelog", 1);
    private static final TopicPartition HISTORY = new TopicPartition("app-session-history-changelog", 0);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RestoreProgress progress = new RestoreProgress(registry);

    @Test
    void a_started_restore_counts_every_offset_between_start_and_end_as_remaining() {
        // given
        progress.onRestoreStart(P0, "customer-sessions", 100, 1_100);
        progress.onRestoreStart(P1, "customer-sessions", 0, 500);
        progress.onRestoreStart(HISTORY, "session-history", 0, 40);

        // when
        Map<String, RestoreProgress.StoreProgress> restoring = progress.restoring();

        // then
        assertThat(restoring).containsExactly(
                Map.entry("customer-sessions", new RestoreProgress.StoreProgress(2, 1_500)),
                Map.entry("session-history", new RestoreProgress.StoreProgress(1, 40)));
        assertThat(progress.isRestoring()).isTrue();
        assertThat(remainingGauge("customer-sessions")).isEqualTo(1_500);
        assertThat(registry.get(RestoreProgress.RESTORING).gauge().value()).isEqualTo(3);
    }

    @Test
    void each_restored_batch_lowers_the_remaining_offsets_to_what_follows_the_batch() {
        // given
        progress.onRestoreStart(P0, "customer-sessions", 100, 1_100);

        // when
        progress.onBatchRestored(P0, "customer-sessions", 599, 500);

        // then
        assertThat(progress.restoring().get("customer-sessions").remaining()).isEqualTo(500);
        assertThat(remainingGauge("customer-sessions")).isEqualTo(500);
    }

    @Test
    void an_ended_restore_leaves_nothing_remaining_even_when_transaction_markers_were_not_counted() {
        // given
        progress.onRestoreStart(P0, "customer-sessions", 0, 1_000);
        progress.onBatchRestored(P0, "customer-sessions", 997, 990);

        // when
        progress.onRestoreEnd(P0, "customer-sessions", 990);

        // then
        assertThat(progress.restoring()).isEmpty();
        assertThat(progress.isRestoring()).isFalse();
        assertThat(remainingGauge("customer-sessions")).isZero();
        assertThat(registry.get(RestoreProgress.RESTORING).gauge().value()).isZero();
    }

    @Test
    void a_restore_suspended_because_the_task_moved_away_no_longer_counts() {
        // given
        progress.onRestoreStart(P0, "customer-sessions", 0, 1_000);
        progress.onRestoreStart(P1, "customer-sessions", 0, 300);

        // when
        progress.onRestoreSuspended(P0, "customer-sessions", 120);

        // then
        assertThat(progress.restoring())
                .containsExactly(Map.entry("customer-sessions", new RestoreProgress.StoreProgress(1, 300)));
    }

    @Test
    void a_batch_of_a_partition_whose_restore_was_not_started_here_is_ignored() {
        // when
        progress.onBatchRestored(P0, "customer-sessions", 10, 10);

        // then
        assertThat(progress.restoring()).isEmpty();
    }

    private double remainingGauge(String store) {
        return registry.get(RestoreProgress.REMAINING).tag("store", store).gauge().value();
    }
}
