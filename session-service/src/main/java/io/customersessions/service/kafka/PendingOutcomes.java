package io.customersessions.service.kafka;

import io.customersessions.avro.CommandOutcome;
import io.netty.util.internal.ThreadExecutorMap;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Requests waiting for the outcome of their command, by command id.
 *
 * <p>An outcome completes its request on the thread that registered it when that is one of the HTTP server's event
 * loops (as for every command sent from a controller): decoding the outcome, mapping it and writing the answer's
 * JSON then run where the answer is written anyway, spread over all event loops, and the one thread that reads the
 * outcomes ({@link OutcomeSubscriber}) only hands them over. A request registered elsewhere is completed on the
 * reading thread. (Netty's {@code ThreadExecutorMap} names the event loop of the current thread; it is in an internal
 * package but public, and every Netty event loop has set it since 4.1.30. Should it ever answer null, requests are
 * completed on the reading thread as before: slower, never wrong.)
 */
@Singleton
public class PendingOutcomes {

    private static final Logger LOG = LoggerFactory.getLogger(PendingOutcomes.class);

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
        complete(outcome.getCommandId(), () -> outcome);
    }

    /**
     * Completes the request waiting for {@code commandId}, if any, with the outcome {@code read} returns; {@code
     * read} is called only then, on the request's thread (see above), so the outcomes of other instances' commands
     * are never decoded. An outcome that cannot be read, or that answers another command, completes the request
     * with {@link OutcomeUnreadableException}: the command was appended, only its answer is lost.
     */
    public void complete(String commandId, Supplier<CommandOutcome> read) {
        Waiting entry = waiting.get(commandId);
        if (entry == null) {
            return;
        }
        Runnable completion = () -> completeWith(commandId, entry.future(), read);
        if (entry.executor() == null) {
            completion.run();
            return;
        }
        try {
            entry.executor().execute(completion);
        } catch (RejectedExecutionException shuttingDown) {
            completion.run();
        }
    }

    private static void completeWith(String commandId, CompletableFuture<CommandOutcome> future,
                                     Supplier<CommandOutcome> read) {
        CommandOutcome outcome;
        try {
            outcome = read.get();
        } catch (RuntimeException e) {
            LOG.error("the outcome of command {} cannot be read", commandId, e);
            future.completeExceptionally(new OutcomeUnreadableException(commandId, e.getMessage()));
            return;
        }
        if (outcome == null || !commandId.equals(outcome.getCommandId())) {
            String answered = outcome == null ? "nothing" : "command " + outcome.getCommandId();
            LOG.error("the outcome named for command {} answers {}", commandId, answered);
            future.completeExceptionally(new OutcomeUnreadableException(commandId, "it answers " + answered));
            return;
        }
        future.complete(outcome);
    }

    /** Whether a request of this instance waits for the outcome of {@code commandId}. */
    public boolean waitsFor(String commandId) {
        return waiting.containsKey(commandId);
    }

    public int size() {
        return waiting.size();
    }
}
