package io.customersessions.domain;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * An upper bound of how many bytes a session, or what a command carries, takes when written to the log: every
 * string and decimal text counted in UTF-8 with a length prefix, every other value and every field and element
 * with room to spare. Kafka refuses records over 1 MiB (its default {@code max.request.size} and {@code
 * max.message.bytes}), and the processor cannot skip a record it failed to write under exactly-once: one session
 * over the limit would stop the fold of every session, again after each restart. {@link
 * SessionLimits#MAX_SESSION_BYTES} keeps every record the fold writes below that: the state (the session), the
 * outcome (the session, and a rejection's at most 101 violations of at most 2 000 characters of pointer and of
 * details each) and the event (what the command changed, at most the session, twice when its personal data is
 * sealed). The bound is checked against the real Avro encoding by a property test of the codec.
 */
public final class SessionSize {

    /** A length or count prefix (a varint of at most 5 bytes) with a union branch; also a null. */
    private static final int PREFIX = 6;
    /** An int or a long, e.g. a campaign id or a returned item's position and quantity. */
    private static final int NUMBER = 10;
    /** The fixed fields of a session, a command or an event envelope: ids, times, counts, flags. */
    private static final int RECORD = 256;
    /** The fixed fields of a cart item: its quantities, union branches and map ends. */
    private static final int ITEM = 2 * NUMBER + 16;
    /** The four totals a written session carries as decimal text. */
    private static final int TOTALS = 4 * 80;

    private SessionSize() {
    }

    public static long of(CustomerSession session) {
        return RECORD + text(session.key().integrationId()) + text(session.profileId())
                + text(session.storeIntegrationId()) + longs(session.evaluableCampaignIds())
                + texts(session.couponCodes()) + text(session.referralCode()) + texts(session.loyaltyCards())
                + cart(session.cartItems()) + decimals(session.additionalCosts()) + texts(session.identifiers())
                + texts(session.attributes()) + decimals(session.discounts()) + TOTALS;
    }

    /** What a command carries: its changes, returned items or discounts, and its envelope. */
    public static long of(SessionCommand command) {
        long size = RECORD + text(command.commandId())
                + text(command.key() == null ? null : command.key().integrationId());
        if (command instanceof SessionCommand.UpsertSession upsert) {
            size += of(upsert.changes()) + text(upsert.idempotencyKey());
        } else if (command instanceof SessionCommand.ReturnItems returnItems) {
            size += (long) returnItems.returnedItems().size() * 2 * NUMBER + text(returnItems.idempotencyKey());
        } else if (command instanceof SessionCommand.SetDiscounts setDiscounts) {
            size += decimals(setDiscounts.discounts());
        } else if (command instanceof SessionCommand.RedactPersonalData redact) {
            size += text(redact.requestedBy()) + text(redact.erasedProfileId());
        }
        return size;
    }

    static long of(SessionChanges changes) {
        return RECORD + text(changes.profileId()) + text(changes.storeIntegrationId())
                + longs(changes.evaluableCampaignIds()) + texts(changes.couponCodes()) + text(changes.referralCode())
                + texts(changes.loyaltyCards()) + cart(changes.cartItems()) + decimals(changes.additionalCosts())
                + texts(changes.identifiers()) + texts(changes.attributes());
    }

    private static long cart(List<CartItem> items) {
        if (items == null) {
            return PREFIX;
        }
        long size = PREFIX;
        for (CartItem item : items) {
            size += ITEM + text(item.name()) + text(item.sku()) + decimal(item.price()) + text(item.category())
                    + text(item.productName()) + decimal(item.weight()) + decimal(item.height())
                    + decimal(item.width()) + decimal(item.length()) + texts(item.attributes())
                    + decimals(item.additionalCosts());
        }
        return size;
    }

    private static long text(String value) {
        return value == null ? PREFIX : PREFIX + utf8Length(value);
    }

    private static long decimal(BigDecimal value) {
        if (value == null) {
            return PREFIX;
        }
        // Plain text: sign, the digits (more than precision when the scale is negative or above it), the point.
        long digits = Math.max(value.precision(), Math.max((long) value.scale(), (long) value.precision()
                - value.scale()) + 1);
        return PREFIX + 2 + digits;
    }

    private static long texts(Collection<String> values) {
        if (values == null) {
            return PREFIX;
        }
        long size = PREFIX;
        for (String value : values) {
            size += text(value);
        }
        return size;
    }

    private static long texts(Map<String, String> values) {
        return entries(values, SessionSize::text);
    }

    private static long decimals(Map<String, BigDecimal> values) {
        return entries(values, SessionSize::decimal);
    }

    private static <V> long entries(Map<String, V> values, ToLongFunction<V> valueSize) {
        if (values == null) {
            return PREFIX;
        }
        long size = PREFIX;
        for (Map.Entry<String, V> entry : values.entrySet()) {
            size += text(entry.getKey()) + valueSize.applyAsLong(entry.getValue());
        }
        return size;
    }

    private static long longs(List<Long> values) {
        return values == null ? PREFIX : PREFIX + (long) values.size() * NUMBER;
    }

    /** UTF-8 bytes of {@code value}, without encoding it: 1 to 3 bytes per char, 4 per surrogate pair. */
    static long utf8Length(String value) {
        long bytes = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800 || Character.isSurrogate(c)) {
                bytes += 2; // a surrogate pair is 4 bytes: 2 per half
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
