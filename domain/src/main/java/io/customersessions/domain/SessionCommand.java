package io.customersessions.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * A request to change one session. The adapter that accepts it stamps {@code commandId} and {@code time};
 * the decider takes both from here and never from a clock or a random source.
 * {@code expectedUpdateCount} carries the request's precondition: when non-null the command is rejected unless
 * the session's current {@code updateCount} equals it (If-Match). Two values no session's count takes stand for the
 * headers' {@code *}: {@link #EXISTS} (If-Match: *, the session must exist) and {@link #ABSENT} (If-None-Match: *,
 * it must not: a create that never overwrites).
 */
public sealed interface SessionCommand {

    /** {@code expectedUpdateCount} of If-Match: *: any existing session. */
    int EXISTS = -1;

    /** {@code expectedUpdateCount} of If-None-Match: *: no session yet (an existing one has updateCount 1 or more). */
    int ABSENT = 0;

    String commandId();

    SessionKey key();

    Instant time();

    Integer expectedUpdateCount();

    /**
     * Create or update (Talon.One's PUT customer_sessions). A null requestedState keeps the state (open on create).
     * {@code idempotencyKey} is the client's {@code Idempotency-Key} header, or null: as for {@link ReturnItems},
     * the decider only validates it, and the processor answers a repeated key with the first outcome.
     */
    record UpsertSession(String commandId, SessionKey key, Instant time, Integer expectedUpdateCount,
                         Optional<SessionState> requestedState, SessionChanges changes, String idempotencyKey)
            implements SessionCommand {
        public UpsertSession {
            requestedState = requestedState == null ? Optional.empty() : requestedState;
            changes = changes == null ? SessionChanges.NONE : changes;
        }

        /** An update without an Idempotency-Key. */
        public UpsertSession(String commandId, SessionKey key, Instant time, Integer expectedUpdateCount,
                             Optional<SessionState> requestedState, SessionChanges changes) {
            this(commandId, key, time, expectedUpdateCount, requestedState, changes, null);
        }

        public UpsertSession withIdempotencyKey(String idempotencyKey) {
            return new UpsertSession(commandId, key, time, expectedUpdateCount, requestedState, changes,
                    idempotencyKey);
        }
    }

    /**
     * Return units of cart items (closed or partially_returned → partially_returned).
     *
     * <p>{@code idempotencyKey} is the client's {@code Idempotency-Key} header, or null. The decider only
     * validates it and records it on the event for audit; remembering keys and replaying the first outcome of a
     * repeated key is the processor's job, since it needs more than this session's state.
     */
    record ReturnItems(String commandId, SessionKey key, Instant time, Integer expectedUpdateCount,
                       List<ReturnedItem> returnedItems, String idempotencyKey) implements SessionCommand {
        public ReturnItems {
            returnedItems = Collections2.copy(returnedItems);
        }

        /** A return without an Idempotency-Key. */
        public ReturnItems(String commandId, SessionKey key, Instant time, Integer expectedUpdateCount,
                           List<ReturnedItem> returnedItems) {
            this(commandId, key, time, expectedUpdateCount, returnedItems, null);
        }
    }

    /** closed → open. */
    record ReopenSession(String commandId, SessionKey key, Instant time, Integer expectedUpdateCount)
            implements SessionCommand {
    }

    /**
     * Records the discounts a promotion engine (not part of this service) granted: label → discount value, as
     * Talon.One's v1 {@code CustomerSession.discounts}. Replaces the whole map; an empty map clears it. Allowed
     * while the session is open or closed (the engine may settle the final discounts at close).
     */
    record SetDiscounts(String commandId, SessionKey key, Instant time, Integer expectedUpdateCount,
                        SortedMap<String, BigDecimal> discounts) implements SessionCommand {
        public SetDiscounts {
            discounts = Collections2.sortedCopy(discounts);
        }
    }

    /**
     * Erases the customer's personal data from the session (right to erasure): see {@link PersonalData}.
     * Accepted in every state, cancelled and already redacted included. {@code requestedBy} is a non-secret
     * description of who asked (e.g. {@code integration-api-key:<first 12 hex of the key's SHA-256>}), stamped by
     * the adapter and kept on the event for audit; never a key. {@code erasedProfileId} is the customer profile
     * whose erasure asked for it, which the session may have had only before its current one ({@code null}: not
     * known, as in commands written before schema v9). It decides which profile's first-session claim the session
     * gives up; the event does not record it.
     */
    record RedactPersonalData(String commandId, SessionKey key, Instant time, Integer expectedUpdateCount,
                              String requestedBy, String erasedProfileId) implements SessionCommand {

        public RedactPersonalData(String commandId, SessionKey key, Instant time, Integer expectedUpdateCount,
                                  String requestedBy) {
            this(commandId, key, time, expectedUpdateCount, requestedBy, null);
        }
    }
}
