package io.customersessions.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.customersessions.domain.SessionLimits.MAX_CART_ITEMS;
import static io.customersessions.domain.SessionLimits.MAX_CODE_LENGTH;
import static io.customersessions.domain.SessionLimits.MAX_DISCOUNTS;
import static io.customersessions.domain.SessionLimits.MAX_DISCOUNT_LABEL_LENGTH;
import static io.customersessions.domain.SessionLimits.MAX_IDEMPOTENCY_KEY_LENGTH;
import static io.customersessions.domain.SessionLimits.MAX_IDENTIFIERS;
import static io.customersessions.domain.SessionLimits.MAX_INTEGRATION_ID_LENGTH;
import static io.customersessions.domain.SessionLimits.MAX_LOYALTY_CARDS;
import static io.customersessions.domain.SessionLimits.MAX_REQUESTED_BY_LENGTH;
import static io.customersessions.domain.SessionLimits.MAX_TOTAL_QUANTITY;

/**
 * The stateless checks of {@link SessionDecider#validate}. Collects every violation rather than stopping at
 * the first, so a client can fix a request in one round trip. Pointers address the Talon.One request body:
 * {@code /customerSession/...} for an upsert, {@code /return/...} for a return, {@code /discounts/<label>} for
 * discounts; problems with the envelope (the session id in the path, the id and time the adapter stamps, the
 * Idempotency-Key header) point at the whole document, {@code ""}.
 */
final class CommandValidator {

    private static final String SESSION = "/customerSession";
    private static final String RETURNED_ITEMS = "/return/returnedCartItems";
    private static final String DISCOUNTS = "/discounts";

    private final List<Rejection.Violation> violations = new ArrayList<>();

    private CommandValidator() {
    }

    static List<Rejection.Violation> validate(SessionCommand command) {
        CommandValidator validator = new CommandValidator();
        validator.envelope(command);
        if (command instanceof SessionCommand.UpsertSession upsert) {
            validator.changes(upsert.changes());
            validator.idempotencyKey(upsert.idempotencyKey());
        } else if (command instanceof SessionCommand.ReturnItems returnItems) {
            validator.returnedItems(returnItems.returnedItems());
            validator.idempotencyKey(returnItems.idempotencyKey());
        } else if (command instanceof SessionCommand.SetDiscounts setDiscounts) {
            validator.discounts(setDiscounts.discounts());
        } else if (command instanceof SessionCommand.RedactPersonalData redact) {
            validator.requestedBy(redact.requestedBy());
        }
        validator.size(command);
        return List.copyOf(validator.violations);
    }

    /** A command carrying more than a session may hold could never be accepted: see {@link SessionSize}. */
    private void size(SessionCommand command) {
        long size = SessionSize.of(command);
        if (size > SessionLimits.MAX_SESSION_BYTES) {
            String pointer = command instanceof SessionCommand.UpsertSession ? SESSION
                    : command instanceof SessionCommand.ReturnItems ? RETURNED_ITEMS
                    : command instanceof SessionCommand.SetDiscounts ? DISCOUNTS : "";
            add(pointer, "request too large", "the request carries about " + SessionDecider.kib(size)
                    + " KiB of session data; a session holds at most "
                    + SessionDecider.kib(SessionLimits.MAX_SESSION_BYTES) + " KiB");
        }
    }

    private void envelope(SessionCommand command) {
        String integrationId = command.key() == null ? "" : command.key().integrationId();
        unicode("", "the customer session id", integrationId);
        if (integrationId.isBlank()) {
            add("", "invalid customerSessionId", "the customer session id must not be blank");
        } else if (integrationId.length() > MAX_INTEGRATION_ID_LENGTH) {
            add("", "invalid customerSessionId", "the customer session id has " + integrationId.length()
                    + " characters; at most " + MAX_INTEGRATION_ID_LENGTH + " are allowed");
        }
        if (command.commandId() == null || command.commandId().isBlank()) {
            add("", "missing commandId", "every command needs a non-blank command id");
        }
        if (command.time() == null) {
            add("", "missing time", "every command needs the time it was accepted");
        }
    }

