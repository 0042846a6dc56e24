package io.customersessions.api.history;

import io.customersessions.api.model.AdditionalCost;
import io.customersessions.api.model.CustomerSessionV2;
import io.customersessions.api.model.Product;
import io.customersessions.domain.CartItem;
import io.customersessions.domain.ReturnedItem;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionEvent;
import io.customersessions.domain.SessionState;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * A stored event → {@link HistoryEntry}. {@code changes} holds what the event changed, under Talon.One's field
 * names of {@code NewCustomerSessionV2} ({@code state}, {@code profileId}, {@code cartItems}, …), plus {@code
 * returnedCartItems} and {@code idempotencyKey} for a return, {@code discounts} for recorded discounts and {@code
 * requestedBy} for a redaction.
 * Attribute values are stored as canonical JSON text and parsed back here, hence the {@link JsonMapper}.
 */
@Singleton
public final class HistoryViews {

    private final JsonMapper jsonMapper;

    public HistoryViews(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    public HistoryEntry entry(SessionEvent event, int partition, long offset, HistoryEntry.StateAfter after) {
        return new HistoryEntry(event.talonType(), event.meta().time(), null, null, partition, offset,
                event.meta().commandId(), event.meta().eventId(), changes(event), after);
    }

    private Map<String, Object> changes(SessionEvent event) {
        Map<String, Object> changes = new LinkedHashMap<>();
        if (event instanceof SessionEvent.SessionCreated created) {
            changes.put("state", created.state().wireName());
            content(created.changes(), changes);
        } else if (event instanceof SessionEvent.SessionUpdated updated) {
            content(updated.changes(), changes);
        } else if (event instanceof SessionEvent.SessionClosed closed) {
            changes.put("state", SessionState.CLOSED.wireName());
            content(closed.changes(), changes);
        } else if (event instanceof SessionEvent.SessionCancelled cancelled) {
            changes.put("state", SessionState.CANCELLED.wireName());
            content(cancelled.changes(), changes);
        } else if (event instanceof SessionEvent.SessionRevoked) {
            changes.put("state", SessionState.CANCELLED.wireName());
        } else if (event instanceof SessionEvent.SessionPartiallyReturned returned) {
            changes.put("state", SessionState.PARTIALLY_RETURNED.wireName());
            List<Map<String, Integer>> items = new ArrayList<>();
            for (ReturnedItem item : returned.returnedItems()) {
                items.add(Map.of("position", item.position(), "quantity", item.quantity()));
            }
            changes.put("returnedCartItems", items);
            if (returned.idempotencyKey() != null) {
                changes.put("idempotencyKey", returned.idempotencyKey());
            }
        } else if (event instanceof SessionEvent.SessionReopened) {
            changes.put("state", SessionState.OPEN.wireName());
        } else if (event instanceof SessionEvent.SessionDiscountsSet discounts) {
            changes.put("discounts", numbers(discounts.discounts()));
        } else if (event instanceof SessionEvent.SessionRedacted redacted) {
            changes.put("requestedBy", redacted.requestedBy());
        }
        return changes;
    }

    private void content(SessionChanges c, Map<String, Object> changes) {
        putIfGiven(changes, "profileId", c.profileId());
        putIfGiven(changes, "storeIntegrationId", c.storeIntegrationId());
        putIfGiven(changes, "evaluableCampaignIds", c.evaluableCampaignIds());
        putIfGiven(changes, "couponCodes", c.couponCodes());
        putIfGiven(changes, "referralCode", c.referralCode());
        putIfGiven(changes, "loyaltyCards", c.loyaltyCards());
        if (c.cartItems() != null) {
            List<CustomerSessionV2.CartItem> items = new ArrayList<>(c.cartItems().size());
            for (int position = 0; position < c.cartItems().size(); position++) {
                items.add(cartItem(position, c.cartItems().get(position)));
            }
            changes.put("cartItems", items);
        }
        if (c.additionalCosts() != null) {
            changes.put("additionalCosts", costs(c.additionalCosts()));
        }
        putIfGiven(changes, "identifiers", c.identifiers());
        if (c.attributes() != null) {
            changes.put("attributes", attributes(c.attributes()));
        }
        putIfGiven(changes, "firstSession", c.firstSession());
    }

    private static void putIfGiven(Map<String, Object> changes, String name, Object value) {
        if (value != null) {
            changes.put(name, value);
        }
    }

    private CustomerSessionV2.CartItem cartItem(int position, CartItem item) {
        return new CustomerSessionV2.CartItem(item.name(), item.sku(), item.quantity(), item.returnedQuantity(),
                item.remainingQuantity(), number(item.price()), item.category(),
                item.productName() == null ? null : new Product(item.productName()), number(item.weight()),
                number(item.height()), number(item.width()), number(item.length()), position,
                attributes(item.attributes()), costs(item.additionalCosts()));
    }

    private static Map<String, AdditionalCost> costs(SortedMap<String, BigDecimal> costs) {
        Map<String, AdditionalCost> view = new LinkedHashMap<>();
        costs.forEach((name, price) -> view.put(name, new AdditionalCost(number(price))));
        return view;
    }

    private static Map<String, BigDecimal> numbers(SortedMap<String, BigDecimal> values) {
        Map<String, BigDecimal> view = new LinkedHashMap<>();
        values.forEach((name, value) -> view.put(name, number(value)));
        return view;
    }

    private Map<String, JsonNode> attributes(SortedMap<String, String> attributes) {
        Map<String, JsonNode> view = new LinkedHashMap<>();
        attributes.forEach((name, json) -> {
            try {
                view.put(name, jsonMapper.readValue(json, JsonNode.class));
            } catch (IOException e) {
                throw new IllegalStateException("attribute '" + name + "' holds text that is not JSON: " + json, e);
            }
        });
        return view;
    }

    /** {@code 1E+2} is valid JSON, but clients expect {@code 100}. */
    public static BigDecimal number(BigDecimal value) {
        return value == null || value.scale() >= 0 ? value : value.setScale(0);
    }
}
