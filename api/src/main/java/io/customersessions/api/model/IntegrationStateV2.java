package io.customersessions.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * Talon.One's answer to a session update. We run no rule engine, so {@code effects}, {@code createdCoupons}
 * and {@code createdReferrals} are always empty arrays (written, never omitted). {@code customerSession} and
 * {@code customerProfile} are omitted when the request's {@code responseContent} did not ask for them, and the
 * profile also when the session is anonymous.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record IntegrationStateV2(
        @JsonInclude(JsonInclude.Include.NON_NULL) CustomerSessionV2 customerSession,
        @JsonInclude(JsonInclude.Include.NON_NULL) CustomerProfile customerProfile,
        List<JsonNode> effects,
        List<JsonNode> createdCoupons,
        List<JsonNode> createdReferrals) {
}
