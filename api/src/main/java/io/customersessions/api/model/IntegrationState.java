package io.customersessions.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Talon.One's v1 {@code IntegrationState}, the answer to {@code PUT /v1/customer_sessions/{id}}. {@code profile}
 * is null for an anonymous session; {@code loyalty} and {@code referral} are always null (not managed here).
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record IntegrationState(
        CustomerSessionV1 session,
        CustomerProfile profile,
        Event event,
        JsonNode loyalty,
        JsonNode referral) {
}
