package io.customersessions.service.http;

import io.customersessions.api.SessionRequestsV1;
import io.customersessions.api.SessionViewsV1;
import io.customersessions.api.Validated;
import io.customersessions.api.auth.Caller;
import io.customersessions.api.model.NewCustomerSession;
import io.customersessions.domain.SessionCommand;
import io.customersessions.service.commands.CommandGateway;
import io.customersessions.service.commands.CommandResult;
import io.customersessions.service.projector.ProjectorClient;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;

import java.util.concurrent.CompletableFuture;

/**
 * Talon.One's v1 "Update customer session": the v1 body ({@code coupon}, {@code referral}, …) becomes the same
 * upsert command as v2, and the answer is the v1 {@code IntegrationState} ({@code session}, {@code profile},
 * {@code event}).
 */
@Controller("/v1/customer_sessions")
public class CustomerSessionV1Controller {

    private final CommandGateway commands;
    private final ProjectorClient projector;
    private final SessionViewsV1 views;
    private final CommandStamps stamps;

    public CustomerSessionV1Controller(CommandGateway commands, ProjectorClient projector, SessionViewsV1 views,
                                       CommandStamps stamps) {
        this.commands = commands;
        this.projector = projector;
        this.views = views;
        this.stamps = stamps;
    }

    /**
     * With {@code dry=true} the would-be state, decided by the processor, appending nothing; a repeated {@code
     * Idempotency-Key} gets the first outcome again (both as in v2).
     */
    @Put("/{customerSessionId}")
    public CompletableFuture<HttpResponse<?>> update(@PathVariable String customerSessionId,
                                                     @Body @Nullable NewCustomerSession body,
                                                     @Header("Idempotency-Key") @Nullable String idempotencyKey,
                                                     @Header("If-Match") @Nullable String ifMatch,
                                                     @Header("If-None-Match") @Nullable String ifNoneMatch,
                                                     @QueryValue @Nullable String dry,
                                                     @QueryValue @Nullable String now,
                                                     @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                                     @RequestAttribute(Caller.ATTRIBUTE) Caller.Integration caller) {
        return stamps.keyedWrite(dry, now, ifMatch, ifNoneMatch, idempotencyKey, (dryRun, time, expected, key) -> {
            Validated<SessionCommand.UpsertSession> command = SessionRequestsV1.parseUpsert(stamps.commandId(),
                    CommandStamps.key(caller, customerSessionId), time, expected, body);
            if (command instanceof Validated.Invalid<SessionCommand.UpsertSession> invalid) {
                return Answers.badRequest(invalid);
            }
            SessionCommand.UpsertSession upsert = ((Validated.Valid<SessionCommand.UpsertSession>) command).value()
                    .withIdempotencyKey(key);
            return (dryRun ? projector.decide(upsert, authorization) : commands.submit(upsert))
                    .thenApply(result -> result instanceof CommandResult.Rejected rejected
                            ? new CommandResult.Rejected(SessionRequestsV1.inV1(rejected.rejection())) : result)
                    .thenApply(result -> Answers.of(result,
                            accepted -> views.integrationState(accepted.session(), accepted.eventTypes())));
        });
    }
}
