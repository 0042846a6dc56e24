package io.customersessions.projector.ops;

import io.customersessions.projector.streams.GenerationLag;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class ViewsCatchUpReadinessTest {

    private static final TopicPartition P0 = new TopicPartition("customer-session-events", 0);
    private static final TopicPartition P1 = new TopicPartition("customer-session-events", 1);

    private final ExecutorService blocking = Executors.newSingleThreadExecutor();
    private final Deque<Supplier<GenerationLag.LogPositions>> answers = new ArrayDeque<>();
    private final ViewsCatchUpReadiness readiness = new ViewsCatchUpReadiness(() -> answers.removeFirst().get(),
            blocking);

    @AfterEach
    void stop() {
        blocking.shutdownNow();
    }

    @Test
    void a_generation_still_folding_the_log_is_not_ready_and_says_how_far_behind_it_is() {
        // given
        answer(Map.of(P0, 100L, P1, 50L), Map.of(P0, 40L));

        // when
        HealthResult result = ask();

        // then
        assertThat(result.getStatus()).isEqualTo(HealthStatus.DOWN);
        assertThat(result.getDetails()).isEqualTo(Map.of("caughtUp", false, "behindFirstTarget", 110L));
    }

    @Test
    void it_is_ready_once_it_reached_where_the_log_ended_when_first_asked_although_the_log_moved_on() {
        // given
        answer(Map.of(P0, 100L, P1, 50L), Map.of());
        answer(Map.of(P0, 180L, P1, 90L), Map.of(P0, 100L, P1, 49L));
        answer(Map.of(P0, 250L, P1, 120L), Map.of(P0, 170L, P1, 50L));

        // when
        HealthResult first = ask();
        HealthResult second = ask();
        HealthResult third = ask();

        // then
        assertThat(first.getStatus()).isEqualTo(HealthStatus.DOWN);
        assertThat(second.getStatus()).isEqualTo(HealthStatus.DOWN);
        assertThat(second.getDetails()).isEqualTo(Map.of("caughtUp", false, "behindFirstTarget", 1L));
        assertThat(third.getStatus()).isEqualTo(HealthStatus.UP);
        assertThat(third.getDetails()).isEqualTo(Map.of("caughtUp", true));
    }

    @Test
    void once_caught_up_it_stays_ready_without_reading_the_offsets_again() {
        // given
        answer(Map.of(P0, 10L), Map.of(P0, 10L));
        ask();
        answers.add(() -> {
            throw new GenerationLag.LagUnavailableException("no broker", null);
        });

        // when
        HealthResult later = ask();

        // then
        assertThat(later.getStatus()).isEqualTo(HealthStatus.UP);
        assertThat(answers).hasSize(1);
    }

    @Test
    void offsets_that_cannot_be_read_before_it_caught_up_are_not_ready_with_the_reason() {
        // given
        answers.add(() -> {
            throw new GenerationLag.LagUnavailableException("cannot read the offsets: timed out", null);
        });

        // when
        HealthResult result = ask();

        // then
        assertThat(result.getStatus()).isEqualTo(HealthStatus.DOWN);
        assertThat(result.getDetails()).isEqualTo(Map.of("caughtUp", false,
                "error", "cannot read the offsets: timed out"));
    }

    private void answer(Map<TopicPartition, Long> ends, Map<TopicPartition, Long> committed) {
        answers.add(() -> new GenerationLag.LogPositions(ends, committed));
    }

    private HealthResult ask() {
        CompletableFuture<HealthResult> result = new CompletableFuture<>();
        readiness.getResult().subscribe(new Subscriber<>() {
            @Override
            public void onSubscribe(Subscription subscription) {
                subscription.request(1);
            }

            @Override
            public void onNext(HealthResult next) {
                result.complete(next);
            }

            @Override
            public void onError(Throwable error) {
                result.completeExceptionally(error);
            }

            @Override
            public void onComplete() {
                result.completeExceptionally(new AssertionError("no result"));
            }
        });
        return result.join();
    }
}
