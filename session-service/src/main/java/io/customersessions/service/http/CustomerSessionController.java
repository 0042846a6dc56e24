package io.customersessions.service.http;

import io.customersessions.api.RejectionResponses;
import io.customersessions.api.SessionRequests;
import io.customersessions.api.SessionViews;
import io.customersessions.api.Validated;
import io.customersessions.api.model.IntegrationRequestV2;
import io.customersessions.domain.Rejection;
import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionKey;
import io.customersessions.service.commands.CommandGateway;
import io.customersessions.service.commands.CommandResult;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Talon.One's "Update customer session (V2)". Stateless checks happen here, before anything is appended;
 * state-dependent ones happen in the processor and come back as the command's outcome.
 */
@Controller("/v2/customer_sessions")
public class CustomerSessionController {

    private final CommandGateway commands;
    private final SessionViews views;
    private final long applicationId;
    private final Clock clock;

    public CustomerSessionController(CommandGateway commands, SessionViews views, Clock clock,
                                     @Value("${customer-sessions.application-id}") long applicationId) {
        this.commands = commands;
        this.views = views;
        this.clock = clock;
        this.applicationId = applicationId;
    }

    @Put("/{customerSessionId}")
    public CompletableFuture<HttpResponse<?>> update(@PathVariable String customerSessionId,
                                                     @Body @Nullable IntegrationRequestV2 request,
                                                     @Header("If-Match") @Nullable String ifMatch) {
        Validated<Integer> expected = IfMatch.parse(ifMatch);
        if (expected instanceof Validated.Invalid<Integer> invalid) {
            return CompletableFuture.completedFuture(RejectionResponses.badRequest(invalid.violations()));
        }
        Validated<SessionCommand.UpsertSession> command = SessionRequests.parseUpsert(
                UUID.randomUUID().toString(), new SessionKey(applicationId, customerSessionId),
                Instant.now(clock).truncatedTo(ChronoUnit.MILLIS), ((Validated.Valid<Integer>) expected).value(), request);
        if (command instanceof Validated.Invalid<SessionCommand.UpsertSession> invalid) {
            return CompletableFuture.completedFuture(RejectionResponses.badRequest(invalid.violations()));
        }
        List<String> responseContent = request == null ? null : request.responseContent();
        return commands.submit(((Validated.Valid<SessionCommand.UpsertSession>) command).value())
                .thenApply(result -> respond(result, responseContent));
    }

    private HttpResponse<?> respond(CommandResult result, List<String> responseContent) {
        if (result instanceof CommandResult.Accepted accepted) {
            return HttpResponse.ok(views.integrationState(accepted.session(), responseContent));
        }
        if (result instanceof CommandResult.Rejected rejected) {
            return RejectionResponses.response(rejected.rejection());
        }
        CommandResult.Pending pending = (CommandResult.Pending) result;
        return HttpResponse.status(HttpStatus.ACCEPTED).body(new CommandPending(
                "the update was appended to the log but its outcome is not known yet; read the session to see it",
                pending.commandId()));
    }

    /** If-Match carries the updateCount the client last read, bare or as an ETag ({@code "3"}). */
    static final class IfMatch {
        private IfMatch() {
        }

        static Validated<Integer> parse(String header) {
            if (header == null || header.isBlank()) {
                return new Validated.Valid<>(null);
            }
            String value = header.trim();
            if (value.startsWith("W/")) {
                value = value.substring(2);
            }
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            try {
                int count = Integer.parseInt(value);
                if (count >= 1) {
                    return new Validated.Valid<>(count);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            return new Validated.Invalid<>(List.of(new Rejection.Violation("", "invalid If-Match header",
                    "If-Match must be the session's updateCount (a positive integer), got '" + header + "'")));
        }
    }
}
