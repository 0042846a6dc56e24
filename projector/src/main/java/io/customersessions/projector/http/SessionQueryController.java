package io.customersessions.projector.http;

import io.customersessions.api.RejectionResponses;
import io.customersessions.api.SessionViews;
import io.customersessions.api.auth.Caller;
import io.customersessions.domain.Rejection;
import io.customersessions.domain.SessionKey;
import io.customersessions.projector.query.SessionStore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.Optional;

/**
 * Talon.One's "Get customer session": the current session from the processor's state store, for the application
 * of the caller's Integration API key (a session of another application is simply not found).
 */
@Controller("/v2/customer_sessions")
public class SessionQueryController {

    private final SessionStore store;
    private final SessionViews views;

    public SessionQueryController(SessionStore store, SessionViews views) {
        this.store = store;
        this.views = views;
    }

    @Get("/{customerSessionId}")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> get(@PathVariable String customerSessionId,
                               @Nullable @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        Optional<Long> applicationId = CallerAccess.integrationApplication(caller);
        if (applicationId.isEmpty()) {
            return CallerAccess.integrationKeyRequired();
        }
        return store.find(new SessionKey(applicationId.get(), customerSessionId))
                .<HttpResponse<?>>map(session -> HttpResponse.ok(views.customerSessionResponse(session)))
                .orElseGet(() -> RejectionResponses.response(Rejection.of(Rejection.Reason.NOT_FOUND,
                        "no customer session '" + customerSessionId + "'")));
    }
}
