package io.customersessions.domain;

import java.util.List;

/**
 * Why a command was not accepted. A value, not an exception: adapters map {@link Reason} to a status in one
 * place (400, 404, 409, 412, 422). {@code violations} point into the request body (JSON pointers) for invalid input.
 */
public record Rejection(Reason reason, String message, List<Violation> violations) {

    public enum Reason {
        /** The command itself is malformed or over a limit (HTTP 400). */
        INVALID_INPUT,
        /** The operation needs an existing session (HTTP 404). */
        NOT_FOUND,
        /** The state machine forbids it in the session's current state (HTTP 409). */
        FORBIDDEN_TRANSITION,
        /** If-Match did not equal the session's updateCount (HTTP 412). */
        VERSION_MISMATCH,
        /**
         * An Idempotency-Key this session has seen came with a different request (HTTP 422, as the IETF's
         * Idempotency-Key header draft asks): answering the first outcome would tell the client its new request
         * was done.
         */
        IDEMPOTENCY_KEY_REUSED
    }

    /** {@code pointer} is a JSON pointer into the request body, e.g. {@code /customerSession/cartItems/3/quantity}. */
    public record Violation(String pointer, String title, String details) {
    }

    public Rejection {
        violations = Collections2.copy(violations);
    }

    public static Rejection of(Reason reason, String message) {
        return new Rejection(reason, message, List.of());
    }
}
