package io.customersessions.projector.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.customersessions.api.RejectionResponses;
import io.customersessions.api.auth.Caller;
import io.customersessions.api.management.ApplicationSession;
import io.customersessions.api.management.ApplicationSessionViews;
import io.customersessions.api.model.ErrorResponse;
import io.customersessions.domain.Rejection;
import io.customersessions.eventlog.Topics;
import io.customersessions.projector.query.ListingQuery;
import io.customersessions.projector.query.SessionListing;
import io.customersessions.projector.query.SessionStore;
import io.customersessions.projector.routing.JsonOrder;
import io.customersessions.projector.routing.PageMerge;
import io.customersessions.projector.routing.QueryRouter;
import io.customersessions.projector.routing.Routing;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Talon.One's Management API for sessions: list an application's sessions ({@link ListingQuery} describes the
 * parameters) and get one by its numeric id. Needs a Management API key that may read the application. A listing
 * is gathered from every instance ({@link QueryRouter#page}); a numeric id names the commands partition of the
 * session, so it is read where that partition is active ({@link QueryRouter#byPartition}).
 */
@Controller("/v1/applications/{applicationId}/sessions")
public class ManagementSessionController {

    private final SessionListing listing;
    private final SessionStore store;
    private final ApplicationSessionViews views;
    private final QueryRouter router;

    public ManagementSessionController(SessionListing listing, SessionStore store, ApplicationSessionViews views,
                                       QueryRouter router) {
        this.listing = listing;
        this.store = store;
        this.views = views;
        this.router = router;
    }

    @Get
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> list(@PathVariable long applicationId,
                                @Nullable @RequestAttribute(Caller.ATTRIBUTE) Caller caller, HttpRequest<?> request) {
        Optional<HttpResponse<ErrorResponse>> denied = CallerAccess.denyManagementRead(caller, applicationId);
        if (denied.isPresent()) {
            return denied.get();
        }
        ListingQuery.Parsed parsed = ListingQuery.parse(applicationId, name -> request.getParameters().getFirst(name));
        if (parsed instanceof ListingQuery.Invalid invalid) {
            return badQuery(invalid.violations());
        }
        ListingQuery query = ((ListingQuery.Valid) parsed).query();
        Function<ApplicationSession, JsonNode> sortKey = JsonOrder.sessionKey(query.sort());
        return router.page(request, query.skip(), query.pageSize(), JsonOrder.sessions(query.sort()), window -> {
            SessionListing.Keys<JsonNode> found = listing.keys(query.window(window.skip(), window.pageSize()),
                    session -> sortKey.apply(views.toApplicationSession(session)));
            return new PageMerge.Part<>(found.keys(), found.hasMore());
        }, window -> {
            SessionListing.Page found = listing.list(query.window(window.skip(), window.pageSize()));
            return new PageMerge.Part<>(found.sessions().stream().map(views::toApplicationSession).toList(),
                    found.hasMore());
        });
    }

    @Get("/{sessionId}")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> get(@PathVariable long applicationId, @PathVariable long sessionId,
                               @Nullable @RequestAttribute(Caller.ATTRIBUTE) Caller caller, HttpRequest<?> request) {
        Optional<HttpResponse<ErrorResponse>> denied = CallerAccess.denyManagementRead(caller, applicationId);
        if (denied.isPresent()) {
            return denied.get();
        }
        return router.byPartition(Topics.SESSION_LISTING_STORE, Routing.partitionOfSessionId(sessionId), request,
                () -> store.findById(applicationId, sessionId)
                        .<HttpResponse<?>>map(session -> HttpResponse.ok(views.toApplicationSession(session)))
                        .orElseGet(() -> RejectionResponses.response(Rejection.of(Rejection.Reason.NOT_FOUND,
                                "no session with id " + sessionId + " in application " + applicationId))));
    }

    /** 400 naming every bad query parameter. */
    static HttpResponse<ErrorResponse> badQuery(List<ListingQuery.ParameterViolation> violations) {
        List<ErrorResponse.Error> errors = violations.stream()
                .map(v -> new ErrorResponse.Error("invalid " + v.parameter(), v.details(),
                        ErrorResponse.Source.parameter(v.parameter())))
                .toList();
        HttpStatus status = RejectionResponses.status(Rejection.Reason.INVALID_INPUT);
        return HttpResponse.<ErrorResponse>status(status)
                .body(ErrorResponse.of(status, "The query parameters are invalid", errors));
    }
}
