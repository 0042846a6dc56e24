package io.customersessions.service.http;

import io.customersessions.api.CommandRequests;
import io.customersessions.api.RejectionResponses;
import io.customersessions.api.SessionRequests;
import io.customersessions.api.SessionViews;
import io.customersessions.api.Validated;
import io.customersessions.api.auth.Caller;
import io.customersessions.api.model.DiscountsRequest;
import io.customersessions.api.model.IntegrationRequestV2;
import io.customersessions.api.model.ReturnIntegrationRequest;
import io.customersessions.domain.SessionCommand;
import io.customersessions.service.commands.CommandGateway;
import io.customersessions.service.commands.CommandResult;
import io.customersessions.service.projector.ProjectorClient;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Talon.One's Integration API for customer sessions (v2), plus our discounts command. Each method turns a request
 * into a command: stateless checks happen here, before anything is appended (400); state-dependent ones happen in
 * the processor and come back as the command's outcome (404, 409, 412). The application is always the caller's
 * key's. Reads and dry runs are answered by the projector, which owns the state.
 */
@Controller("/v2/customer_sessions")
public class CustomerSessionController {

    private final CommandGateway commands;
    private final ProjectorClient projector;
    private final SessionViews views;
    private final CommandStamps stamps;

    public CustomerSessionController(CommandGateway commands, ProjectorClient projector, SessionViews views,
                                     CommandStamps stamps) {
        this.commands = commands;
        this.projector = projector;
        this.views = views;
        this.stamps = stamps;
    }

    /**
     * Create or update; with {@code dry=true} the would-be state, decided by the processor, appending nothing. A
     * repeated {@code Idempotency-Key} gets the first update's outcome again if the request is the same, and a 422
     * if it is another; either way it appends nothing (the processor remembers the keys), so a client may retry an
     * update whose answer it did not get.
     */
    @Put("/{customerSessionId}")
    public CompletableFuture<HttpResponse<?>> update(@PathVariable String customerSessionId,
                                                     @Body @Nullable IntegrationRequestV2 request,
                                                     @Header("Idempotency-Key") @Nullable String idempotencyKey,
                                                     @Header("If-Match") @Nullable String ifMatch,
                                                     @Header("If-None-Match") @Nullable String ifNoneMatch,
                                                     @QueryValue @Nullable String dry,
                                                     @QueryValue @Nullable String now,
                                                     @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                                     @RequestAttribute(Caller.ATTRIBUTE) Caller.Integration caller) {
        return stamps.keyedWrite(dry, now, ifMatch, ifNoneMatch, idempotencyKey, (dryRun, time, expected, key) -> {
            Validated<SessionCommand.UpsertSession> command = SessionRequests.parseUpsert(stamps.commandId(),
                    CommandStamps.key(caller, customerSessionId), time, expected, request);
            if (command instanceof Validated.Valid<SessionCommand.UpsertSession> valid) {
                command = new Validated.Valid<>(valid.value().withIdempotencyKey(key));
            }
            return submit(command, dryRun, authorization, request == null ? null : request.responseContent());
        });
    }

    /**
     * The projector's answer ({@code {customerSession, effects: []}}, 404, 503 …), relayed as it is; {@code asOf} or
     * {@code asOfUpdateCount} ask for the session as it was then (validated by the projector).
     */
    @Get("/{customerSessionId}{?asOf,asOfUpdateCount}")
    public CompletableFuture<HttpResponse<?>> read(@PathVariable String customerSessionId,
                                                   @QueryValue @Nullable String asOf,
                                                   @QueryValue @Nullable String asOfUpdateCount,
                                                   @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        return projector.session(customerSessionId, asOf, asOfUpdateCount, authorization).thenApply(Answers::relay);
    }

