package io.customersessions.projector.http;

import io.customersessions.api.RejectionResponses;
import io.customersessions.api.SessionViews;
import io.customersessions.api.auth.Caller;
import io.customersessions.domain.CustomerSession;
import io.customersessions.domain.Rejection;
import io.customersessions.domain.SessionKey;
import io.customersessions.eventlog.Topics;
import io.customersessions.projector.query.EventQuery;
import io.customersessions.projector.query.SessionHistory;
import io.customersessions.projector.query.SessionStore;
import io.customersessions.projector.routing.QueryRouter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
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
 * of the caller's Integration API key (a session of another application is simply not found). With {@code asOf}
 * or {@code asOfUpdateCount} it is the session as it was then, folded from its history ({@link SessionHistory}).
 * Answered by the instance that owns the session ({@link QueryRouter#byKey}).
 */
@Controller("/v2/customer_sessions")
public class SessionQueryController {

    private final SessionStore store;
    private final SessionHistory history;
    private final SessionViews views;
    private final QueryRouter router;

    public SessionQueryController(SessionStore store, SessionHistory history, SessionViews views, QueryRouter router) {
        this.store = store;
        this.history = history;
        this.views = views;
        this.router = router;
    }

    @Get("/{customerSessionId}")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> get(@PathVariable String customerSessionId,
                               @Nullable @RequestAttribute(Caller.ATTRIBUTE) Caller caller, HttpRequest<?> request) {
        Optional<Long> applicationId = CallerAccess.integrationApplication(caller);
        if (applicationId.isEmpty()) {
            return CallerAccess.integrationKeyRequired();
        }
        long app = applicationId.get();
        EventQuery.AsOf asOf = EventQuery.parseAsOf(name -> request.getParameters().getFirst(name));
        if (asOf instanceof EventQuery.AsOf.Invalid invalid) {
            return ManagementSessionController.badQuery(invalid.violations());
        }
        SessionKey key = new SessionKey(app, customerSessionId);
        // The current state is in the processor's store, a past one is folded from the history: each is partitioned
        // by the topic that feeds it, so each may be active on another instance.
        String readFrom = asOf instanceof EventQuery.AsOf.Current ? Topics.SESSION_STORE : Topics.SESSION_HISTORY_STORE;
        return router.byKey(readFrom, key, request, null, () -> answer(key, asOf));
    }

    private HttpResponse<?> answer(SessionKey key, EventQuery.AsOf asOf) {
        String customerSessionId = key.integrationId();
        Optional<CustomerSession> session;
        if (asOf instanceof EventQuery.AsOf.At at) {
            session = history.asOf(key.applicationId(), customerSessionId, at.instant());
        } else if (asOf instanceof EventQuery.AsOf.Count count) {
            session = history.asOfUpdateCount(key.applicationId(), customerSessionId, count.updateCount());
        } else {
            session = store.find(key);
        }
        return session
                .<HttpResponse<?>>map(found -> HttpResponse.ok(views.customerSessionResponse(found)))
                .orElseGet(() -> RejectionResponses.response(Rejection.of(Rejection.Reason.NOT_FOUND,
                        "no customer session '" + customerSessionId + "'"
                                + (asOf instanceof EventQuery.AsOf.Current ? "" : " at that point"))));
    }
}
