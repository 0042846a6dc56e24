package io.customersessions.projector.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.customersessions.api.RejectionResponses;
import io.customersessions.api.auth.Caller;
import io.customersessions.api.history.HistoryEntry;
import io.customersessions.api.history.HistoryPage;
import io.customersessions.api.history.HistoryViews;
import io.customersessions.api.model.ErrorResponse;
import io.customersessions.domain.Rejection;
import io.customersessions.domain.SessionKey;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.projector.query.EventQuery;
import io.customersessions.projector.query.SessionHistory;
import io.customersessions.projector.routing.JsonOrder;
import io.customersessions.projector.routing.PageMerge;
import io.customersessions.projector.routing.QueryRouter;
import io.customersessions.projector.views.StoredEvent;
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
import java.util.function.Function;

/**
 * The Management API's history: one session's events in order, and an application's events shaped like Talon.One's
 * {@code GET /v1/applications/{applicationId}/events/no_total} ({@link EventQuery} describes the parameters). Both
 * read the {@code session-history} store, which is fed from the event log itself. Needs a Management API key that
 * may read the application. A session's events are read where its history is ({@link QueryRouter#byKey}); the
 * application's are gathered from every instance ({@link QueryRouter#page}).
 */
@Controller("/v1/applications/{applicationId}")
public class HistoryController {

    private final SessionHistory history;
    private final HistoryViews views;
    private final QueryRouter router;

    public HistoryController(SessionHistory history, HistoryViews views, QueryRouter router) {
        this.history = history;
        this.views = views;
        this.router = router;
    }

    @Get("/customer_sessions/{customerSessionId}/events")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> sessionEvents(@PathVariable long applicationId, @PathVariable String customerSessionId,
                                         @Nullable @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                         HttpRequest<?> request) {
        Optional<HttpResponse<ErrorResponse>> denied = CallerAccess.denyManagementRead(caller, applicationId);
        if (denied.isPresent()) {
            return denied.get();
        }
        EventQuery.Parsed parsed = EventQuery.parseSessionPage(applicationId, customerSessionId,
                name -> request.getParameters().getFirst(name));
        if (parsed.query().isEmpty()) {
            return ManagementSessionController.badQuery(parsed.violations());
        }
        EventQuery query = parsed.query().get();
        return router.byKey(Topics.SESSION_HISTORY_STORE, new SessionKey(applicationId, customerSessionId), request,
                null, () -> {
                    SessionHistory.Page page = history.sessionEvents(applicationId, customerSessionId,
                            query.pageSize(), query.skip());
                    if (page.events().isEmpty()
                            && history.sessionEvents(applicationId, customerSessionId, 1, 0).events().isEmpty()) {
                        return RejectionResponses.response(Rejection.of(Rejection.Reason.NOT_FOUND,
                                "no customer session '" + customerSessionId + "' in application " + applicationId));
                    }
                    return HttpResponse.ok(new HistoryPage(page.hasMore(),
                            page.events().stream().map(this::entry).toList()));
                });
    }

    @Get("/events/no_total")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> applicationEvents(@PathVariable long applicationId,
                                             @Nullable @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                             HttpRequest<?> request) {
        Optional<HttpResponse<ErrorResponse>> denied = CallerAccess.denyManagementRead(caller, applicationId);
        if (denied.isPresent()) {
            return denied.get();
        }
        EventQuery.Parsed parsed = EventQuery.parse(applicationId, name -> request.getParameters().getFirst(name));
        if (parsed.query().isEmpty()) {
            return ManagementSessionController.badQuery(parsed.violations());
        }
        EventQuery query = parsed.query().get();
        Function<HistoryEntry, JsonNode> sortKey = JsonOrder.eventKey();
        return router.page(request, query.skip(), query.pageSize(), JsonOrder.events(query.descending()), window -> {
            SessionHistory.Keys<JsonNode> found = history.keys(query.window(window.skip(), window.pageSize()),
                    stored -> sortKey.apply(applicationEntry(stored)));
            return new PageMerge.Part<>(found.keys(), found.hasMore());
        }, window -> {
            SessionHistory.Page found = history.list(query.window(window.skip(), window.pageSize()));
            return new PageMerge.Part<>(found.events().stream().map(this::applicationEntry).toList(),
                    found.hasMore());
        });
    }

    /** An entry of the application's event listing: it names its session and the session's profile. */
    private HistoryEntry applicationEntry(StoredEvent stored) {
        return entry(stored).withSession(stored.event().getIntegrationId(), stored.after().profileId());
    }

    private HistoryEntry entry(StoredEvent stored) {
        return entry(views, stored);
    }

    /** One stored event as a history entry; shared with the NDJSON export. */
    static HistoryEntry entry(HistoryViews views, StoredEvent stored) {
        StoredEvent.StateAfter after = stored.after();
        return views.entry(AvroCodec.fromAvro(stored.event()), stored.partition(), stored.offset(),
                new HistoryEntry.StateAfter(after.updateCount(), after.state(), HistoryViews.number(after.cartItemTotal()),
                        HistoryViews.number(after.additionalCostTotal()), HistoryViews.number(after.total())));
    }
}
