package io.customersessions.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;

/**
 * The part of Talon.One's {@code CustomerProfile} this service knows: we keep no profiles, only the profile id a
 * session names, so {@code attributes} is always empty. Sessions without a profile have no profile view.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CustomerProfile(String integrationId, Map<String, JsonNode> attributes) {
}
