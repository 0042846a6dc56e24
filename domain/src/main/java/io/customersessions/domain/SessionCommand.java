package io.customersessions.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A request to change one session. The adapter that accepts it stamps {@code commandId} and {@code time};
 * the decider takes both from here and never from a clock or a random source.
 * {@code expectedUpdateCount} carries If-Match: when non-null the command is rejected unless the session's
 * current {@code updateCount} equals it.
 */
public sealed interface SessionCommand {

    String commandId();

    SessionKey key();

    Instant time();

    Integer expectedUpdateCount();

    /** Create or update (Talon.One's PUT customer_sessions). A null requestedState keeps the state (open on create). */
    record UpsertSession(String commandId, SessionKey key, Instant time, Integer expectedUpdateCount,
                         Optional<SessionState> requestedState, SessionChanges changes) implements SessionCommand {
        public UpsertSession {
            requestedState = requestedState == null ? Optional.empty() : requestedState;
            changes = changes == null ? SessionChanges.NONE : changes;
        }
    }

    /** Return units of cart items (closed or partially_returned → partially_returned). */
    record ReturnItems(String commandId, SessionKey key, Instant time, Integer expectedUpdateCount,
                       List<ReturnedItem> returnedItems) implements SessionCommand {
        public ReturnItems {
            returnedItems = Collections2.copy(returnedItems);
        }
    }

    /** closed → open. */
    record ReopenSession(String commandId, SessionKey key, Instant time, Integer expectedUpdateCount)
            implements SessionCommand {
    }
}
