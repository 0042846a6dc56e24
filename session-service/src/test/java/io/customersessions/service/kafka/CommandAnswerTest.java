package io.customersessions.service.kafka;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.Rejection;
import io.customersessions.service.commands.CommandResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What a PUT answers when the processor's outcome does not come in time: "appended, result pending" (202) tells
 * the client not to send the command again, so it is said only of a command the broker has acknowledged.
 */
class CommandAnswerTest {

    private static final Duration TIMEOUT = Duration.ofMillis(50);

    @Test
    void no_outcome_in_time_for_an_acknowledged_command_is_pending() {
        // given
        CompletableFuture<Void> appended = CompletableFuture.completedFuture(null);

        // when
        CommandResult result = KafkaCommandGateway.answer("c-1", new CompletableFuture<>(), appended, TIMEOUT).join();

        // then
        assertThat(result).isEqualTo(new CommandResult.Pending("c-1"));
    }

    @Test
    void no_outcome_in_time_for_a_command_still_being_sent_waits_for_the_send_and_fails_with_it() {
        // given a send the broker has not acknowledged when the outcome's time is up
        CompletableFuture<CommandOutcome> outcome = new CompletableFuture<>();
        CompletableFuture<Void> appended = new CompletableFuture<>();
        CompletableFuture<CommandResult> answer = KafkaCommandGateway.answer("c-2", outcome, appended, TIMEOUT);

        // when the outcome's time is up (the wait for it fails), then the send fails (the delivery timeout)
        assertThat(catchThrowable(outcome::join)).hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
        boolean answeredBeforeTheSend = answer.isDone();
        appended.completeExceptionally(new CommandNotAppendedException(
                new org.apache.kafka.common.errors.TimeoutException("Expiring 1 record(s): 20000 ms has passed")));

        // then no "pending" was answered, and the answer is the failure (a 503: not appended, retry)
        assertThat(answeredBeforeTheSend).isFalse();
        Throwable failure = catchThrowable(answer::join);
        assertThat(failure).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(CommandNotAppendedException.class);
    }

    @Test
    void an_outcome_this_version_cannot_map_is_pending_not_a_failure() {
        // given the outcome of a newer processor, rejecting for a reason this version does not know
        CommandOutcome outcome = CommandOutcome.newBuilder().setCommandId("c-4").setApplicationId(1)
                .setIntegrationId("s-1").setAccepted(false).setEventTypes(List.of())
                .setRejection(Rejection.newBuilder().setReason("A_REASON_OF_A_LATER_VERSION").setMessage("no")
                        .setViolations(List.of()).build())
                .build();

        // when
        CommandResult result = KafkaCommandGateway.answer("c-4", CompletableFuture.completedFuture(outcome),
                CompletableFuture.completedFuture(null), TIMEOUT).join();

        // then
        assertThat(result).isEqualTo(new CommandResult.Pending("c-4"));
    }

    @Test
    void a_send_that_fails_before_the_timeout_fails_the_answer_at_once() {
        // given
        CompletableFuture<CommandOutcome> outcome = new CompletableFuture<>();
        CompletableFuture<Void> appended = new CompletableFuture<>();
        CommandNotAppendedException notAppended = new CommandNotAppendedException(new IllegalStateException("fenced"));
        appended.completeExceptionally(notAppended);
        outcome.completeExceptionally(notAppended);

        // when
        Throwable failure = catchThrowable(() -> KafkaCommandGateway.answer("c-3", outcome, appended,
                Duration.ofMinutes(1)).join());

        // then
        assertThat(failure).hasCauseInstanceOf(CommandNotAppendedException.class);
    }
}
