package io.customersessions.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Why a command was not accepted. A value, not an exception: adapters map {@link Reason} to a status in one
 * place (400, 404, 409, 412, 422). {@code violations} point into the request body (JSON pointers) for invalid input.
 *
 * <p>A rejection stays small however a request is wrong, because it is written to the log as a command's outcome
 * and Kafka refuses a record over 1 MiB, which the processor could not skip under exactly-once: it lists at most
 * {@link SessionLimits#MAX_VIOLATIONS} violations and counts the rest in a last one, and each violation holds at
 * most {@value #MAX_VIOLATION_TEXT} characters of pointer and of details (a pointer names a client's map key, of any
 * length). Both are kept by the constructor, whoever builds the rejection, and keeping them again changes nothing.
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

    static final int MAX_VIOLATION_TEXT = 2000;

    public Rejection {
        violations = listed(violations);
    }

    private static List<Violation> listed(List<Violation> violations) {
        if (violations == null || violations.isEmpty()) {
            return List.of();
        }
        boolean tooMany = violations.size() > SessionLimits.MAX_VIOLATIONS + 1;
        int shown = tooMany ? SessionLimits.MAX_VIOLATIONS : violations.size();
        List<Violation> listed = new ArrayList<>(shown + 1);
        for (Violation violation : violations.subList(0, shown)) {
            listed.add(new Violation(shortened(violation.pointer()), violation.title(),
                    shortened(violation.details())));
        }
        if (tooMany) {
            listed.add(new Violation("", "more errors", (violations.size() - shown) + " more errors are not listed"));
        }
        return List.copyOf(listed);
    }

    private static String shortened(String text) {
        return text == null || text.length() <= MAX_VIOLATION_TEXT ? text
                : text.substring(0, MAX_VIOLATION_TEXT - 1) + "…";
    }

    public static Rejection of(Reason reason, String message) {
        return new Rejection(reason, message, List.of());
    }
}
