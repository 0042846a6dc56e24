package io.customersessions.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Test fixtures: commands as the adapters build them, with readable defaults. */
final class Commands {

    static final SessionKey KEY = new SessionKey(7, "session-1");
    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private Commands() {
    }

    static Instant minute(int minutes) {
        return T0.plusSeconds(60L * minutes);
    }

    static String nextCommandId() {
        return "cmd-" + SEQUENCE.incrementAndGet();
    }

    static Upsert upsert() {
        return new Upsert();
    }

    static SessionCommand.ReturnItems returnItems(ReturnedItem... items) {
        return new SessionCommand.ReturnItems(nextCommandId(), KEY, T0, null, List.of(items));
    }

    static SessionCommand.ReturnItems returnItems(Integer expectedUpdateCount, Instant time, ReturnedItem... items) {
        return new SessionCommand.ReturnItems(nextCommandId(), KEY, time, expectedUpdateCount, List.of(items));
    }

    static SessionCommand.ReturnItems returnItems(String idempotencyKey, ReturnedItem... items) {
        return new SessionCommand.ReturnItems(nextCommandId(), KEY, T0, null, List.of(items), idempotencyKey);
    }

    static SessionCommand.SetDiscounts setDiscounts(String... labelThenValue) {
        return new SessionCommand.SetDiscounts(nextCommandId(), KEY, T0, null, costs(labelThenValue));
    }

    static SessionCommand.SetDiscounts setDiscounts(SortedMap<String, BigDecimal> discounts) {
        return new SessionCommand.SetDiscounts(nextCommandId(), KEY, T0, null, discounts);
    }

    static SessionCommand.SetDiscounts setDiscounts(Integer expectedUpdateCount, Instant time,
                                                    String... labelThenValue) {
        return new SessionCommand.SetDiscounts(nextCommandId(), KEY, time, expectedUpdateCount,
                costs(labelThenValue));
    }

    static SessionCommand.RedactPersonalData redact() {
        return new SessionCommand.RedactPersonalData(nextCommandId(), KEY, T0, null, "integration-api-key:0123456789ab");
    }

    static SessionCommand.RedactPersonalData redact(Integer expectedUpdateCount, Instant time) {
        return new SessionCommand.RedactPersonalData(nextCommandId(), KEY, time, expectedUpdateCount,
                "integration-api-key:0123456789ab");
    }

    static ReturnedItem returned(int position, int quantity) {
        return new ReturnedItem(position, quantity);
    }

    static SessionCommand.ReopenSession reopen() {
        return new SessionCommand.ReopenSession(nextCommandId(), KEY, T0, null);
    }

    static SessionCommand.ReopenSession reopen(Integer expectedUpdateCount, Instant time) {
        return new SessionCommand.ReopenSession(nextCommandId(), KEY, time, expectedUpdateCount);
    }

    static CartItem item(String sku, int quantity, String price) {
        return CartItem.of(sku, quantity, price == null ? null : new BigDecimal(price));
    }

    static CartItem item(String sku, int quantity, String price, Map<String, String> additionalCosts) {
        SortedMap<String, BigDecimal> costs = new TreeMap<>();
        additionalCosts.forEach((name, value) -> costs.put(name, new BigDecimal(value)));
        return new CartItem(null, sku, quantity, 0, price == null ? null : new BigDecimal(price), null, null,
                null, null, null, null, null, costs);
    }

    /** Additional costs, or discounts: name → amount. */
    static SortedMap<String, BigDecimal> costs(String... nameThenPrice) {
        SortedMap<String, BigDecimal> costs = new TreeMap<>();
        for (int i = 0; i < nameThenPrice.length; i += 2) {
            costs.put(nameThenPrice[i], new BigDecimal(nameThenPrice[i + 1]));
        }
        return costs;
    }

    static SortedMap<String, String> attributes(String... nameThenJson) {
        SortedMap<String, String> attributes = new TreeMap<>();
        for (int i = 0; i < nameThenJson.length; i += 2) {
            attributes.put(nameThenJson[i], nameThenJson[i + 1]);
        }
        return attributes;
    }

    static String repeat(char c, int length) {
        return String.valueOf(c).repeat(length);
    }

    /** Builds an {@link SessionCommand.UpsertSession}; every field not set is "not given". */
    static final class Upsert {
        private String commandId = nextCommandId();
        private SessionKey key = KEY;
        private Instant time = T0;
        private Integer expectedUpdateCount;
        private SessionState state;
        private String profileId;
        private String storeIntegrationId;
        private List<Long> evaluableCampaignIds;
        private List<String> couponCodes;
        private String referralCode;
        private List<String> loyaltyCards;
        private List<CartItem> cartItems;
        private SortedMap<String, BigDecimal> additionalCosts;
        private List<String> identifiers;
        private SortedMap<String, String> attributes;
        private Boolean firstSession;

        Upsert commandId(String value) {
            commandId = value;
            return this;
        }

        Upsert key(SessionKey value) {
            key = value;
            return this;
        }

        Upsert at(Instant value) {
            time = value;
            return this;
        }

        Upsert ifMatch(Integer value) {
            expectedUpdateCount = value;
            return this;
        }

        Upsert state(SessionState value) {
            state = value;
            return this;
        }

        Upsert profile(String value) {
            profileId = value;
            return this;
        }

        Upsert store(String value) {
            storeIntegrationId = value;
            return this;
        }

        Upsert campaigns(Long... value) {
            evaluableCampaignIds = List.of(value);
            return this;
        }

        Upsert coupons(String... value) {
            couponCodes = List.of(value);
            return this;
        }

        Upsert coupons(List<String> value) {
            couponCodes = value;
            return this;
        }

        Upsert referral(String value) {
            referralCode = value;
            return this;
        }

        Upsert loyaltyCards(String... value) {
            loyaltyCards = List.of(value);
            return this;
        }

        Upsert cart(CartItem... value) {
            cartItems = Arrays.asList(value);
            return this;
        }

        Upsert cart(List<CartItem> value) {
            cartItems = value;
            return this;
        }

        Upsert additionalCosts(SortedMap<String, BigDecimal> value) {
            additionalCosts = value;
            return this;
        }

        Upsert identifiers(String... value) {
            identifiers = List.of(value);
            return this;
        }

        Upsert identifiers(List<String> value) {
            identifiers = value;
            return this;
        }

        Upsert attributes(SortedMap<String, String> value) {
            attributes = value;
            return this;
        }

        Upsert firstSession(Boolean value) {
            firstSession = value;
            return this;
        }

        SessionChanges changes() {
            return new SessionChanges(profileId, storeIntegrationId, evaluableCampaignIds, couponCodes, referralCode,
                    loyaltyCards, cartItems, additionalCosts, identifiers, attributes, firstSession);
        }

        SessionCommand.UpsertSession build() {
            return new SessionCommand.UpsertSession(commandId, key, time, expectedUpdateCount,
                    Optional.ofNullable(state), changes());
        }
    }
}
