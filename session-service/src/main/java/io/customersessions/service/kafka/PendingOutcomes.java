package io.customersessions.service.kafka;

import io.customersessions.avro.CommandOutcome;
import io.netty.util.internal.ThreadExecutorMap;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Requests waiting for the outcome of their command, by command id.
 *
 * <p>An outcome completes its request on the thread that registered it when that is one of the HTTP server's event
 * loops (as for every command sent from a controller): mapping the outcome and writing the answer's JSON then run
 * where the answer is written anyway, spread over all event loops, and the one thread that reads the outcomes
 * ({@link OutcomeSubscriber}) only hands them over. A request registered elsewhere is completed on the reading
 * thread. (Netty's {@code ThreadExecutorMap} names the event loop of the current thread; it is in an internal
 * package but public, and every Netty event loop has set it since 4.1.30. Should it ever answer null, requests are
 * completed on the reading thread as before: slower, never wrong.)
 */
@Singleton
public class PendingOutcomes {

    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

    private record Waiting(CompletableFuture<CommandOutcome> future, Executor executor) {
    }

    public CompletableFuture<CommandOutcome> register(String commandId) {
        CompletableFuture<CommandOutcome> future = new CompletableFuture<>();
        Waiting entry = new Waiting(future, ThreadExecutorMap.currentExecutor());
        waiting.put(commandId, entry);
        future.whenComplete((outcome, error) -> waiting.remove(commandId, entry));
        return future;
    }

    /** Outcomes of commands this instance did not send (or already gave up on) are ignored. */
    public void complete(CommandOutcome outcome) {
        Waiting entry = waiting.get(outcome.getCommandId());
        if (entry == null) {
            return;
        }
        if (entry.executor() == null) {
            entry.future().complete(outcome);
            return;
        }
        try {
            entry.executor().execute(() -> entry.future().complete(outcome));
        } catch (RejectedExecutionException shuttingDown) {
            entry.future().complete(outcome);
        }
    }

    public int size() {
        return waiting.size();
    }
}
