package io.customersessions.api;

import io.customersessions.api.model.AdditionalCost;
import io.customersessions.api.model.IntegrationRequestV2;
import io.customersessions.api.model.NewCustomerSessionV2;
import io.customersessions.domain.CartItem;
import io.customersessions.domain.Decimals;
import io.customersessions.domain.Rejection;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionDecider;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import io.micronaut.json.tree.JsonNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Talon.One's update request → {@link SessionCommand.UpsertSession}, with every problem the request has:
 * those only the JSON layer can see (unknown state names, fractional quantities, nulls inside lists,
 * attributes that are not objects) and the domain's limits ({@link SessionDecider#validate}). All pointers
 * address the request body, e.g. {@code /customerSession/cartItems/3/quantity}.
 *
 * <p>Where the JSON layer finds a problem it substitutes a neutral value so the rest can still be checked;
 * the domain's findings at or below such a pointer are then dropped, as they would only describe the
 * substitute.
 */
public final class SessionRequests {

    static final String SESSION = "/customerSession";

    private SessionRequests() {
    }

    /**
     * @param commandId           the id the adapter stamps on the command
     * @param time                when the adapter accepted the request
     * @param expectedUpdateCount the If-Match value, or null
     * @param request             the parsed body; null when there was none
     */
    public static Validated<SessionCommand.UpsertSession> parseUpsert(String commandId, SessionKey key, Instant time,
                                                                      Integer expectedUpdateCount,
                                                                      IntegrationRequestV2 request) {
        Mapper mapper = new Mapper();
        NewCustomerSessionV2 body = request == null ? null : request.customerSession();
        SessionCommand.UpsertSession command;
        if (body == null) {
            mapper.add(SESSION, "missing customerSession",
                    "the request body needs a \"customerSession\" object");
            command = new SessionCommand.UpsertSession(commandId, key, time, expectedUpdateCount, Optional.empty(),
                    SessionChanges.NONE);
        } else {
            command = new SessionCommand.UpsertSession(commandId, key, time, expectedUpdateCount,
                    mapper.state(body.state()), mapper.changes(body));
        }
        List<Rejection.Violation> violations = merge(mapper.violations, SessionDecider.validate(command));
        return violations.isEmpty() ? new Validated.Valid<>(command) : new Validated.Invalid<>(violations);
    }

    /**
     * The domain's findings, except those within a pointer the JSON layer already reported. Linear in the number of
     * findings: a body of 200,000 {@code null} coupon codes has as many of each.
     */
    static List<Rejection.Violation> merge(List<Rejection.Violation> json, List<Rejection.Violation> domain) {
        List<Rejection.Violation> all = new ArrayList<>(json);
        Set<String> reported = new HashSet<>();
        json.forEach(j -> reported.add(j.pointer()));
        domain.stream().filter(d -> !JsonPointers.withinAny(d.pointer(), reported)).forEach(all::add);
        return all;
    }

    /** One request's mapping; collects the JSON-layer violations as it goes. */
    private static final class Mapper {

        private static final String STATE_NAMES = Arrays.stream(SessionState.values())
                .map(SessionState::wireName).collect(Collectors.joining(", "));

        private final List<Rejection.Violation> violations = new ArrayList<>();

        Optional<SessionState> state(String name) {
            if (name == null) {
                return Optional.empty();
            }
            Optional<SessionState> state = SessionState.fromWireName(name);
            if (state.isEmpty()) {
                add(SESSION + "/state", "unknown state",
                        "'" + name + "' is not a session state; the states are " + STATE_NAMES);
            }
            return state;
        }

        SessionChanges changes(NewCustomerSessionV2 body) {
            return new SessionChanges(
                    body.profileId(),
                    body.storeIntegrationId(),
                    campaignIds(SESSION + "/evaluableCampaignIds", body.evaluableCampaignIds()),
                    list(SESSION + "/couponCodes", body.couponCodes(), ""),
                    body.referralCode(),
                    list(SESSION + "/loyaltyCards", body.loyaltyCards(), ""),
                    cartItems(body.cartItems()),
                    costs(body.additionalCosts()),
                    list(SESSION + "/identifiers", body.identifiers(), ""),
                    attributes(SESSION + "/attributes", body.attributes()),
                    null);
        }

