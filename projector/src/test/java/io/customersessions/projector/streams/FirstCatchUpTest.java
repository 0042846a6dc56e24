package io.customersessions.projector.streams;

import io.customersessions.eventlog.Topics;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class FirstCatchUpTest {

    private static final String EVENTS = "customer-session-events";
    private static final TopicPartition P0 = new TopicPartition(EVENTS, 0);
    private static final TopicPartition P1 = new TopicPartition(EVENTS, 1);
    private static final TopicPartition COMMANDS_0 = new TopicPartition("customer-session-commands", 0);

    private final Deque<Supplier<GenerationLag.LogPositions>> answers = new ArrayDeque<>();

    private FirstCatchUp catchUp(Generation.Role role) {
        return new FirstCatchUp(role, EVENTS, () -> answers.removeFirst().get());
    }

    private void answer(Map<TopicPartition, Long> ends, Map<TopicPartition, Long> committed) {
        answers.add(() -> new GenerationLag.LogPositions(ends, committed));
    }

    @Test
    void before_the_offsets_were_read_it_is_not_known_to_have_caught_up() {
        assertThat(catchUp(Generation.Role.VIEWS).progress()).isInstanceOf(FirstCatchUp.Progress.Unknown.class);
    }

    @Test
    void a_generation_still_folding_the_log_is_behind_by_the_events_it_has_not_folded() {
        // given
        FirstCatchUp catchUp = catchUp(Generation.Role.VIEWS);
        answer(Map.of(P0, 100L, P1, 50L), Map.of(P0, 40L));

        // when
        catchUp.check();

        // then
        assertThat(catchUp.progress()).isEqualTo(new FirstCatchUp.Progress.Behind(110));
    }

    @Test
    void it_has_caught_up_once_it_reached_where_the_log_ended_when_first_read_although_the_log_moved_on() {
        // given
        FirstCatchUp catchUp = catchUp(Generation.Role.VIEWS);
        answer(Map.of(P0, 100L, P1, 50L), Map.of());
        answer(Map.of(P0, 180L, P1, 90L), Map.of(P0, 100L, P1, 49L));
        answer(Map.of(P0, 250L, P1, 120L), Map.of(P0, 170L, P1, 50L));

        // when / then
        catchUp.check();
        assertThat(catchUp.progress()).isEqualTo(new FirstCatchUp.Progress.Behind(150));
        catchUp.check();
        assertThat(catchUp.progress()).isEqualTo(new FirstCatchUp.Progress.Behind(1));
        catchUp.check();
        assertThat(catchUp.progress()).isEqualTo(new FirstCatchUp.Progress.CaughtUp());
    }

    @Test
    void the_processor_s_command_backlog_does_not_count_only_the_event_log_does() {
        // given
        FirstCatchUp catchUp = catchUp(Generation.Role.PROCESSOR);
        answer(Map.of(P0, 10L, COMMANDS_0, 500L), Map.of(P0, 10L, COMMANDS_0, 20L));

        // when
        catchUp.check();

        // then
        assertThat(catchUp.progress()).isEqualTo(new FirstCatchUp.Progress.CaughtUp());
    }

    @Test
    void once_caught_up_it_stays_so_without_reading_the_offsets_again() {
        // given
        FirstCatchUp catchUp = catchUp(Generation.Role.VIEWS);
        answer(Map.of(P0, 10L), Map.of(P0, 10L));
        catchUp.check();
        answers.add(() -> {
            throw new GenerationLag.LagUnavailableException("no broker", null);
        });

        // when
        catchUp.check();

        // then
        assertThat(catchUp.progress()).isEqualTo(new FirstCatchUp.Progress.CaughtUp());
        assertThat(answers).hasSize(1);
    }

    @Test
    void offsets_that_cannot_be_read_leave_it_unknown_with_the_reason_and_the_next_read_goes_on() {
        // given
        FirstCatchUp catchUp = catchUp(Generation.Role.VIEWS);
        answers.add(() -> {
            throw new GenerationLag.LagUnavailableException("cannot read the offsets: timed out", null);
        });
        answer(Map.of(P0, 10L), Map.of(P0, 10L));

        // when / then
        catchUp.check();
        assertThat(catchUp.progress())
                .isEqualTo(new FirstCatchUp.Progress.Unknown("cannot read the offsets: timed out"));
        catchUp.check();
        assertThat(catchUp.progress()).isEqualTo(new FirstCatchUp.Progress.CaughtUp());
    }

    @Test
    void a_views_generation_gates_every_store_the_processor_only_its_history() {
        FirstCatchUp views = catchUp(Generation.Role.VIEWS);
        FirstCatchUp processor = catchUp(Generation.Role.PROCESSOR);

        assertThat(views.gates(Topics.SESSION_STORE)).isTrue();
        assertThat(views.gates(Topics.SESSION_LISTING_STORE)).isTrue();
        assertThat(views.gates(Topics.SESSION_HISTORY_STORE)).isTrue();
        assertThat(processor.gates(Topics.SESSION_HISTORY_STORE)).isTrue();
        assertThat(processor.gates(Topics.SESSION_HISTORY_HEADS_STORE)).isTrue();
        assertThat(processor.gates(Topics.EVENTS_BY_TIME_STORE)).isTrue();
        assertThat(processor.gates(Topics.SESSION_STORE)).isFalse();
        assertThat(processor.gates(Topics.SESSION_LISTING_STORE)).isFalse();
        assertThat(processor.gates(Topics.IDEMPOTENT_OUTCOMES_STORE)).isFalse();
    }
}
