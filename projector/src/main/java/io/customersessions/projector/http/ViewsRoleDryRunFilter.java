package io.customersessions.projector.http;

import io.customersessions.api.model.ErrorResponse;
import io.customersessions.projector.streams.Generation;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

import java.util.List;

/**
 * A views generation holds no decision stores (Idempotency-Keys, profile claims), so it cannot decide a dry run the
 * way the processor would: it answers 503 naming the reason, without Retry-After, since it never will. Every other
 * endpoint is served from its stores. Runs after authentication, so a caller without a key still gets 401.
 */
@ServerFilter("/internal/v1/decide")
public class ViewsRoleDryRunFilter implements Ordered {

    private final Generation generation;

    public ViewsRoleDryRunFilter(Generation generation) {
        this.generation = generation;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }

    /** Null lets the request through (the processor role); a response ends it. */
    @RequestFilter
    @Nullable
    public HttpResponse<ErrorResponse> refuseInViewsRole() {
        if (generation.role() != Generation.Role.VIEWS) {
            return null;
        }
        return HttpResponse.<ErrorResponse>status(HttpStatus.SERVICE_UNAVAILABLE).body(new ErrorResponse(
                "Service Unavailable: this projector serves read-only views and cannot run dry runs",
                List.of(new ErrorResponse.Error("service unavailable", "a dry run needs the command processor's "
                        + "decision stores; send it to the projector in the processor role", null))));
    }
}
