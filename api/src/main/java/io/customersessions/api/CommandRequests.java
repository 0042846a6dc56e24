package io.customersessions.api;

import io.customersessions.api.model.DiscountsRequest;
import io.customersessions.api.model.ReturnIntegrationRequest;
import io.customersessions.domain.Decimals;
import io.customersessions.domain.Rejection;
import io.customersessions.domain.ReturnedItem;
import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionDecider;
import io.customersessions.domain.SessionKey;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The commands beside the upsert: a return, a reopen, the discounts. As in {@link SessionRequests}, the JSON layer's
 * problems (missing objects, fractions, nulls) and the domain's limits ({@link SessionDecider#validate}) are reported
 * together, with pointers into the request body ({@code /return/returnedCartItems/0/quantity},
 * {@code /discounts/<label>}).
 */
public final class CommandRequests {

    private static final String RETURN = "/return";
    private static final String RETURNED_ITEMS = RETURN + "/returnedCartItems";
    private static final String DISCOUNTS = "/discounts";

    private CommandRequests() {
    }

    /** @param idempotencyKey the {@code Idempotency-Key} header, or null */
    public static Validated<SessionCommand.ReturnItems> parseReturn(String commandId, SessionKey key, Instant time,
                                                                    Integer expectedUpdateCount, String idempotencyKey,
                                                                    ReturnIntegrationRequest request) {
        List<Rejection.Violation> json = new ArrayList<>();
        List<ReturnedItem> items = new ArrayList<>();
        ReturnIntegrationRequest.Return body = request == null ? null : request.returnRequest();
        if (body == null) {
            json.add(new Rejection.Violation(RETURN, "missing return",
                    "the request body needs a \"return\" object with \"returnedCartItems\""));
        } else if (body.returnedCartItems() == null) {
            json.add(new Rejection.Violation(RETURNED_ITEMS, "missing returnedCartItems",
                    "the return needs a \"returnedCartItems\" array"));
        } else {
            for (int i = 0; i < body.returnedCartItems().size(); i++) {
                ReturnIntegrationRequest.ReturnedCartItem item = body.returnedCartItems().get(i);
                String pointer = RETURNED_ITEMS + "/" + i;
                if (item == null) {
                    json.add(new Rejection.Violation(pointer, "missing returned item",
                            "a returned cart item must be an object, not null"));
                    items.add(new ReturnedItem(0, 1));
                } else {
                    items.add(new ReturnedItem(whole(pointer + "/position", "position", item.position(), json),
                            item.quantity() == null ? null // the whole item, as in Talon.One
                                    : whole(pointer + "/quantity", "quantity", item.quantity(), json)));
                }
            }
        }
        SessionCommand.ReturnItems command = new SessionCommand.ReturnItems(commandId, key, time, expectedUpdateCount,
                items, idempotencyKey);
        return validated(command, json);
    }

    public static Validated<SessionCommand.ReopenSession> parseReopen(String commandId, SessionKey key, Instant time,
                                                                      Integer expectedUpdateCount) {
        return validated(new SessionCommand.ReopenSession(commandId, key, time, expectedUpdateCount), List.of());
    }

    public static Validated<SessionCommand.SetDiscounts> parseDiscounts(String commandId, SessionKey key, Instant time,
                                                                        Integer expectedUpdateCount,
                                                                        DiscountsRequest request) {
        List<Rejection.Violation> json = new ArrayList<>();
        SortedMap<String, BigDecimal> discounts = new TreeMap<>();
        if (request == null || request.discounts() == null) {
            json.add(new Rejection.Violation(DISCOUNTS, "missing discounts",
                    "the request body needs a \"discounts\" object mapping labels to values ({} clears them)"));
        } else {
            for (Map.Entry<String, BigDecimal> discount : request.discounts().entrySet()) {
                if (discount.getValue() == null) {
                    json.add(new Rejection.Violation(DISCOUNTS + JsonPointers.segment(discount.getKey()),
                            "missing discount value", "discount '" + discount.getKey() + "' needs a value"));
                } else {
                    discounts.put(discount.getKey(), discount.getValue());
                }
            }
        }
        return validated(new SessionCommand.SetDiscounts(commandId, key, time, expectedUpdateCount, discounts), json);
    }

    private static <C extends SessionCommand> Validated<C> validated(C command, List<Rejection.Violation> json) {
        List<Rejection.Violation> violations = SessionRequests.merge(json, SessionDecider.validate(command));
        return violations.isEmpty() ? new Validated.Valid<>(command) : new Validated.Invalid<>(violations);
    }

    /** Read as a number so that a fraction is reported instead of truncated; a substitute keeps checks going. */
    private static int whole(String pointer, String name, BigDecimal value, List<Rejection.Violation> violations) {
        if (value == null) {
            violations.add(new Rejection.Violation(pointer, "missing " + name, "every returned cart item needs a "
                    + name));
            return name.equals("quantity") ? 1 : 0;
        }
        try {
            return value.intValueExact();
        } catch (ArithmeticException notAnInt) {
            violations.add(new Rejection.Violation(pointer, "invalid " + name, "the " + name
                    + " must be a whole number within range; got " + Decimals.text(value)));
            return name.equals("quantity") ? 1 : 0;
        }
    }
}