    /**
     * Return units of cart items; only from closed or partially_returned. A repeated {@code Idempotency-Key} gets
     * the first return's outcome again if it returns the same items, and a 422 if it returns others; either way it
     * appends nothing (the processor remembers the keys). With {@code dry=true}, as every write here, the
     * processor's decision without appending anything.
     */
    @Post("/{customerSessionId}/returns")
    public CompletableFuture<HttpResponse<?>> returnItems(@PathVariable String customerSessionId,
                                                          @Body @Nullable ReturnIntegrationRequest request,
                                                          @Header("Idempotency-Key") @Nullable String idempotencyKey,
                                                          @Header("If-Match") @Nullable String ifMatch,
                                                          @Header("If-None-Match") @Nullable String ifNoneMatch,
                                                          @QueryValue @Nullable String dry,
                                                          @QueryValue @Nullable String now,
                                                          @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                                          @RequestAttribute(Caller.ATTRIBUTE) Caller.Integration caller) {
        return stamps.keyedWrite(dry, now, ifMatch, ifNoneMatch, idempotencyKey, (dryRun, time, expected, key) ->
                submit(CommandRequests.parseReturn(stamps.commandId(), CommandStamps.key(caller, customerSessionId),
                        time, expected, key, request), dryRun, authorization,
                        request == null ? null : request.responseContent()));
    }

    /**
     * closed → open; anything else is a 409 (404 for an unknown session). An Idempotency-Key is a 400 here, as on
     * discounts: it is remembered for updates and returns only, and a client must not think a retry safe.
     */
    @Put("/{customerSessionId}/reopen")
    public CompletableFuture<HttpResponse<?>> reopen(@PathVariable String customerSessionId,
                                                     @Header("Idempotency-Key") @Nullable String idempotencyKey,
                                                     @Header("If-Match") @Nullable String ifMatch,
                                                     @Header("If-None-Match") @Nullable String ifNoneMatch,
                                                     @QueryValue @Nullable String dry,
                                                     @QueryValue @Nullable String now,
                                                     @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                                     @RequestAttribute(Caller.ATTRIBUTE) Caller.Integration caller) {
        if (idempotencyKey != null) {
            return unsupportedIdempotencyKey("reopen");
        }
        return stamps.write(dry, now, ifMatch, ifNoneMatch, (dryRun, time, expected) -> submit(
                CommandRequests.parseReopen(stamps.commandId(), CommandStamps.key(caller, customerSessionId), time,
                        expected), dryRun, authorization, null));
    }

    /** Our extension: record the discounts a promotion engine granted (replaces them; {@code {}} clears). */
    @Put("/{customerSessionId}/discounts")
    public CompletableFuture<HttpResponse<?>> discounts(@PathVariable String customerSessionId,
                                                        @Body @Nullable DiscountsRequest request,
                                                        @Header("Idempotency-Key") @Nullable String idempotencyKey,
                                                        @Header("If-Match") @Nullable String ifMatch,
                                                        @Header("If-None-Match") @Nullable String ifNoneMatch,
                                                        @QueryValue @Nullable String dry,
                                                        @QueryValue @Nullable String now,
                                                        @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                                        @RequestAttribute(Caller.ATTRIBUTE) Caller.Integration caller) {
        if (idempotencyKey != null) {
            return unsupportedIdempotencyKey("discounts");
        }
        return stamps.write(dry, now, ifMatch, ifNoneMatch, (dryRun, time, expected) -> submit(
                CommandRequests.parseDiscounts(stamps.commandId(), CommandStamps.key(caller, customerSessionId), time,
                        expected, request), dryRun, authorization,
                request == null ? null : request.responseContent()));
    }

    private static CompletableFuture<HttpResponse<?>> unsupportedIdempotencyKey(String write) {
        return CompletableFuture.completedFuture(RejectionResponses.badParameter("Idempotency-Key",
                "Idempotency-Key not supported", "only updates and returns remember an Idempotency-Key; a " + write
                        + " sent again is decided again, so nothing was done"));
    }

    /** A dry run is decided by the processor's stores (through the projector) and appends nothing. */
    private <C extends SessionCommand> CompletableFuture<HttpResponse<?>> submit(Validated<C> command, boolean dry,
                                                                                 String authorization,
                                                                                 List<String> responseContent) {
        if (command instanceof Validated.Invalid<C> invalid) {
            return Answers.badRequest(invalid);
        }
        C valid = ((Validated.Valid<C>) command).value();
        return answer(dry ? projector.decide(valid, authorization) : commands.submit(valid), responseContent);
    }

    private CompletableFuture<HttpResponse<?>> answer(CompletableFuture<CommandResult> result,
                                                      List<String> responseContent) {
        return result.thenApply(outcome -> Answers.of(outcome,
                accepted -> views.integrationState(accepted.session(), responseContent)));
    }
}