    private void changes(SessionChanges changes) {
        unicode(SESSION + "/profileId", "the profileId", changes.profileId());
        unicode(SESSION + "/storeIntegrationId", "the storeIntegrationId", changes.storeIntegrationId());
        unicode(SESSION + "/referralCode", "the referral code", changes.referralCode());
        if (changes.profileId() != null && changes.profileId().length() > MAX_INTEGRATION_ID_LENGTH) {
            add(SESSION + "/profileId", "profileId too long", "the profileId has " + changes.profileId().length()
                    + " characters; at most " + MAX_INTEGRATION_ID_LENGTH + " are allowed");
        }
        if (changes.storeIntegrationId() != null
                && changes.storeIntegrationId().length() > MAX_INTEGRATION_ID_LENGTH) {
            add(SESSION + "/storeIntegrationId", "storeIntegrationId too long",
                    "the storeIntegrationId has " + changes.storeIntegrationId().length()
                            + " characters; at most " + MAX_INTEGRATION_ID_LENGTH + " are allowed");
        }
        if (changes.evaluableCampaignIds() != null) {
            List<Long> ids = changes.evaluableCampaignIds();
            for (int i = 0; i < ids.size(); i++) {
                if (ids.get(i) == null || ids.get(i) < 1) {
                    add(SESSION + "/evaluableCampaignIds/" + i, "invalid campaign id",
                            "campaign ids are positive integers; got " + ids.get(i));
                }
            }
        }
        if (changes.couponCodes() != null) {
            codes(SESSION + "/couponCodes", "coupon code", changes.couponCodes());
        }
        if (changes.referralCode() != null && changes.referralCode().length() > MAX_CODE_LENGTH) {
            add(SESSION + "/referralCode", "referral code too long", tooLong("referral code", changes.referralCode()));
        } else if (changes.referralCode() != null && !changes.referralCode().isEmpty()
                && changes.referralCode().isBlank()) {
            add(SESSION + "/referralCode", "blank referral code",
                    "a referral code must not be blank; an empty one (\"\") discards the referral");
        }
        if (changes.loyaltyCards() != null) {
            if (changes.loyaltyCards().size() > MAX_LOYALTY_CARDS) {
                add(SESSION + "/loyaltyCards", "too many loyalty cards", "at most " + MAX_LOYALTY_CARDS
                        + " loyalty card per session; got " + changes.loyaltyCards().size());
            }
            codes(SESSION + "/loyaltyCards", "loyalty card", changes.loyaltyCards());
        }
        if (changes.identifiers() != null) {
            // Counted as the session will hold them: exact duplicates are dropped (SessionDecider).
            long distinct = changes.identifiers().stream().distinct().count();
            if (distinct > MAX_IDENTIFIERS) {
                add(SESSION + "/identifiers", "too many identifiers", "at most " + MAX_IDENTIFIERS
                        + " identifiers per session; got " + distinct);
            }
            codes(SESSION + "/identifiers", "identifier", changes.identifiers());
        }
        if (changes.cartItems() != null) {
            cartItems(changes.cartItems());
        }
        if (changes.additionalCosts() != null) {
            costs(SESSION + "/additionalCosts", changes.additionalCosts());
        }
        if (changes.attributes() != null) {
            changes.attributes().forEach((name, value) -> {
                attribute(SESSION + "/attributes/" + escape(name), name, value);
                if (value == null) {
                    add(SESSION + "/attributes/" + escape(name), "missing attribute value",
                            "attribute '" + name + "' has no value");
                }
            });
        }
        if (changes.firstSession() != null) {
            add(SESSION + "/firstSession", "firstSession is read-only",
                    "firstSession is derived from the profile's sessions and cannot be set");
        }
    }

