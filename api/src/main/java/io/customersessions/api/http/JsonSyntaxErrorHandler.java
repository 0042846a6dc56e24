package io.customersessions.api.http;

import io.customersessions.api.model.ErrorResponse;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.JsonExceptionHandler;
import io.micronaut.json.JsonSyntaxException;
import jakarta.inject.Singleton;

/** A body that is not JSON at all → 400 pointing at the whole body, with the parser's line and column. */
@Singleton
@Produces
@Replaces(JsonExceptionHandler.class)
public final class JsonSyntaxErrorHandler implements ExceptionHandler<JsonSyntaxException, HttpResponse<ErrorResponse>> {

    @Override
    public HttpResponse<ErrorResponse> handle(HttpRequest request, JsonSyntaxException exception) {
        return BadRequests.of("The request body is not valid JSON", "invalid JSON",
                BadRequests.parserMessage(exception.getCause() == null ? exception : exception.getCause()),
                ErrorResponse.Source.pointer(""));
    }
}
