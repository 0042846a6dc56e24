package io.customersessions.service.kafka;

import io.customersessions.avro.CommandOutcome;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Requests waiting for the outcome of their command, by command id. */
@Singleton
public class PendingOutcomes {

    private final Map<String, CompletableFuture<CommandOutcome>> waiting = new ConcurrentHashMap<>();

    public CompletableFuture<CommandOutcome> register(String commandId) {
        CompletableFuture<CommandOutcome> future = new CompletableFuture<>();
        waiting.put(commandId, future);
        future.whenComplete((outcome, error) -> waiting.remove(commandId, future));
        return future;
    }

    /** Outcomes of commands this instance did not send (or already gave up on) are ignored. */
    public void complete(CommandOutcome outcome) {
        CompletableFuture<CommandOutcome> future = waiting.get(outcome.getCommandId());
        if (future != null) {
            future.complete(outcome);
        }
    }

    public int size() {
        return waiting.size();
    }
}
