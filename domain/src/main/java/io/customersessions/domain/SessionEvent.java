package io.customersessions.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

/**
 * One fact about one session, as appended to the event log. Each accepted command yields exactly one
 * event; every event after {@link SessionCreated} increments {@code updateCount}. Event times never go
 * backwards within a session (the decider uses max(command time, last update)).
 */
public sealed interface SessionEvent {

    EventMeta meta();

    /**
     * Talon.One's built-in event name, e.g. {@code talon_session_created}; {@code talon_session_discounts_set}
     * is ours (Talon.One has no built-in event for discounts recorded from outside).
     */
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

    /** {@code idempotencyKey}: the return's Idempotency-Key, or null; kept for audit, it does not change the fold. */
    record SessionPartiallyReturned(EventMeta meta, List<ReturnedItem> returnedItems, String idempotencyKey)
            implements SessionEvent {
        public SessionPartiallyReturned {
            returnedItems = Collections2.copy(returnedItems);
        }

        /** A return without an Idempotency-Key. */
        public SessionPartiallyReturned(EventMeta meta, List<ReturnedItem> returnedItems) {
            this(meta, returnedItems, null);
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

    /**
     * The discounts recorded from the promotion engine replace the session's discounts; the state and the
     * content do not change. The event name is ours: Talon.One has no built-in one for this.
     */
    record SessionDiscountsSet(EventMeta meta, SortedMap<String, BigDecimal> discounts) implements SessionEvent {
        public SessionDiscountsSet {
            discounts = Collections2.sortedCopy(discounts);
        }

        public String talonType() {
            return "talon_session_discounts_set";
        }
    }

    /**
     * The session's personal data was erased ({@link PersonalData#redact(CustomerSession)}); the state and everything
     * accounting needs stay. {@code requestedBy} says who asked (a description, never a secret). The event name is
     * ours: Talon.One has no built-in one for this.
     */
    record SessionRedacted(EventMeta meta, String requestedBy) implements SessionEvent {
        public String talonType() {
            return "talon_session_redacted";
        }
    }
}
