package io.customersessions.domain;

import java.math.BigDecimal;
import java.util.List;
import java.util.SortedMap;

/**
 * A partial session: every field is nullable and null means "not given, keep the current value"
 * (Talon.One's upsert semantics). An empty {@code couponCodes} list discards the coupons; an empty
 * {@code referralCode} discards the referral; {@code cartItems}, {@code additionalCosts},
 * {@code identifiers}, {@code loyaltyCards} and {@code evaluableCampaignIds} replace the current value
 * when given; {@code attributes} are merged key by key.
 *
 * <p>In a command it is what the client sent; in an event it is only what actually changed.
 * {@code firstSession} is never taken from a client: the decider sets it when the profile becomes known.
 */
public record SessionChanges(
        String profileId,
        String storeIntegrationId,
        List<Long> evaluableCampaignIds,
        List<String> couponCodes,
        String referralCode,
        List<String> loyaltyCards,
        List<CartItem> cartItems,
        SortedMap<String, BigDecimal> additionalCosts,
        List<String> identifiers,
        SortedMap<String, String> attributes,
        Boolean firstSession) {

    public static final SessionChanges NONE =
            new SessionChanges(null, null, null, null, null, null, null, null, null, null, null);

    public SessionChanges {
        evaluableCampaignIds = Collections2.copyOrNull(evaluableCampaignIds);
        couponCodes = Collections2.copyOrNull(couponCodes);
        loyaltyCards = Collections2.copyOrNull(loyaltyCards);
        cartItems = Collections2.copyOrNull(cartItems);
        additionalCosts = Collections2.sortedCopyOrNull(additionalCosts);
        identifiers = Collections2.copyOrNull(identifiers);
        attributes = Collections2.sortedCopyOrNull(attributes);
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    public SessionChanges withProfileId(String value) {
        return new SessionChanges(value, storeIntegrationId, evaluableCampaignIds, couponCodes, referralCode,
                loyaltyCards, cartItems, additionalCosts, identifiers, attributes, firstSession);
    }

    public SessionChanges withCouponCodes(List<String> value) {
        return new SessionChanges(profileId, storeIntegrationId, evaluableCampaignIds, value, referralCode,
                loyaltyCards, cartItems, additionalCosts, identifiers, attributes, firstSession);
    }

    public SessionChanges withReferralCode(String value) {
        return new SessionChanges(profileId, storeIntegrationId, evaluableCampaignIds, couponCodes, value,
                loyaltyCards, cartItems, additionalCosts, identifiers, attributes, firstSession);
    }

    public SessionChanges withCartItems(List<CartItem> value) {
        return new SessionChanges(profileId, storeIntegrationId, evaluableCampaignIds, couponCodes, referralCode,
                loyaltyCards, value, additionalCosts, identifiers, attributes, firstSession);
    }

    public SessionChanges withAdditionalCosts(SortedMap<String, BigDecimal> value) {
        return new SessionChanges(profileId, storeIntegrationId, evaluableCampaignIds, couponCodes, referralCode,
                loyaltyCards, cartItems, value, identifiers, attributes, firstSession);
    }

    public SessionChanges withIdentifiers(List<String> value) {
        return new SessionChanges(profileId, storeIntegrationId, evaluableCampaignIds, couponCodes, referralCode,
                loyaltyCards, cartItems, additionalCosts, value, attributes, firstSession);
    }

    public SessionChanges withAttributes(SortedMap<String, String> value) {
        return new SessionChanges(profileId, storeIntegrationId, evaluableCampaignIds, couponCodes, referralCode,
                loyaltyCards, cartItems, additionalCosts, identifiers, value, firstSession);
    }

    public SessionChanges withFirstSession(Boolean value) {
        return new SessionChanges(profileId, storeIntegrationId, evaluableCampaignIds, couponCodes, referralCode,
                loyaltyCards, cartItems, additionalCosts, identifiers, attributes, value);
    }
}
