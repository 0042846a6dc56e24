package io.customersessions.api.management;

import io.customersessions.api.SessionViews;
import io.customersessions.api.model.CustomerSessionV2;
import io.customersessions.domain.CustomerSession;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Folded session → Talon.One's {@code ApplicationSession}. Cart items, attributes and totals are taken from
 * {@link SessionViews#toV2}, so the Integration and the Management API show them identically.
 */
@Singleton
public final class ApplicationSessionViews {

    private final SessionViews views;

    public ApplicationSessionViews(SessionViews views) {
        this.views = views;
    }

    public ApplicationSession toApplicationSession(CustomerSession session) {
        CustomerSessionV2 v2 = views.toV2(session);
        Map<String, BigDecimal> discounts = new LinkedHashMap<>();
        session.discounts().forEach((label, value) -> discounts.put(label, number(value)));
        return new ApplicationSession(
                v2.id(),
                v2.created(),
                v2.integrationId(),
                v2.storeIntegrationId(),
                v2.applicationId(),
                session.profileId(),
                session.couponCodes().isEmpty() ? "" : session.couponCodes().get(0),
                session.referralCode(),
                v2.state(),
                v2.cartItems(),
                discounts,
                number(session.totalDiscounts()),
                v2.total(),
                v2.attributes());
    }

    /** {@code 1E+2} is valid JSON, but clients expect {@code 100}. */
    private static BigDecimal number(BigDecimal value) {
        return value.scale() >= 0 ? value : value.setScale(0);
    }
}
