package io.customersessions.domain;

/** Talon.One's limits on one customer-session request, and ours where Talon.One names none. */
public final class SessionLimits {
    public static final int MAX_CART_ITEMS = 1000;
    public static final int MAX_TOTAL_QUANTITY = 10_000;
    public static final int MAX_IDENTIFIERS = 5;
    public static final int MAX_CODE_LENGTH = 100;
    public static final int MAX_LOYALTY_CARDS = 1;
    /** Session, profile and store integration ids. */
    public static final int MAX_INTEGRATION_ID_LENGTH = 1000;
    /** Labels per discounts map, and characters per label: our limits, as Talon.One's model documents none. */
    public static final int MAX_DISCOUNTS = 1000;
    public static final int MAX_DISCOUNT_LABEL_LENGTH = 1000;
    /** Characters of a return's Idempotency-Key header. */
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
    /** Characters of the caller description a redaction records. */
    public static final int MAX_REQUESTED_BY_LENGTH = 255;
    /**
     * Bytes of one session, and of what one command carries, as {@link SessionSize} bounds them: every record the
     * fold writes then stays below Kafka's default 1 MiB (an event holds at most the session's data twice).
     */
    public static final long MAX_SESSION_BYTES = 384 * 1024;
    /** Violations listed in one rejection; the rest are counted in a last one. */
    public static final int MAX_VIOLATIONS = 100;

    private SessionLimits() {
    }
}
