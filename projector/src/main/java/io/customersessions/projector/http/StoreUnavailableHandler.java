package io.customersessions.projector.http;

import io.customersessions.api.RejectionResponses;
import io.customersessions.api.model.ErrorResponse;
import io.customersessions.projector.query.StoreUnavailableException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** While the store starts or rebalances: 503 with Retry-After rather than a wrong answer. */
@Produces
@Singleton
class StoreUnavailableHandler implements ExceptionHandler<StoreUnavailableException, HttpResponse<ErrorResponse>> {

    @Override
    public HttpResponse<ErrorResponse> handle(HttpRequest request, StoreUnavailableException exception) {
        return RejectionResponses.serviceUnavailable("the session view is not available right now; retry shortly",
                exception.getMessage());
    }
}
