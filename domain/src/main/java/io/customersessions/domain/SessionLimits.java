package io.customersessions.domain;

/** Talon.One's limits on one customer-session request. */
public final class SessionLimits {
    public static final int MAX_CART_ITEMS = 1000;
    public static final int MAX_TOTAL_QUANTITY = 10_000;
    public static final int MAX_IDENTIFIERS = 5;
    public static final int MAX_CODE_LENGTH = 100;
    public static final int MAX_LOYALTY_CARDS = 1;
    /** Session, profile and store integration ids. */
    public static final int MAX_INTEGRATION_ID_LENGTH = 1000;

    private SessionLimits() {
    }
}
