package io.customersessions.service.http;

import io.customersessions.domain.CustomerSession;
import io.customersessions.domain.Decision;
import io.customersessions.domain.DecisionContext;
import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionDecider;
import io.customersessions.domain.SessionEvent;
import io.customersessions.domain.SessionKey;
import io.customersessions.service.commands.CommandGateway;
import io.customersessions.service.commands.CommandResult;
import io.customersessions.service.projector.ProjectorClient;
import io.customersessions.service.projector.RelayedResponse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The log, the processor and the projector in one, for HTTP tests: commands are decided and folded with the real
 * domain core against the sessions submitted before; {@link #appended} are the commands that reached the command
 * log, {@link #events} the events the processor appended. Dry runs decide without storing anything.
 */
final class FakeProcessor {

    final Map<SessionKey, CustomerSession> sessions = new HashMap<>();
    final List<SessionCommand> appended = new ArrayList<>();
    final List<SessionEvent> events = new ArrayList<>();
    final List<SessionCommand> dryRuns = new ArrayList<>();
    final List<String> forwardedAuthorizations = new ArrayList<>();
    final List<String> reads = new ArrayList<>();

    /** When set, the outcome of every submitted command, instead of deciding it. */
    Function<SessionCommand, CommandResult> outcome;
    /** When set, how submit, decide or read fail, as the real gateway and client report it through their future. */
    RuntimeException failure;
    /** What the projector answers to a read. */
    RelayedResponse readAnswer = new RelayedResponse(404, "application/json", "{}".getBytes(), null);

    private long nextSessionId = 100;

    /** The gateway view; a bean of its own (Micronaut's mock beans must be distinct objects). */
    CommandGateway gateway() {
        return this::submit;
    }

    /** The projector client view. */
    ProjectorClient projector() {
        return new ProjectorClient() {
            @Override
            public CompletableFuture<CommandResult> decide(SessionCommand command, String authorization) {
                return FakeProcessor.this.decide(command, authorization);
            }

            @Override
            public CompletableFuture<RelayedResponse> session(String customerSessionId, String asOf,
                                                              String asOfUpdateCount, String authorization) {
                return FakeProcessor.this.session(customerSessionId, authorization);
            }

            @Override
            public CompletableFuture<List<String>> sessionsOfProfile(String profileId, String authorization) {
                return FakeProcessor.this.sessionsOfProfile(profileId, authorization);
            }
        };
    }

    CompletableFuture<CommandResult> submit(SessionCommand command) {
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        appended.add(command);
        return CompletableFuture.completedFuture(outcome != null ? outcome.apply(command) : decide(command, true));
    }

    CompletableFuture<CommandResult> decide(SessionCommand command, String authorization) {
        forwardedAuthorizations.add(authorization);
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        dryRuns.add(command);
        return CompletableFuture.completedFuture(decide(command, false));
    }

    CompletableFuture<RelayedResponse> session(String customerSessionId, String authorization) {
        forwardedAuthorizations.add(authorization);
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        reads.add(customerSessionId);
        return CompletableFuture.completedFuture(readAnswer);
    }

    /** The sessions that have the profile now, of every application (the tests' sessions are of one), by id. */
    CompletableFuture<List<String>> sessionsOfProfile(String profileId, String authorization) {
        forwardedAuthorizations.add(authorization);
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        return CompletableFuture.completedFuture(sessions.values().stream()
                .filter(session -> session.profileId().equals(profileId))
                .map(session -> session.key().integrationId()).sorted().toList());
    }

    private CommandResult decide(SessionCommand command, boolean store) {
        Optional<CustomerSession> current = Optional.ofNullable(sessions.get(command.key()));
        Decision decision = SessionDecider.decide(current, command, DecisionContext.of(nextSessionId));
        if (decision instanceof Decision.Rejected rejected) {
            return new CommandResult.Rejected(rejected.rejection());
        }
        List<SessionEvent> decided = ((Decision.Accepted) decision).events();
        Optional<CustomerSession> state = current;
        List<String> types = new ArrayList<>();
        for (SessionEvent event : decided) {
            state = Optional.of(SessionDecider.evolve(state, event));
            types.add(event.talonType());
        }
        if (store) {
            nextSessionId++;
            events.addAll(decided);
            sessions.put(command.key(), state.orElseThrow());
        }
        return new CommandResult.Accepted(state.orElseThrow(), types);
    }
}
