package io.customersessions.service.http;

import io.customersessions.service.projector.ProjectorRefusedException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** The projector refused a dry run (e.g. a key it does not know): the client gets the projector's answer. */
@Produces
@Singleton
class ProjectorRefusedHandler implements ExceptionHandler<ProjectorRefusedException, HttpResponse<byte[]>> {

    @Override
    public HttpResponse<byte[]> handle(HttpRequest request, ProjectorRefusedException exception) {
        return Answers.relay(exception.answer());
    }
}
