package io.customersessions.service.http;

import io.customersessions.api.RejectionResponses;
import io.customersessions.api.Validated;
import io.customersessions.api.http.RelayedStatus;
import io.customersessions.service.commands.CommandResult;
import io.customersessions.service.projector.RelayedResponse;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** How every command endpoint answers: one mapping from a command's result (or a request's problem) to HTTP. */
final class Answers {

    private Answers() {
    }

    /** 200 with {@code view} of the folded session, the rejection's status and error body, or 202 if pending. */
    static HttpResponse<?> of(CommandResult result, Function<CommandResult.Accepted, Object> view) {
        if (result instanceof CommandResult.Accepted accepted) {
            return HttpResponse.ok(view.apply(accepted));
        }
        if (result instanceof CommandResult.Rejected rejected) {
            return RejectionResponses.response(rejected.rejection());
        }
        CommandResult.Pending pending = (CommandResult.Pending) result;
        return HttpResponse.status(HttpStatus.ACCEPTED).body(new CommandPending(
                "the command was appended to the log but its outcome is not known yet; read the session to see it",
                pending.commandId()));
    }

    /** 400 for an invalid body or If-Match; nothing was appended. */
    static CompletableFuture<HttpResponse<?>> badRequest(Validated.Invalid<?> invalid) {
        return CompletableFuture.completedFuture(RejectionResponses.badRequest(invalid.violations()));
    }

    /** 400 for an invalid header or query value; the error names it. */
    static CompletableFuture<HttpResponse<?>> badParameter(String parameter, Validated.Invalid<?> invalid) {
        return CompletableFuture.completedFuture(RejectionResponses.badParameter(parameter,
                invalid.violations().get(0).title(), invalid.violations().get(0).details()));
    }

    /** The projector's answer as it is: status, body, content type and Retry-After. */
    static MutableHttpResponse<byte[]> relay(RelayedResponse answer) {
        MutableHttpResponse<byte[]> response = RelayedStatus.<byte[]>of(answer.status())
                .body(answer.body());
        if (answer.contentType() != null) {
            response.contentType(answer.contentType());
        }
        if (answer.retryAfter() != null) {
            response.header(HttpHeaders.RETRY_AFTER, answer.retryAfter());
        }
        return response;
    }
}
