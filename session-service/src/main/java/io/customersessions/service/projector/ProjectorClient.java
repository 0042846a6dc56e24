package io.customersessions.service.projector;

import io.customersessions.domain.SessionCommand;
import io.customersessions.service.commands.CommandResult;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the session-service asks the projector, on behalf of its client: the client's {@code Authorization} header
 * is passed on, so the projector applies the same key (and application) as the session-service did. Fails with
 * {@link ProjectorUnavailableException} when the projector cannot be reached or answers something unexpected.
 */
public interface ProjectorClient {

    /** The processor's decision for {@code command} against the current state, appending nothing (a dry run). */
    CompletableFuture<CommandResult> decide(SessionCommand command, String authorization);

    /**
     * The projector's answer to {@code GET /v2/customer_sessions/{id}}, whatever its status, to relay as it is;
     * {@code asOf} / {@code asOfUpdateCount} (either may be null) ask for the session as it was then.
     */
    CompletableFuture<RelayedResponse> session(String customerSessionId, String asOf, String asOfUpdateCount,
                                               String authorization);

    /**
     * The integration ids of the caller's application's sessions that have the profile {@code profileId} now;
     * fails with {@link ProjectorRefusedException} when the projector answers anything but 200.
     */
    CompletableFuture<List<String>> sessionsOfProfile(String profileId, String authorization);

    /** The current session. */
    default CompletableFuture<RelayedResponse> session(String customerSessionId, String authorization) {
        return session(customerSessionId, null, null, authorization);
    }
}
