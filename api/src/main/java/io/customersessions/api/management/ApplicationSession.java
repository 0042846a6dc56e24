package io.customersessions.api.management;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.customersessions.api.model.CustomerSessionV2;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Talon.One's Management API {@code ApplicationSession}, in Talon.One's field order. Every field is written
 * except {@code storeIntegrationId} when the session has none; timestamps are ISO-8601 UTC with milliseconds,
 * money is a JSON number.
 *
 * <p>Talon.One's optional {@code profileId} is its own numeric id of the customer profile, which this service
 * does not have: it is left out rather than filled with text that typed SDKs could not read. The profile's
 * integration id is in {@code profileintegrationid} (Talon.One's lowercase name), {@code ""} for an anonymous
 * session. {@code coupon} is the session's first coupon code ({@code ""} without coupons).
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ApplicationSession(
        long id,
        @JsonFormat(pattern = CustomerSessionV2.TIMESTAMP, timezone = "UTC") Instant created,
        String integrationId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String storeIntegrationId,
        long applicationId,
        String profileintegrationid,
        String coupon,
        String referral,
        String state,
        List<CustomerSessionV2.CartItem> cartItems,
        Map<String, BigDecimal> discounts,
        BigDecimal totalDiscounts,
        BigDecimal total,
        Map<String, JsonNode> attributes) {
}
