package io.customersessions.api;

import io.customersessions.domain.CartItem;
import io.customersessions.domain.CustomerSession;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Folded sessions for view tests. */
final class Sessions {

    static final SessionKey KEY = new SessionKey(7, "session-1");
    static final Instant CREATED = Instant.parse("2026-11-22T10:15:30.123Z");
    static final Instant UPDATED = Instant.parse("2026-11-22T10:16:00Z");

    private Sessions() {
    }

    /** Two lines (one partly returned), costs, attributes: every field of the view has something to show. */
    static CustomerSession full() {
        CartItem shoe = new CartItem("Shoe", "SKU-1", 3, 1, new BigDecimal("12.50"), "shoes", "Runner",
                new BigDecimal("0.8"), null, null, null,
                new TreeMap<>(Map.of("size", "{\"eu\":42,\"us\":9}")),
                new TreeMap<>(Map.of("gift-wrap", new BigDecimal("1.5"))));
        CartItem sock = CartItem.of("SKU-2", 1, new BigDecimal("0.1"));
        return new CustomerSession(KEY, 42, "customer-42", "store-1", List.of(10L), List.of("SPRING"), "FRIEND-1",
                List.of("card-9"), SessionState.PARTIALLY_RETURNED, List.of(shoe, sock),
                new TreeMap<>(Map.of("shipping", new BigDecimal("4.95"))), List.of("10.0.0.1"),
                new TreeMap<>(Map.of("city", "\"Berlin\"", "express", "true")), false, 3, CREATED, UPDATED);
    }

    /** {@link #full()} with the discounts a promotion engine granted. */
    static CustomerSession discounted() {
        CustomerSession s = full();
        return new CustomerSession(s.key(), s.id(), s.profileId(), s.storeIntegrationId(), s.evaluableCampaignIds(),
                s.couponCodes(), s.referralCode(), s.loyaltyCards(), s.state(), s.cartItems(), s.additionalCosts(),
                s.identifiers(), s.attributes(), s.firstSession(), s.updateCount(), s.created(), s.updated(),
                new TreeMap<>(Map.of("10% off shoes", new BigDecimal("2.50"), "free shipping", new BigDecimal("4.95"))));
    }

    /** Just created, anonymous, nothing in it. */
    static CustomerSession empty() {
        return new CustomerSession(KEY, 43, "", null, List.of(), List.of(), "", List.of(), SessionState.OPEN,
                List.of(), new TreeMap<>(), List.of(), new TreeMap<>(), true, 1, CREATED, CREATED);
    }
}