    private void codes(String pointer, String what, List<String> codes) {
        for (int i = 0; i < codes.size(); i++) {
            String code = codes.get(i);
            unicode(pointer + "/" + i, "the " + what, code);
            if (code.isBlank()) {
                add(pointer + "/" + i, "blank " + what, what + "s must not be blank");
            } else if (code.length() > MAX_CODE_LENGTH) {
                add(pointer + "/" + i, what + " too long", tooLong(what, code));
            }
        }
    }

    private void cartItems(List<CartItem> items) {
        if (items.size() > MAX_CART_ITEMS) {
            add(SESSION + "/cartItems", "too many cart items",
                    "at most " + MAX_CART_ITEMS + " cart items per request; got " + items.size());
        }
        long totalQuantity = 0;
        for (int i = 0; i < items.size(); i++) {
            CartItem item = items.get(i);
            String pointer = SESSION + "/cartItems/" + i;
            unicode(pointer + "/name", "the name", item.name());
            unicode(pointer + "/sku", "the sku", item.sku());
            unicode(pointer + "/category", "the category", item.category());
            unicode(pointer + "/productName", "the productName", item.productName());
            item.attributes().forEach((name, value) -> attribute(pointer + "/attributes/" + escape(name), name, value));
            if (item.sku() == null || item.sku().isBlank()) {
                add(pointer + "/sku", "missing sku", "every cart item needs a non-blank sku");
            }
            if (item.quantity() < 1) {
                add(pointer + "/quantity", "invalid quantity",
                        "the quantity must be at least 1; got " + item.quantity());
            }
            if (item.returnedQuantity() != 0) {
                add(pointer + "/returnedQuantity", "returnedQuantity is read-only",
                        "returned quantities change only through returns");
            }
            if (item.price() != null && item.price().signum() < 0) {
                add(pointer + "/price", "negative price", "the price must not be negative; got "
                        + Decimals.text(item.price()));
            }
            decimal(pointer + "/price", "the price", item.price());
            decimal(pointer + "/weight", "the weight", item.weight());
            decimal(pointer + "/height", "the height", item.height());
            decimal(pointer + "/width", "the width", item.width());
            decimal(pointer + "/length", "the length", item.length());
            costs(pointer + "/additionalCosts", item.additionalCosts());
            totalQuantity += Math.max(item.quantity(), 0);
        }
        if (totalQuantity > MAX_TOTAL_QUANTITY) {
            add(SESSION + "/cartItems", "too many units", "the quantities of all cart items must add up to at most "
                    + MAX_TOTAL_QUANTITY + "; they add up to " + totalQuantity);
        }
    }

    /** Talon.One's additional costs are {@code {"name": {"price": n}}}, hence the {@code /price} suffix. */
    private void costs(String pointer, Map<String, BigDecimal> costs) {
        costs.forEach((name, price) -> {
            String costPointer = pointer + "/" + escape(name) + "/price";
            unicode(pointer + "/" + escape(name), "the additional cost name", name);
            if (name.isBlank()) {
                add(pointer + "/" + escape(name), "blank additional cost name", "additional costs are named; "
                        + "a name must not be blank");
            }
            if (price == null) {
                add(costPointer, "missing additional cost price", "additional cost '" + name + "' needs a price");
            } else if (price.signum() < 0) {
                add(costPointer, "negative additional cost", "additional cost '" + name
                        + "' must not be negative; got " + Decimals.text(price));
            }
            decimal(costPointer, "additional cost '" + name + "'", price);
        });
    }

    private void returnedItems(List<ReturnedItem> items) {
        if (items.isEmpty()) {
            add(RETURNED_ITEMS, "nothing to return", "a return needs at least one returned cart item");
        }
        for (int i = 0; i < items.size(); i++) {
            ReturnedItem item = items.get(i);
            if (item.position() < 0) {
                add(RETURNED_ITEMS + "/" + i + "/position", "invalid position",
                        "the position is a 0-based cart item index; got " + item.position());
            }
            if (item.quantity() != null && item.quantity() < 1) {
                add(RETURNED_ITEMS + "/" + i + "/quantity", "invalid quantity",
                        "at least 1 unit must be returned (or none named, for the whole item); got "
                                + item.quantity());
            }
        }
    }

