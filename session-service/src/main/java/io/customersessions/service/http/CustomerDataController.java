package io.customersessions.service.http;

import io.customersessions.api.RejectionResponses;
import io.customersessions.api.auth.Caller;
import io.customersessions.domain.SessionCommand;
import io.customersessions.service.commands.CommandGateway;
import io.customersessions.service.commands.CommandResult;
import io.customersessions.service.projector.ProjectorClient;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Talon.One's "Delete customer's personal data" (right to erasure): every session of the profile, in the application
 * of the caller's key, gets a {@link SessionCommand.RedactPersonalData} command, each decided and folded like any
 * other, so the erasure is itself an event of each session (who asked, when). The profile's sessions come from the
 * projector's profile view; a redacted session leaves it, so a repeated DELETE finds nothing more to do and is a 204
 * as well.
 */
@Controller("/v1/customer_data")
public class CustomerDataController {

    /** Redactions submitted at once, at most: a DELETE's share of the command queue (10,000 commands). */
    static final int REDACTIONS_AT_ONCE = 100;

    private final CommandGateway commands;
    private final ProjectorClient projector;
    private final CommandStamps stamps;

    public CustomerDataController(CommandGateway commands, ProjectorClient projector, CommandStamps stamps) {
        this.commands = commands;
        this.projector = projector;
        this.stamps = stamps;
    }

    /**
     * 204 once every redaction is folded (also when the profile has no session: nothing is appended); a rejection's
     * error, or 202 with a command id if an outcome did not arrive in time (the DELETE can be repeated safely).
     * Erasure cannot be undone, so a request that asks for a dry run or names a version (as the session writes
     * accept) is refused with 400 rather than carried out in full.
     */
    @Delete("/{integrationId}")
    public CompletableFuture<HttpResponse<?>> delete(@PathVariable String integrationId,
                                                     @QueryValue @Nullable String dry,
                                                     @Header(HttpHeaders.IF_MATCH) @Nullable String ifMatch,
                                                     @Header(HttpHeaders.IF_NONE_MATCH) @Nullable String ifNoneMatch,
                                                     @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                                     @RequestAttribute(Caller.ATTRIBUTE) Caller.Integration caller) {
        if (dry != null) {
            return CompletableFuture.completedFuture(RejectionResponses.badParameter("dry", "no dry run",
                    "deleting a customer's data has no dry run; nothing was deleted"));
        }
        if (ifMatch != null || ifNoneMatch != null) {
            String header = ifMatch != null ? HttpHeaders.IF_MATCH : HttpHeaders.IF_NONE_MATCH;
            return CompletableFuture.completedFuture(RejectionResponses.badParameter(header,
                    header + " not supported", "deleting a customer's data covers every session of the profile, "
                            + "whatever their versions; nothing was deleted"));
        }
        String requestedBy = CommandStamps.requestedBy(authorization);
        return projector.sessionsOfProfile(integrationId, authorization).thenCompose(sessionIds -> inBatches(
                List.copyOf(sessionIds), REDACTIONS_AT_ONCE, sessionId -> commands.submit(
                        new SessionCommand.RedactPersonalData(stamps.commandId(), CommandStamps.key(caller, sessionId),
                                stamps.now(), null, requestedBy, integrationId)),
                CommandResult.Accepted.class::isInstance)
                .thenApply(CustomerDataController::answer));
    }

    /**
     * Submits {@code batch} items at a time, each batch once the one before has its results, so a profile with
     * thousands of sessions never fills the command queue every request of this instance shares. A batch with a
     * failure (503, not appended), or with a result that is not {@code toGoOn} (a rejection, or an outcome still
     * pending: the processor is slow, and each further batch would wait as long), is the last: the DELETE can be
     * repeated.
     */
    static <T, R> CompletableFuture<List<R>> inBatches(List<T> items, int batch,
                                                       Function<T, CompletableFuture<R>> submit,
                                                       Predicate<R> toGoOn) {
        List<R> results = new ArrayList<>();
        CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
        for (int from = 0; from < items.size(); from += batch) {
            List<T> slice = items.subList(from, Math.min(items.size(), from + batch));
            done = done.thenCompose(previous -> {
                if (!results.stream().allMatch(toGoOn)) {
                    return CompletableFuture.completedFuture(null);
                }
                List<CompletableFuture<R>> submitted = slice.stream().map(submit).toList();
                return CompletableFuture.allOf(submitted.toArray(CompletableFuture[]::new))
                        .thenRun(() -> submitted.forEach(result -> results.add(result.join())));
            });
        }
        return done.thenApply(ignored -> results);
    }

    private static HttpResponse<?> answer(List<CommandResult> results) {
        for (CommandResult result : results) {
            if (result instanceof CommandResult.Rejected rejected) {
                return RejectionResponses.response(rejected.rejection());
            }
        }
        return results.stream().filter(CommandResult.Pending.class::isInstance).findFirst()
                .<HttpResponse<?>>map(pending -> HttpResponse.status(HttpStatus.ACCEPTED).body(new CommandPending(
                        "the erasure is not complete: a redaction was appended but its outcome is not known yet, "
                                + "and sessions after it may not have been redacted; repeat the DELETE until it "
                                + "answers 204",
                        ((CommandResult.Pending) pending).commandId())))
                .orElseGet(HttpResponse::noContent);
    }
}
