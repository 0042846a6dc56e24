package io.customersessions.projector.http;

import io.customersessions.api.RejectionResponses;
import io.customersessions.api.auth.Caller;
import io.customersessions.api.model.ErrorResponse;
import io.customersessions.domain.Rejection;
import io.micronaut.http.HttpResponse;

import java.util.Optional;

/**
 * What a caller may do here, after the authentication filter established who it is. Without a caller of the right
 * kind the answer is 401 (the filter normally answers first); a Management API key that may not read an
 * application gets 404, exactly as if the application had no such data, so nothing about it leaks.
 */
final class CallerAccess {

    private CallerAccess() {
    }

    /** The application an Integration API key acts for. */
    static Optional<Long> integrationApplication(Caller caller) {
        return caller instanceof Caller.Integration integration
                ? Optional.of(integration.applicationId())
                : Optional.empty();
    }

    static HttpResponse<ErrorResponse> integrationKeyRequired() {
        return RejectionResponses.unauthorized("Unauthorized: this endpoint needs an Integration API key",
                "send the header 'Authorization: ApiKey-v1 <key>' with an Integration API key of your application",
                "ApiKey-v1");
    }

    /** Empty when the caller may read {@code applicationId}; otherwise the response to answer instead. */
    static Optional<HttpResponse<ErrorResponse>> denyManagementRead(Caller caller, long applicationId) {
        if (!(caller instanceof Caller.Management management)) {
            return Optional.of(RejectionResponses.unauthorized(
                    "Unauthorized: this endpoint needs a Management API key",
                    "send the header 'Authorization: ManagementKey-v1 <key>' (or 'Bearer <key>') with a Management "
                            + "API key", "ManagementKey-v1, Bearer"));
        }
        if (!management.mayRead(applicationId)) {
            return Optional.of(RejectionResponses.response(Rejection.of(Rejection.Reason.NOT_FOUND,
                    "no application " + applicationId)));
        }
        return Optional.empty();
    }
}
