package io.customersessions.domain;

import java.util.List;
import java.util.Optional;

/**
 * The whole behaviour of a customer session: {@link #validate} (stateless checks), {@link #decide}
 * (command + current state → events or a rejection) and {@link #evolve} (state + event → state).
 * Pure functions: no clock, no randomness, no I/O. Every module that folds sessions uses this one.
 */
public final class SessionDecider {

    private SessionDecider() {
    }

    /** Checks that need no state (types aside): limits, required fields, lengths. Empty when valid. */
    public static List<Rejection.Violation> validate(SessionCommand command) {
        throw new UnsupportedOperationException("TODO");
    }

    public static Decision decide(Optional<CustomerSession> state, SessionCommand command, DecisionContext context) {
        throw new UnsupportedOperationException("TODO");
    }

    /** {@code state} is empty only for the first event of a session, which must be {@link SessionEvent.SessionCreated}. */
    public static CustomerSession evolve(Optional<CustomerSession> state, SessionEvent event) {
        throw new UnsupportedOperationException("TODO");
    }
}
