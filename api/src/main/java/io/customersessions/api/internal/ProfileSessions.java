package io.customersessions.api.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * Answer of the projector's internal {@code GET /internal/v1/profiles/{integrationId}/sessions}: the integration ids
 * of the caller's application's sessions that currently have that profile, in key order. The session-service reads
 * it to erase a customer's data.
 */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProfileSessions(List<String> integrationIds) {

    public ProfileSessions {
        integrationIds = integrationIds == null ? List.of() : List.copyOf(integrationIds);
    }
}
