package io.customersessions.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** Talon.One's answer to {@code GET /v2/customer_sessions/{id}}; {@code effects} is always empty. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record IntegrationCustomerSessionResponse(CustomerSessionV2 customerSession, List<JsonNode> effects) {
}
