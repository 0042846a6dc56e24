package io.customersessions.api;

import io.customersessions.api.model.AdditionalCost;
import io.customersessions.api.model.CustomerProfile;
import io.customersessions.api.model.CustomerSessionV2;
import io.customersessions.api.model.IntegrationCustomerSessionResponse;
import io.customersessions.api.model.IntegrationStateV2;
import io.customersessions.api.model.Product;
import io.customersessions.domain.CartItem;
import io.customersessions.domain.CustomerSession;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Folded session → Talon.One's response shapes. Attribute values are stored as canonical JSON text and are
 * parsed back into JSON here, hence the {@link JsonMapper}.
 */
@Singleton
public final class SessionViews {

    private final JsonMapper jsonMapper;

    public SessionViews(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    /** The answer to an update; {@code responseContent} is the request's (null or empty: the defaults). */
    public IntegrationStateV2 integrationState(CustomerSession session, List<String> responseContent) {
        return new IntegrationStateV2(
                ResponseContent.CUSTOMER_SESSION.requestedBy(responseContent) ? toV2(session) : null,
                ResponseContent.CUSTOMER_PROFILE.requestedBy(responseContent) ? customerProfile(session) : null,
                List.of(), List.of(), List.of());
    }

    /** The profile the session names; null for an anonymous session. */
    public CustomerProfile customerProfile(CustomerSession session) {
        return session.anonymous() ? null : new CustomerProfile(session.profileId(), Map.of());
    }

    /** The answer to a read. */
    public IntegrationCustomerSessionResponse customerSessionResponse(CustomerSession session) {
        return new IntegrationCustomerSessionResponse(toV2(session), List.of());
    }

    public CustomerSessionV2 toV2(CustomerSession session) {
        List<CustomerSessionV2.CartItem> items = new ArrayList<>(session.cartItems().size());
        for (int position = 0; position < session.cartItems().size(); position++) {
            items.add(cartItem(position, session.cartItems().get(position)));
        }
        CustomerSession.Totals totals = session.totals();
        return new CustomerSessionV2(
                session.id(),
                session.created(),
                session.key().integrationId(),
                session.key().applicationId(),
                session.profileId(),
                session.storeIntegrationId(),
                session.evaluableCampaignIds(),
                session.couponCodes(),
                session.referralCode(),
                session.loyaltyCards(),
                session.state().wireName(),
                items,
                costs(session.additionalCosts()),
                session.identifiers(),
                attributes(session.attributes()),
                session.firstSession(),
                number(totals.total()),
                number(totals.cartItemTotal()),
                number(totals.additionalCostTotal()),
                session.updated(),
                session.updateCount());
    }

    private CustomerSessionV2.CartItem cartItem(int position, CartItem item) {
        return new CustomerSessionV2.CartItem(
                item.name(),
                item.sku(),
                item.quantity(),
                item.returnedQuantity(),
                item.remainingQuantity(),
                number(item.price()),
                item.category(),
                item.productName() == null ? null : new Product(item.productName()),
                number(item.weight()),
                number(item.height()),
                number(item.width()),
                number(item.length()),
                position,
                attributes(item.attributes()),
                costs(item.additionalCosts()));
    }

    private static Map<String, AdditionalCost> costs(SortedMap<String, BigDecimal> costs) {
        Map<String, AdditionalCost> view = new LinkedHashMap<>();
        costs.forEach((name, price) -> view.put(name, new AdditionalCost(number(price))));
        return view;
    }

    private Map<String, JsonNode> attributes(SortedMap<String, String> attributes) {
        Map<String, JsonNode> view = new LinkedHashMap<>();
        attributes.forEach((name, json) -> view.put(name, parse(name, json)));
        return view;
    }

    private JsonNode parse(String name, String json) {
        try {
            return jsonMapper.readValue(json, JsonNode.class);
        } catch (IOException e) {
            throw new IllegalStateException("attribute '" + name + "' holds text that is not JSON: " + json, e);
        }
    }

    /** {@code 1E+2} is valid JSON, but clients expect {@code 100}. */
    private static BigDecimal number(BigDecimal value) {
        return value == null || value.scale() >= 0 ? value : value.setScale(0);
    }
}
