package io.customersessions.service.http;

import io.customersessions.api.RejectionResponses;
import io.customersessions.api.model.ErrorResponse;
import io.customersessions.service.kafka.CommandNotAppendedException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** The log did not take the command: 503 with Retry-After; nothing was appended that the client must account for. */
@Produces
@Singleton
class CommandNotAppendedHandler implements ExceptionHandler<CommandNotAppendedException, HttpResponse<ErrorResponse>> {

    @Override
    public HttpResponse<ErrorResponse> handle(HttpRequest request, CommandNotAppendedException exception) {
        return RejectionResponses.serviceUnavailable("the session log is not available; retry later",
                exception.getMessage());
    }
}
