package io.customersessions.api;

import io.customersessions.domain.Rejection;

import java.util.List;

/** A parsed request: the value, or every violation found in it (never both, never an empty list). */
public sealed interface Validated<T> {

    record Valid<T>(T value) implements Validated<T> {
    }

    record Invalid<T>(List<Rejection.Violation> violations) implements Validated<T> {
        public Invalid {
            if (violations == null || violations.isEmpty()) {
                throw new IllegalArgumentException("an invalid request has at least one violation");
            }
            violations = List.copyOf(violations);
        }
    }
}
