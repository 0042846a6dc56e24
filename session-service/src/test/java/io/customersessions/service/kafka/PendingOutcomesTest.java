package io.customersessions.service.kafka;

import io.customersessions.avro.CommandOutcome;
import io.netty.channel.DefaultEventLoop;
import org.apache.kafka.common.errors.SerializationException;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PendingOutcomesTest {

    private final PendingOutcomes pending = new PendingOutcomes();
    private final EventLoop eventLoop = new DefaultEventLoop();

    @AfterEach
    void stop() {
        eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void aRequestRegisteredOnAnEventLoopIsAnsweredOnThatEventLoop() throws Exception {
        CompletableFuture<String> answeredOn = eventLoop.submit(() -> pending.register("c-1")).get()
                .thenApply(outcome -> Thread.currentThread().getName());
        Thread eventLoopThread = eventLoop.submit(Thread::currentThread).get();

        pending.complete(outcome("c-1"));

        assertThat(answeredOn.get(5, TimeUnit.SECONDS)).isEqualTo(eventLoopThread.getName());
        eventLoop.submit(() -> { }).get(5, TimeUnit.SECONDS); // the completing task, which also forgets it, is done
        assertThat(pending.size()).isZero();
    }

    @Test
    void aRequestRegisteredElsewhereIsAnsweredByTheReadingThread() throws Exception {
        CompletableFuture<String> answeredOn = pending.register("c-2")
                .thenApply(outcome -> Thread.currentThread().getName());

        pending.complete(outcome("c-2"));

        assertThat(answeredOn.getNow("not yet")).isEqualTo(Thread.currentThread().getName());
    }

    @Test
    void anOutcomeNobodyWaitsForIsIgnoredAndAStoppedEventLoopStillGetsItsAnswer() throws Exception {
        CompletableFuture<CommandOutcome> waiting = eventLoop.submit(() -> pending.register("c-3")).get();
        eventLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);

        pending.complete(outcome("someone-else's"));
        pending.complete(outcome("c-3"));

        assertThat(waiting.getNow(null)).extracting(CommandOutcome::getCommandId).isEqualTo("c-3");
        assertThat(pending.size()).isZero();
    }

    @Test
    void anOutcomeIsReadOnlyForAWaitingRequestAndThenOnItsEventLoop() throws Exception {
        CompletableFuture<CommandOutcome> waiting = eventLoop.submit(() -> pending.register("c-4")).get();
        Thread eventLoopThread = eventLoop.submit(Thread::currentThread).get();
        List<String> readOn = new CopyOnWriteArrayList<>();

        pending.complete("someone-else's", () -> {
            readOn.add("someone-else's: " + Thread.currentThread().getName());
            return outcome("someone-else's");
        });
        pending.complete("c-4", () -> {
            readOn.add("c-4: " + Thread.currentThread().getName());
            return outcome("c-4");
        });

        assertThat(waiting.get(5, TimeUnit.SECONDS).getCommandId()).isEqualTo("c-4");
        assertThat(readOn).containsExactly("c-4: " + eventLoopThread.getName());
    }

    @Test
    void anOutcomeThatCannotBeReadOrAnswersAnotherCommandFailsOnlyItsOwnRequest() throws Exception {
        CompletableFuture<CommandOutcome> garbled = pending.register("c-5");
        CompletableFuture<CommandOutcome> misnamed = pending.register("c-6");
        CompletableFuture<CommandOutcome> fine = pending.register("c-7");

        pending.complete("c-5", () -> {
            throw new SerializationException("Unknown magic byte");
        });
        pending.complete("c-6", () -> outcome("c-7"));
        pending.complete("c-7", () -> outcome("c-7"));

        assertThat(garbled).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(OutcomeUnreadableException.class).withMessageContaining("Unknown magic byte");
        assertThat(misnamed).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(OutcomeUnreadableException.class).withMessageContaining("command c-7");
        assertThat(fine.getNow(null).getCommandId()).isEqualTo("c-7");
        assertThat(pending.size()).isZero();
    }

    private static CommandOutcome outcome(String commandId) {
        return CommandOutcome.newBuilder().setCommandId(commandId).setApplicationId(1).setIntegrationId("s-1")
                .setAccepted(true).setEventTypes(new ArrayList<>()).setSession(null).setRejection(null).build();
    }
}
