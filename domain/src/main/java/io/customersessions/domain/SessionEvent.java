package io.customersessions.domain;

import java.time.Instant;
import java.util.List;

/**
 * One fact about one session, as appended to the event log. Each accepted command yields exactly one
 * event; every event after {@link SessionCreated} increments {@code updateCount}. Event times never go
 * backwards within a session (the decider uses max(command time, last update)).
 */
public sealed interface SessionEvent {

    EventMeta meta();

    /** Talon.One's built-in event name, e.g. {@code talon_session_created}. */
    String talonType();

    /** {@code eventId} is {@code <commandId>/<index>}: deterministic and unique. */
    record EventMeta(String eventId, String commandId, SessionKey key, Instant time) {
    }

    record SessionCreated(EventMeta meta, long sessionId, SessionState state, SessionChanges changes)
            implements SessionEvent {
        public String talonType() {
            return "talon_session_created";
        }
    }

    /** An open session stays open. */
    record SessionUpdated(EventMeta meta, SessionChanges changes) implements SessionEvent {
        public String talonType() {
            return "talon_session_updated";
        }
    }

    /** open → closed, with the update's changes. */
    record SessionClosed(EventMeta meta, SessionChanges changes) implements SessionEvent {
        public String talonType() {
            return "talon_session_closed";
        }
    }

    /** open → cancelled, with the update's changes. */
    record SessionCancelled(EventMeta meta, SessionChanges changes) implements SessionEvent {
        public String talonType() {
            return "talon_session_cancelled";
        }
    }

    /** closed or partially_returned → cancelled: what the closing granted is revoked. No content changes. */
    record SessionRevoked(EventMeta meta, SessionState fromState) implements SessionEvent {
        public String talonType() {
            return "talon_session_revoked";
        }
    }

    record SessionPartiallyReturned(EventMeta meta, List<ReturnedItem> returnedItems) implements SessionEvent {
        public SessionPartiallyReturned {
            returnedItems = Collections2.copy(returnedItems);
        }

        public String talonType() {
            return "talon_session_partially_returned";
        }
    }

    /** closed → open. */
    record SessionReopened(EventMeta meta) implements SessionEvent {
        public String talonType() {
            return "talon_session_reopened";
        }
    }
}
