package io.customersessions.eventlog.codec;

import io.customersessions.domain.CartItem;
import io.customersessions.domain.CustomerSession;
import io.customersessions.domain.Rejection;
import io.customersessions.domain.ReturnedItem;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionEvent;
import io.customersessions.domain.SessionEvent.EventMeta;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** Fully filled example values shared by the codec tests. */
final class CodecFixtures {

    static final SessionKey KEY = new SessionKey(7L, "checkout:2024/0001");
    static final Instant CREATED = Instant.parse("2024-05-01T10:15:30.123Z");
    static final Instant UPDATED = Instant.parse("2024-05-01T10:20:00.456Z");
    static final EventMeta META = new EventMeta("cmd-1/0", "cmd-1", KEY, UPDATED);

    private CodecFixtures() {
    }

    static CartItem fullItem() {
        TreeMap<String, String> attributes = new TreeMap<>();
        attributes.put("color", "\"red\"");
        attributes.put("sizes", "[38,39,40]");
        attributes.put("gift", "true");
        attributes.put("meta", "{\"origin\":\"DE\",\"batch\":null}");
        TreeMap<String, BigDecimal> costs = new TreeMap<>();
        costs.put("deposit", new BigDecimal("0.25"));
        costs.put("packaging", new BigDecimal("1.000"));
        return new CartItem("Running shoe", "SKU-1", 3, 1, new BigDecimal("12.50"), "shoes", "Shoe X",
                new BigDecimal("0.750"), new BigDecimal("12"), new BigDecimal("30.5"), new BigDecimal("0.0001"),
                attributes, costs);
    }

    static CartItem plainItem() {
        return CartItem.of("SKU-2", 1, null);
    }

    static CustomerSession fullSession() {
        TreeMap<String, BigDecimal> costs = new TreeMap<>();
        costs.put("shipping", new BigDecimal("4.90"));
        costs.put("insurance", new BigDecimal("100"));
        TreeMap<String, String> attributes = new TreeMap<>();
        attributes.put("channel", "\"web\"");
        attributes.put("tags", "[\"a\",\"b\"]");
        attributes.put("nested", "{\"x\":{\"y\":1.50}}");
        return new CustomerSession(KEY, 42L, "profile-9", "store-1", List.of(3L, 1L, 2L), List.of("SUMMER", "VIP"),
                "REF-1", List.of("card-1", "card-2"), SessionState.PARTIALLY_RETURNED, List.of(fullItem(), plainItem()),
                costs, List.of("device-a", "email-hash"), attributes, false, 5, CREATED, UPDATED, discounts());
    }

    /** 10% off shoes and a free-shipping voucher: totalDiscounts 7.40. */
    static TreeMap<String, BigDecimal> discounts() {
        TreeMap<String, BigDecimal> discounts = new TreeMap<>();
        discounts.put("shoes 10%", new BigDecimal("2.50"));
        discounts.put("free shipping", new BigDecimal("4.90"));
        discounts.put("welcome/voucher", new BigDecimal("0"));
        return discounts;
    }

    static CustomerSession anonymousEmptySession() {
        return new CustomerSession(KEY, 1L, "", null, List.of(), List.of(), "", List.of(), SessionState.OPEN,
                List.of(), new TreeMap<>(), List.of(), new TreeMap<>(), true, 1, CREATED, CREATED);
    }

    static SessionChanges fullChanges() {
        CustomerSession s = fullSession();
        return new SessionChanges(s.profileId(), s.storeIntegrationId(), s.evaluableCampaignIds(), s.couponCodes(),
                s.referralCode(), s.loyaltyCards(), s.cartItems(), s.additionalCosts(), s.identifiers(),
                s.attributes(), true);
    }

    /** Empty lists and maps are given values ("discard"), unlike null ("not given"). */
    static SessionChanges emptyButGivenChanges() {
        return new SessionChanges("", "", List.of(), List.of(), "", List.of(), List.of(), new TreeMap<>(), List.of(),
                new TreeMap<>(), false);
    }

    static List<SessionEvent> everyEventType() {
        return List.of(
                new SessionEvent.SessionCreated(META, 42L, SessionState.CLOSED, fullChanges()),
                new SessionEvent.SessionUpdated(META, SessionChanges.NONE.withCouponCodes(List.of())),
                new SessionEvent.SessionClosed(META, SessionChanges.NONE),
                new SessionEvent.SessionCancelled(META, emptyButGivenChanges()),
                new SessionEvent.SessionRevoked(META, SessionState.PARTIALLY_RETURNED),
                new SessionEvent.SessionPartiallyReturned(META, List.of(new ReturnedItem(1, 2), new ReturnedItem(0, 1))),
                new SessionEvent.SessionPartiallyReturned(META, List.of(new ReturnedItem(0, 1)), "return-2024-0001"),
                new SessionEvent.SessionReopened(META),
                new SessionEvent.SessionDiscountsSet(META, discounts()),
                new SessionEvent.SessionDiscountsSet(META, new TreeMap<>()));
    }

    static List<SessionCommand> everyCommandType() {
        return List.of(
                new SessionCommand.UpsertSession("cmd-1", KEY, UPDATED, null, Optional.empty(), fullChanges()),
                new SessionCommand.UpsertSession("cmd-2", KEY, UPDATED, 3, Optional.of(SessionState.PARTIALLY_RETURNED),
                        SessionChanges.NONE),
                new SessionCommand.UpsertSession("cmd-2b", KEY, UPDATED, null, Optional.of(SessionState.CLOSED),
                        SessionChanges.NONE, "close-s-1-0001"),
                new SessionCommand.ReturnItems("cmd-3", KEY, UPDATED, 4,
                        List.of(new ReturnedItem(0, 1), new ReturnedItem(2, 5))),
                new SessionCommand.ReturnItems("cmd-5", KEY, UPDATED, null, List.of(new ReturnedItem(0, 1)),
                        "return-2024-0001"),
                new SessionCommand.ReopenSession("cmd-4", KEY, UPDATED, null),
                new SessionCommand.SetDiscounts("cmd-6", KEY, UPDATED, 5, discounts()),
                new SessionCommand.SetDiscounts("cmd-7", KEY, UPDATED, null, new TreeMap<>()));
    }

    static Rejection invalidInput() {
        return new Rejection(Rejection.Reason.INVALID_INPUT, "invalid request", List.of(
                new Rejection.Violation("/customerSession/cartItems/3/quantity", "invalid quantity", "got -1"),
                new Rejection.Violation("/customerSession/couponCodes/0", "too long", "has 101 characters")));
    }
}