        private List<CartItem> cartItems(List<NewCustomerSessionV2.CartItem> items) {
            if (items == null) {
                return null;
            }
            List<CartItem> mapped = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                mapped.add(cartItem(SESSION + "/cartItems/" + i, items.get(i)));
            }
            return mapped;
        }

        private CartItem cartItem(String pointer, NewCustomerSessionV2.CartItem item) {
            if (item == null) {
                add(pointer, "missing cart item", "a cart item must be an object, not null");
                return CartItem.of(null, 0, null);
            }
            SortedMap<String, String> attributes = attributes(pointer + "/attributes", item.attributes());
            return new CartItem(item.name(), item.sku(), quantity(pointer + "/quantity", item.quantity()), 0,
                    item.price(), item.category(), item.product() == null ? null : item.product().name(),
                    item.weight(), item.height(), item.width(), item.length(), attributes,
                    costs(item.additionalCosts()));
        }

        /** Read as a number so that a fraction is reported instead of truncated. */
        private int quantity(String pointer, BigDecimal quantity) {
            if (quantity == null) {
                add(pointer, "missing quantity", "every cart item needs a quantity");
                return 0;
            }
            try {
                return quantity.intValueExact();
            } catch (ArithmeticException notAnInt) {
                add(pointer, "invalid quantity", "the quantity must be a whole number within range; got "
                        + Decimals.text(quantity));
                return 0;
            }
        }

        /** Read as numbers so that a fraction is reported instead of truncated (1.5 is not campaign 1). */
        private List<Long> campaignIds(String pointer, List<BigDecimal> ids) {
            List<BigDecimal> given = list(pointer, ids, BigDecimal.ZERO);
            if (given == null) {
                return null;
            }
            List<Long> whole = new ArrayList<>(given.size());
            for (int i = 0; i < given.size(); i++) {
                try {
                    whole.add(given.get(i).longValueExact());
                } catch (ArithmeticException notALong) {
                    add(pointer + "/" + i, "invalid campaign id", "a campaign id must be a whole number within "
                            + "range; got " + Decimals.text(given.get(i)));
                    whole.add(0L);
                }
            }
            return whole;
        }

        private static SortedMap<String, BigDecimal> costs(Map<String, AdditionalCost> costs) {
            if (costs == null) {
                return null;
            }
            SortedMap<String, BigDecimal> prices = new TreeMap<>();
            costs.forEach((name, cost) -> prices.put(name, cost == null ? null : cost.price()));
            return prices;
        }

        /** Each value becomes canonical JSON text; a null value has no text and is reported. */
        private SortedMap<String, String> attributes(String pointer, JsonNode attributes) {
            if (attributes == null || attributes.isNull()) {
                return null;
            }
            if (!attributes.isObject()) {
                add(pointer, "invalid attributes", "attributes must be a JSON object mapping names to values");
                return null;
            }
            SortedMap<String, String> canonical = new TreeMap<>();
            for (Map.Entry<String, JsonNode> attribute : attributes.entries()) {
                JsonNode value = attribute.getValue();
                Optional<String> unstorable = value == null ? Optional.empty() : CanonicalJson.unstorable(value);
                if (value == null || value.isNull()) {
                    add(pointer + JsonPointers.segment(attribute.getKey()), "missing attribute value",
                            "attribute '" + attribute.getKey() + "' has no value");
                } else if (unstorable.isPresent()) {
                    add(pointer + JsonPointers.segment(attribute.getKey()), "invalid attribute value",
                            "attribute '" + attribute.getKey() + "': " + unstorable.get());
                } else {
                    canonical.put(attribute.getKey(), CanonicalJson.write(value));
                }
            }
            return canonical;
        }

        /** JSON allows null inside a list; the domain's lists do not. */
        private <T> List<T> list(String pointer, List<T> values, T substitute) {
            if (values == null) {
                return null;
            }
            List<T> copy = new ArrayList<>(values.size());
            for (int i = 0; i < values.size(); i++) {
                T value = values.get(i);
                if (value == null) {
                    add(pointer + "/" + i, "missing value", "a list element must not be null");
                }
                copy.add(value == null ? substitute : value);
            }
            return copy;
        }

        private void add(String pointer, String title, String details) {
            violations.add(new Rejection.Violation(pointer, title, details));
        }
    }
}
