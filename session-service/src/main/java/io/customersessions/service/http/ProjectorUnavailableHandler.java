package io.customersessions.service.http;

import io.customersessions.api.RejectionResponses;
import io.customersessions.api.model.ErrorResponse;
import io.customersessions.service.projector.ProjectorUnavailableException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Reads and dry runs need the projector: without it, 503 with Retry-After (nothing was appended either way). */
@Produces
@Singleton
class ProjectorUnavailableHandler implements ExceptionHandler<ProjectorUnavailableException, HttpResponse<ErrorResponse>> {

    @Override
    public HttpResponse<ErrorResponse> handle(HttpRequest request, ProjectorUnavailableException exception) {
        return RejectionResponses.serviceUnavailable("the session projector is not available; retry later",
                exception.getMessage());
    }
}
