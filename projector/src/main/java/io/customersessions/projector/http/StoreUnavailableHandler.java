package io.customersessions.projector.http;

import io.customersessions.api.model.ErrorResponse;
import io.customersessions.projector.query.StoreUnavailableException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.util.List;

/** While the store starts or rebalances: 503 with Retry-After rather than a wrong answer. */
@Produces
@Singleton
class StoreUnavailableHandler implements ExceptionHandler<StoreUnavailableException, HttpResponse<ErrorResponse>> {

    @Override
    public HttpResponse<ErrorResponse> handle(HttpRequest request, StoreUnavailableException exception) {
        return HttpResponse.<ErrorResponse>status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", "1")
                .body(new ErrorResponse("the session view is not available right now; retry shortly",
                        List.of(new ErrorResponse.Error("service unavailable", exception.getMessage(), null))));
    }
}
