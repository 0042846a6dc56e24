package io.customersessions.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.customersessions.api.http.StrictJsonBody;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;

import java.math.BigDecimal;
import java.util.List;

/**
 * Talon.One's v1 {@code NewCustomerSession}, the body of {@code PUT /v1/customer_sessions/{id}}. It maps onto the
 * same update as v2: {@code coupon} becomes {@code couponCodes: [coupon]} ({@code ""} discards the coupons),
 * {@code referral} becomes {@code referralCode}. {@code total} is accepted and ignored: totals are always computed
 * from the cart. Null means "not given, keep the current value", as in v2.
 */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = true)
public record NewCustomerSession(
        String profileId,
        String coupon,
        String referral,
        String state,
        List<NewCustomerSessionV2.CartItem> cartItems,
        List<String> identifiers,
        BigDecimal total,
        JsonNode attributes) implements StrictJsonBody {
}
