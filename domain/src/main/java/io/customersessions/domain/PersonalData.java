package io.customersessions.domain;

import java.util.List;
import java.util.TreeMap;

/**
 * What of a session is the customer's personal data, and its erasure (right to erasure). Personal: the profile
 * id, the identifiers, the session's attributes, the loyalty cards and the cart items' attributes. Everything
 * accounting needs stays: ids, store, campaigns, coupon and referral codes, state, the items' sku, name, price,
 * quantities, category and measures, additional costs, discounts, totals, {@code firstSession},
 * {@code updateCount}, {@code created} and {@code updated}.
 *
 * <p>Invariants: every function is idempotent, and redaction commutes with the fold: folding the redacted events of
 * a session gives the redaction of folding its events, after any prefix. So a history whose stored events were
 * redacted still folds (as-of) to exactly what the live, redacted session shows.
 */
public final class PersonalData {

    private PersonalData() {
    }

    public static CustomerSession redact(CustomerSession s) {
        return new CustomerSession(s.key(), s.id(), "", s.storeIntegrationId(), s.evaluableCampaignIds(),
                s.couponCodes(), s.referralCode(), List.of(), s.state(), redactItems(s.cartItems()),
                s.additionalCosts(), List.of(), null, s.firstSession(), s.updateCount(), s.created(), s.updated(),
                s.discounts());
    }

    /**
     * A field that was given stays given, with its value erased (so a history still shows that, say, the attributes
     * changed, but not to what); a field that was not given stays null.
     */
    public static SessionChanges redact(SessionChanges c) {
        return new SessionChanges(
                c.profileId() == null ? null : "",
                c.storeIntegrationId(),
                c.evaluableCampaignIds(),
                c.couponCodes(),
                c.referralCode(),
                c.loyaltyCards() == null ? null : List.of(),
                c.cartItems() == null ? null : redactItems(c.cartItems()),
                c.additionalCosts(),
                c.identifiers() == null ? null : List.of(),
                c.attributes() == null ? null : new TreeMap<>(),
                c.firstSession());
    }

    /** Events that carry changes get them redacted; the others carry no personal data and are returned as they are. */
    public static SessionEvent redact(SessionEvent event) {
        if (event instanceof SessionEvent.SessionCreated created) {
            return new SessionEvent.SessionCreated(created.meta(), created.sessionId(), created.state(),
                    redact(created.changes()));
        }
        if (event instanceof SessionEvent.SessionUpdated updated) {
            return new SessionEvent.SessionUpdated(updated.meta(), redact(updated.changes()));
        }
        if (event instanceof SessionEvent.SessionClosed closed) {
            return new SessionEvent.SessionClosed(closed.meta(), redact(closed.changes()));
        }
        if (event instanceof SessionEvent.SessionCancelled cancelled) {
            return new SessionEvent.SessionCancelled(cancelled.meta(), redact(cancelled.changes()));
        }
        return event;
    }

    private static List<CartItem> redactItems(List<CartItem> items) {
        return items.stream().map(PersonalData::redact).toList();
    }

    private static CartItem redact(CartItem item) {
        return new CartItem(item.name(), item.sku(), item.quantity(), item.returnedQuantity(), item.price(),
                item.category(), item.productName(), item.weight(), item.height(), item.width(), item.length(), null,
                item.additionalCosts());
    }
}
