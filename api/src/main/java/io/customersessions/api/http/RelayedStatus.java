package io.customersessions.api.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;

/**
 * A response that repeats another server's status, whatever its code: a proxy or load balancer between two
 * services may answer one Micronaut has no {@link HttpStatus} for (e.g. 499, 520), and {@link HttpStatus#valueOf}
 * would turn it into a 500 of our own.
 */
public final class RelayedStatus {

    private RelayedStatus() {
    }

    public static <T> MutableHttpResponse<T> of(int code) {
        String reason;
        try {
            reason = HttpStatus.valueOf(code).getReason();
        } catch (IllegalArgumentException e) {
            reason = "Status " + code;
        }
        return HttpResponse.status(code, reason);
    }
}
