package io.customersessions.api.http;

import io.customersessions.api.model.ErrorResponse;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.UnsatisfiedRouteHandler;
import io.micronaut.web.router.exceptions.UnsatisfiedBodyRouteException;
import io.micronaut.web.router.exceptions.UnsatisfiedRouteException;
import jakarta.inject.Singleton;

/** A missing body (or a missing required header, path or query value) → 400 in Talon.One's shape. */
@Singleton
@Produces
@Replaces(UnsatisfiedRouteHandler.class)
public final class UnsatisfiedRouteErrorHandler
        implements ExceptionHandler<UnsatisfiedRouteException, HttpResponse<ErrorResponse>> {

    @Override
    public HttpResponse<ErrorResponse> handle(HttpRequest request, UnsatisfiedRouteException exception) {
        if (exception instanceof UnsatisfiedBodyRouteException) {
            return BadRequests.of("The request body is missing", "missing body",
                    "this operation needs a JSON request body", ErrorResponse.Source.pointer(""));
        }
        String name = BadRequests.parameterName(exception.getArgument());
        return BadRequests.of("A required parameter is missing", "missing " + name,
                "the request needs a value for '" + name + "'", ErrorResponse.Source.parameter(name));
    }
}
