package io.customersessions.service.http;

import io.customersessions.api.Validated;
import io.customersessions.domain.Rejection;
import io.customersessions.domain.SessionCommand;

import java.util.List;

/**
 * A write's precondition, as the command's {@code expectedUpdateCount}: {@code If-Match} carries the updateCount the
 * client last read, bare or as an ETag ({@code "3"}), or {@code *} for any existing session ({@link
 * SessionCommand#EXISTS}: an update that never creates); {@code If-None-Match: *} asks that no session exist yet
 * ({@link SessionCommand#ABSENT}: a create that never overwrites).
 */
final class IfMatch {

    private IfMatch() {
    }

    static Validated<Integer> parse(String header) {
        if (header == null || header.isBlank()) {
            return new Validated.Valid<>(null);
        }
        String value = header.trim();
        if (value.equals("*")) {
            return new Validated.Valid<>(SessionCommand.EXISTS);
        }
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        try {
            int count = Integer.parseInt(value);
            if (count >= 1) {
                return new Validated.Valid<>(count);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        return invalid("invalid If-Match header", "If-Match must be the session's updateCount (a positive integer) "
                + "or *, got '" + header + "'");
    }

    /** {@code If-None-Match} of a write: only {@code *}; with {@code If-Match} as well, a 400. */
    static Validated<Integer> parse(String ifMatch, String ifNoneMatch) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return parse(ifMatch);
        }
        if (!ifNoneMatch.trim().equals("*")) {
            return invalid("invalid If-None-Match header", "a write takes If-None-Match: * only (create the session, "
                    + "never overwrite it), got '" + ifNoneMatch + "'");
        }
        if (ifMatch != null && !ifMatch.isBlank()) {
            return invalid("conflicting preconditions", "send If-Match or If-None-Match, not both");
        }
        return new Validated.Valid<>(SessionCommand.ABSENT);
    }

    private static Validated<Integer> invalid(String title, String details) {
        return new Validated.Invalid<>(List.of(new Rejection.Violation("", title, details)));
    }
}
