package io.customersessions.api.http;

import io.customersessions.api.model.ErrorResponse;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/**
 * The errors Micronaut answers by itself are JSON ({@link ErrorBodies}) whatever the request accepts. Micronaut's
 * own processor answers a request that accepts {@code text/html} and not JSON (a browser's) with an HTML page of
 * another shape; an API's clients, and whoever debugs one from a browser, should see the one error shape. As
 * Micronaut's, a HEAD request gets no body.
 */
@Singleton
public final class JsonErrorResponses implements ErrorResponseProcessor<ErrorResponse> {

    private final ErrorBodies bodies;

    public JsonErrorResponses(ErrorBodies bodies) {
        this.bodies = bodies;
    }

    @Override
    @SuppressWarnings("unchecked")
    public MutableHttpResponse<ErrorResponse> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        if (context.getRequest().getMethod() == HttpMethod.HEAD) {
            return (MutableHttpResponse<ErrorResponse>) response;
        }
        return response.body(bodies.body(context, response)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
