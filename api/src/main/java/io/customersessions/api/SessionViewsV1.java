package io.customersessions.api;

import io.customersessions.api.model.CustomerSessionV1;
import io.customersessions.api.model.CustomerSessionV2;
import io.customersessions.api.model.Event;
import io.customersessions.api.model.IntegrationState;
import io.customersessions.domain.CustomerSession;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folded session → Talon.One's v1 shapes, built from the v2 view so that cart items, attributes and numbers are
 * written exactly alike in both versions.
 */
@Singleton
public final class SessionViewsV1 {

    private final SessionViews views;

    public SessionViewsV1(SessionViews views) {
        this.views = views;
    }

    /**
     * The answer to a v1 update. {@code eventTypes} are the Talon.One event types the update appended (one per
     * accepted command); {@code event} describes the last of them, and is null if there is none.
     */
    public IntegrationState integrationState(CustomerSession session, List<String> eventTypes) {
        CustomerSessionV1 view = toV1(session);
        Event event = eventTypes.isEmpty() ? null : new Event(session.updated(), view.applicationId(),
                view.profileId(), eventTypes.get(eventTypes.size() - 1), Map.of(), view.integrationId(), List.of(),
                List.of());
        return new IntegrationState(view, views.customerProfile(session), event, null, null);
    }

    /** {@code coupon} is the first coupon code (v1 sessions have one), {@code ""} when there is none. */
    public CustomerSessionV1 toV1(CustomerSession session) {
        CustomerSessionV2 v2 = views.toV2(session);
        Map<String, BigDecimal> discounts = new LinkedHashMap<>();
        session.discounts().forEach((label, value) -> discounts.put(label, plain(value)));
        return new CustomerSessionV1(
                v2.integrationId(),
                v2.created(),
                v2.applicationId(),
                v2.profileId(),
                v2.couponCodes().isEmpty() ? "" : v2.couponCodes().get(0),
                v2.referralCode(),
                v2.state(),
                v2.cartItems(),
                v2.identifiers(),
                v2.total(),
                v2.attributes(),
                v2.firstSession(),
                discounts,
                v2.updateCount(),
                v2.updated());
    }

    /** {@code 1E+2} is valid JSON, but clients expect {@code 100}. */
    private static BigDecimal plain(BigDecimal value) {
        return value.scale() >= 0 ? value : value.setScale(0);
    }
}
