package io.customersessions.service.kafka;

import io.customersessions.avro.CommandOutcome;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
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

    private static CommandOutcome outcome(String commandId) {
        return CommandOutcome.newBuilder().setCommandId(commandId).setApplicationId(1).setIntegrationId("s-1")
                .setAccepted(true).setEventTypes(new ArrayList<>()).setSession(null).setRejection(null).build();
    }
}
