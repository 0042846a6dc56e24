package io.customersessions.service.http;

import io.customersessions.api.Validated;
import io.customersessions.domain.Rejection;

import java.util.List;

/** If-Match carries the updateCount the client last read, bare or as an ETag ({@code "3"}). */
final class IfMatch {

    private IfMatch() {
    }

    static Validated<Integer> parse(String header) {
        if (header == null || header.isBlank()) {
            return new Validated.Valid<>(null);
        }
        String value = header.trim();
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
        return new Validated.Invalid<>(List.of(new Rejection.Violation("", "invalid If-Match header",
                "If-Match must be the session's updateCount (a positive integer), got '" + header + "'")));
    }
}
