package io.customersessions.api.model;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Talon.One's v1 {@code CustomerSession}: a single {@code coupon} (the first coupon code, {@code ""} without one)
 * and {@code referral}; {@code total} is the pre-discount total (cart items and additional costs);
 * {@code discounts} are the labelled discount values recorded through the discounts command. Every field is
 * always written; timestamps as in {@link CustomerSessionV2}.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CustomerSessionV1(
        String integrationId,
        @JsonFormat(pattern = CustomerSessionV2.TIMESTAMP, timezone = "UTC") Instant created,
        long applicationId,
        String profileId,
        String coupon,
        String referral,
        String state,
        List<CustomerSessionV2.CartItem> cartItems,
        List<String> identifiers,
        BigDecimal total,
        Map<String, JsonNode> attributes,
        boolean firstSession,
        Map<String, BigDecimal> discounts,
        int updateCount,
        @JsonFormat(pattern = CustomerSessionV2.TIMESTAMP, timezone = "UTC") Instant updated) {
}
