package io.customersessions.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

/**
 * The folded state of one session. Built only by {@link SessionDecider#evolve}.
 *
 * <p>Invariants: {@code updateCount} is 1 at creation and grows by one per accepted command after it
 * (equivalently: the number of events folded); {@code created <= updated}; the totals are derived from the
 * items, costs and discounts, so they can never disagree with them; {@code profileId} is "" for an anonymous
 * session and then {@code firstSession} is true, unless the session was redacted ({@link PersonalData}): erasure
 * empties the profile id but keeps {@code firstSession} as it was, for accounting.
 *
 * <p>{@code discounts} (label → value, each ≥ 0) are recorded from a promotion engine outside this service,
 * as Talon.One's v1 {@code CustomerSession.discounts}; they are never subtracted from {@link #total()}, which
 * is the pre-discount value as Talon.One defines it.
 */
public record CustomerSession(
        SessionKey key,
        long id,
        String profileId,
        String storeIntegrationId,
        List<Long> evaluableCampaignIds,
        List<String> couponCodes,
        String referralCode,
        List<String> loyaltyCards,
        SessionState state,
        List<CartItem> cartItems,
        SortedMap<String, BigDecimal> additionalCosts,
        List<String> identifiers,
        SortedMap<String, String> attributes,
        boolean firstSession,
        int updateCount,
        Instant created,
        Instant updated,
        SortedMap<String, BigDecimal> discounts) {

    public CustomerSession {
        profileId = profileId == null ? "" : profileId;
        referralCode = referralCode == null ? "" : referralCode;
        evaluableCampaignIds = Collections2.copy(evaluableCampaignIds);
        couponCodes = Collections2.copy(couponCodes);
        loyaltyCards = Collections2.copy(loyaltyCards);
        cartItems = Collections2.copy(cartItems);
        additionalCosts = Collections2.sortedCopy(additionalCosts);
        identifiers = Collections2.copy(identifiers);
        attributes = Collections2.sortedCopy(attributes);
        discounts = Collections2.sortedCopy(discounts);
    }

    /** A session without discounts. */
    public CustomerSession(SessionKey key, long id, String profileId, String storeIntegrationId,
                           List<Long> evaluableCampaignIds, List<String> couponCodes, String referralCode,
                           List<String> loyaltyCards, SessionState state, List<CartItem> cartItems,
                           SortedMap<String, BigDecimal> additionalCosts, List<String> identifiers,
                           SortedMap<String, String> attributes, boolean firstSession, int updateCount,
                           Instant created, Instant updated) {
        this(key, id, profileId, storeIntegrationId, evaluableCampaignIds, couponCodes, referralCode, loyaltyCards,
                state, cartItems, additionalCosts, identifiers, attributes, firstSession, updateCount, created,
                updated, null);
    }

    public boolean anonymous() {
        return profileId.isEmpty();
    }

    /** Σ price × remaining quantity over the cart. */
    public BigDecimal cartItemTotal() {
        BigDecimal lines = BigDecimal.ZERO;
        for (CartItem item : cartItems) {
            lines = lines.add(item.lineTotal());
        }
        return lines;
    }

    /** Σ of the session-level additional costs. */
    public BigDecimal additionalCostTotal() {
        return sum(additionalCosts.values());
    }

    /** Before discounts: cart items + session additional costs + per-unit item additional costs. */
    public BigDecimal total() {
        return totals().total();
    }

    /** {@link #cartItemTotal()}, {@link #additionalCostTotal()} and {@link #total()}, each sum taken once. */
    public Totals totals() {
        BigDecimal lines = BigDecimal.ZERO;
        BigDecimal itemCosts = BigDecimal.ZERO;
        for (CartItem item : cartItems) {
            lines = lines.add(item.lineTotal());
            itemCosts = itemCosts.add(item.additionalCostTotal());
        }
        BigDecimal sessionCosts = additionalCostTotal();
        return new Totals(lines, sessionCosts, lines.add(sessionCosts).add(itemCosts));
    }

    /** A session's derived totals, all before discounts. */
    public record Totals(BigDecimal cartItemTotal, BigDecimal additionalCostTotal, BigDecimal total) {
    }

    /** Σ of the discount values; zero without discounts. Not part of {@link #total()}. */
    public BigDecimal totalDiscounts() {
        return sum(discounts.values());
    }

    /**
     * Σ {@code values} from zero, in iteration order: the same sum, scale included, as a stream's reduce would give.
     * A plain loop, because every state written (store, state topic, outcome, replay) derives its totals here.
     */
    static BigDecimal sum(Iterable<BigDecimal> values) {
        BigDecimal sum = BigDecimal.ZERO;
        for (BigDecimal value : values) {
            sum = sum.add(value);
        }
        return sum;
    }
}
