package io.customersessions.api.model;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Talon.One's v1 {@code Event} for the session event an update caused, e.g. {@code talon_session_updated}:
 * {@code created} is the event's time (the session's {@code updated}); {@code effects} and {@code ledgerEntries}
 * are always empty, as we run no rule engine.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Event(
        @JsonFormat(pattern = CustomerSessionV2.TIMESTAMP, timezone = "UTC") Instant created,
        long applicationId,
        String profileId,
        String type,
        Map<String, JsonNode> attributes,
        String sessionId,
        List<JsonNode> effects,
        List<JsonNode> ledgerEntries) {
}
