package io.customersessions.api.history;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.customersessions.api.model.CustomerSessionV2;
import io.micronaut.serde.annotation.Serdeable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * One event of a session's history: its Talon.One type, time, where it is in the log ({@code partition},
 * {@code offset} of the event topic), the command that caused it, what it changed (Talon.One field names; only
 * what changed) and the session after it. {@code sessionIntegrationId} and {@code profileId} (the session's
 * profile after the event, "" when anonymous) are written only in the application-wide listing.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record HistoryEntry(
        String type,
        @JsonFormat(pattern = CustomerSessionV2.TIMESTAMP, timezone = "UTC") Instant created,
        @JsonInclude(JsonInclude.Include.NON_NULL) String sessionIntegrationId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String profileId,
        int partition,
        long offset,
        String commandId,
        String eventId,
        Map<String, Object> changes,
        StateAfter stateAfter) {

    /** The session after the event. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record StateAfter(int updateCount, String state, BigDecimal cartItemTotal, BigDecimal additionalCostTotal,
                             BigDecimal total) {
    }

    /** The same entry for the application-wide listing. */
    public HistoryEntry withSession(String integrationId, String profile) {
        return new HistoryEntry(type, created, integrationId, profile, partition, offset, commandId, eventId, changes,
                stateAfter);
    }
}
