package io.customersessions.projector.http;

import io.customersessions.api.RejectionResponses;
import io.customersessions.api.SessionViews;
import io.customersessions.domain.Rejection;
import io.customersessions.domain.SessionKey;
import io.customersessions.projector.query.SessionStore;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/** Talon.One's "Get customer session": the current session from the processor's state store. */
@Controller("/v2/customer_sessions")
public class SessionQueryController {

    private final SessionStore store;
    private final SessionViews views;
    private final long applicationId;

    public SessionQueryController(SessionStore store, SessionViews views,
                                  @Value("${customer-sessions.application-id}") long applicationId) {
        this.store = store;
        this.views = views;
        this.applicationId = applicationId;
    }

    @Get("/{customerSessionId}")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> get(@PathVariable String customerSessionId) {
        return store.find(new SessionKey(applicationId, customerSessionId))
                .<HttpResponse<?>>map(session -> HttpResponse.ok(views.customerSessionResponse(session)))
                .orElseGet(() -> RejectionResponses.response(Rejection.of(Rejection.Reason.NOT_FOUND,
                        "no customer session '" + customerSessionId + "'")));
    }
}
