package io.customersessions.api.http;

import io.customersessions.api.model.ErrorResponse;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.JsonErrorResponseBodyProvider;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Locale;

/**
 * Every error Micronaut answers by itself gets Talon.One's body instead of Micronaut's {@code _embedded}/{@code
 * _links}: an unknown path (404), a method the path does not take (405), a body that is not JSON (415), an
 * unhandled failure (500). The message is Micronaut's own ("Content Type [text/plain] not allowed. Allowed types:
 * [application/json]"); each error's title is the status's reason in lower case. A 500 never repeats its cause's
 * message, which may hold anything the failing code had in hand (a session's personal data, say): Micronaut logs the
 * cause, and the body says only that the server failed.
 */
@Singleton
@Replaces(JsonErrorResponseBodyProvider.class)
public final class ErrorBodies implements JsonErrorResponseBodyProvider<ErrorResponse> {

    static final String UNEXPECTED = "Internal Server Error: the request failed on the server (its cause is logged)";

    @Override
    public ErrorResponse body(ErrorContext context, HttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        String title = status.getReason().toLowerCase(Locale.ROOT);
        if (status == HttpStatus.INTERNAL_SERVER_ERROR) {
            return ErrorResponse.of(status, UNEXPECTED, List.of(new ErrorResponse.Error(title, UNEXPECTED, null)));
        }
        List<ErrorResponse.Error> errors = context.getErrors().stream()
                .map(error -> new ErrorResponse.Error(error.getTitle().orElse(title), error.getMessage(), null))
                .toList();
        if (errors.isEmpty()) {
            errors = List.of(new ErrorResponse.Error(title, status.getReason(), null));
        }
        return ErrorResponse.of(status, errors.get(0).details(), errors);
    }
}
