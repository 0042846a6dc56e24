package io.customersessions.domain;

import java.util.Arrays;
import java.util.Optional;

/** Talon.One's customer-session states, with their wire names. */
public enum SessionState {
    OPEN("open"),
    CLOSED("closed"),
    PARTIALLY_RETURNED("partially_returned"),
    CANCELLED("cancelled");

    private final String wireName;

    SessionState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<SessionState> fromWireName(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
    }
}
