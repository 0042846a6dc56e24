package io.customersessions.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Talon.One's {@code NewCustomerSessionV2}, the session part of an update. Every field is optional and null
 * means "not given, keep the current value"; an empty list or an empty string is a value (it clears).
 * {@code evaluableCampaignIds} are read as numbers and checked to be whole when mapped, like a cart item's
 * {@code quantity}.
 * {@code attributes} are free JSON: they are checked to be an object, and each value is stored as canonical
 * JSON text, when the request is mapped.
 */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = true)
public record NewCustomerSessionV2(
        String profileId,
        String storeIntegrationId,
        List<BigDecimal> evaluableCampaignIds,
        List<String> couponCodes,
        String referralCode,
        List<String> loyaltyCards,
        String state,
        List<CartItem> cartItems,
        Map<String, AdditionalCost> additionalCosts,
        List<String> identifiers,
        JsonNode attributes) {

    /**
     * A cart line as a client sends it. {@code quantity} is read as a number and checked to be whole when
     * mapped, so that {@code 1.7} is rejected rather than silently truncated to 1. The read-only fields of
     * the response ({@code position}, {@code returnedQuantity}, {@code remainingQuantity}) are accepted,
     * because clients echo the items they read, and ignored.
     */
    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CartItem(
            String name,
            String sku,
            BigDecimal quantity,
            BigDecimal price,
            String category,
            Product product,
            BigDecimal weight,
            BigDecimal height,
            BigDecimal width,
            BigDecimal length,
            JsonNode attributes,
            Map<String, AdditionalCost> additionalCosts) {
    }
}