    /** Null means the client sent none. */
    private void idempotencyKey(String key) {
        if (key == null) {
            return;
        }
        unicode("", "the Idempotency-Key", key);
        if (key.isBlank()) {
            add("", "invalid Idempotency-Key", "the Idempotency-Key must not be blank");
        } else if (key.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
            add("", "invalid Idempotency-Key", "the Idempotency-Key has " + key.length()
                    + " characters; at most " + MAX_IDEMPOTENCY_KEY_LENGTH + " are allowed");
        }
    }

    /** Stamped by the adapter, so a bad value is a bug there; still checked, as it is kept on the event. */
    private void requestedBy(String requestedBy) {
        if (requestedBy == null || requestedBy.isBlank()) {
            add("", "missing requestedBy", "a redaction records who asked for it; requestedBy must not be blank");
        } else if (requestedBy.length() > MAX_REQUESTED_BY_LENGTH) {
            add("", "requestedBy too long", "requestedBy has " + requestedBy.length() + " characters; at most "
                    + MAX_REQUESTED_BY_LENGTH + " are allowed");
        }
    }

    private void discounts(Map<String, BigDecimal> discounts) {
        if (discounts.size() > MAX_DISCOUNTS) {
            add(DISCOUNTS, "too many discounts",
                    "at most " + MAX_DISCOUNTS + " discounts per session; got " + discounts.size());
        }
        discounts.forEach((label, value) -> {
            String pointer = DISCOUNTS + "/" + escape(label);
            unicode(pointer, "the discount label", label);
            if (label.isBlank()) {
                add(pointer, "blank discount label", "discount labels must not be blank");
            } else if (label.length() > MAX_DISCOUNT_LABEL_LENGTH) {
                add(pointer, "discount label too long", "the discount label has " + label.length()
                        + " characters; at most " + MAX_DISCOUNT_LABEL_LENGTH + " are allowed");
            }
            if (value == null) {
                add(pointer, "missing discount value", "discount '" + label + "' needs a value");
            } else if (value.signum() < 0) {
                add(pointer, "negative discount", "discount '" + label + "' must not be negative; got "
                        + Decimals.text(value));
            }
            decimal(pointer, "discount '" + label + "'", value);
        });
    }

    /** Null (not given) passes; the caller reports a missing value where one is required. */
    private void decimal(String pointer, String what, BigDecimal value) {
        if (value != null && !Decimals.fits(value)) {
            add(pointer, "number out of range", Decimals.outOfRange(what, value));
        }
    }

    /** An attribute's name and its value (canonical JSON text, see the api module's {@code CanonicalJson}). */
    private void attribute(String pointer, String name, String value) {
        unicode(pointer, "the attribute name", name);
        unicode(pointer, "attribute '" + name + "'", value);
    }

    /**
     * Every text is written to the log as UTF-8, which has no encoding for half of a UTF-16 surrogate pair (JSON
     * can carry one as an escape, a backslash then {@code ud800}): written, it would become '?' and the session
     * would hold another text than the one sent. Null passes.
     */
    private void unicode(String pointer, String what, String value) {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            if (pair) {
                i++;
            } else if (Character.isSurrogate(c)) {
                add(pointer, "invalid text", what + " holds an unpaired UTF-16 surrogate (\\u"
                        + Integer.toHexString(c) + " at index " + i + "), which no Unicode text can hold");
                return;
            }
        }
    }

    private static String tooLong(String what, String value) {
        return "the " + what + " has " + value.length() + " characters; at most " + MAX_CODE_LENGTH + " are allowed";
    }

    /** RFC 6901: a map key becomes one pointer segment. */
    static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }

    private void add(String pointer, String title, String details) {
        violations.add(new Rejection.Violation(pointer, title, details));
    }
}
