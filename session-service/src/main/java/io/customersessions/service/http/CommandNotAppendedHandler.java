package io.customersessions.service.http;

import io.customersessions.api.model.ErrorResponse;
import io.customersessions.service.kafka.CommandNotAppendedException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.util.List;

/** The log is unreachable: 503 with Retry-After; nothing was appended that the client must account for. */
@Produces
@Singleton
@Requires(classes = {CommandNotAppendedException.class, ExceptionHandler.class})
class CommandNotAppendedHandler implements ExceptionHandler<CommandNotAppendedException, HttpResponse<ErrorResponse>> {

    @Override
    public HttpResponse<ErrorResponse> handle(HttpRequest request, CommandNotAppendedException exception) {
        return HttpResponse.<ErrorResponse>status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", "1")
                .body(new ErrorResponse("the session log is not available; retry later",
                        List.of(new ErrorResponse.Error("service unavailable", exception.getMessage(), null))));
    }
}
