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
 * Talon.One's {@code CustomerSessionV2} as we answer it. The wire shape is fixed here, independent of
 * {@code micronaut.serde.*} settings: every field is written (empty lists and {@code ""} included) except
 * the optional ones marked {@code NON_NULL}; timestamps are ISO-8601 UTC with milliseconds.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CustomerSessionV2(
        long id,
        @JsonFormat(pattern = TIMESTAMP, timezone = "UTC") Instant created,
        String integrationId,
        long applicationId,
        String profileId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String storeIntegrationId,
        List<Long> evaluableCampaignIds,
        List<String> couponCodes,
        String referralCode,
        List<String> loyaltyCards,
        String state,
        List<CartItem> cartItems,
        Map<String, AdditionalCost> additionalCosts,
        List<String> identifiers,
        Map<String, JsonNode> attributes,
        boolean firstSession,
        BigDecimal total,
        BigDecimal cartItemTotal,
        BigDecimal additionalCostTotal,
        @JsonFormat(pattern = TIMESTAMP, timezone = "UTC") Instant updated,
        int updateCount) {

    /** e.g. {@code 2026-11-22T10:15:30.123Z}. */
    public static final String TIMESTAMP = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

    /** A cart line as stored; {@code position} is its 0-based index in the session's cart. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CartItem(
            @JsonInclude(JsonInclude.Include.NON_NULL) String name,
            String sku,
            int quantity,
            int returnedQuantity,
            int remainingQuantity,
            @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal price,
            @JsonInclude(JsonInclude.Include.NON_NULL) String category,
            @JsonInclude(JsonInclude.Include.NON_NULL) Product product,
            @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal weight,
            @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal height,
            @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal width,
            @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal length,
            int position,
            Map<String, JsonNode> attributes,
            Map<String, AdditionalCost> additionalCosts) {
    }
}
