package io.customersessions.service.commands;

import io.customersessions.domain.CustomerSession;
import io.customersessions.domain.Rejection;

import java.util.List;

/** What the caller of {@link CommandGateway#submit} learns about its command. */
public sealed interface CommandResult {

    /** Folded: {@code session} is the state after the command's events. */
    record Accepted(CustomerSession session, List<String> eventTypes) implements CommandResult {
    }

    /** Decided against; nothing was appended. */
    record Rejected(Rejection rejection) implements CommandResult {
    }

    /**
     * Appended to the command log, but no outcome arrived in time (the processor is slow or restarting).
     * The command will still be decided exactly once; the client can read the session later.
     */
    record Pending(String commandId) implements CommandResult {
    }
}
