package io.customersessions.projector.http;

import io.customersessions.api.auth.Caller;
import io.customersessions.api.internal.ProfileSessions;
import io.customersessions.projector.query.ListingQuery;
import io.customersessions.projector.query.ProfileSessionQuery;
import io.customersessions.projector.routing.JsonOrder;
import io.customersessions.projector.routing.QueryRouter;
import io.micronaut.http.HttpRequest;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.List;
import java.util.Optional;

/**
 * Internal, for the session-service's {@code DELETE /v1/customer_data/{integrationId}}: the integration ids of the
 * sessions that have this profile (or hold its data, see {@link #sessions}), in the application of the caller's
 * Integration API key (the session-service forwards its client's Authorization header) → {@link ProfileSessions}.
 * The profile's sessions live on every partition, so the answer is gathered from all instances; 503 while the
 * stores rebalance.
 */
@Controller("/internal/v1/profiles")
public class ProfileSessionsController {

    /** The value of {@code include} that asks for every session holding the profile's data. */
    public static final String INCLUDE_FORMER = "former";

    private final ProfileSessionQuery query;
    private final QueryRouter router;

    public ProfileSessionsController(ProfileSessionQuery query, QueryRouter router) {
        this.query = query;
        this.router = router;
    }

    /**
     * With {@code include=former} (sent by session-services of schema v9 on, whose erasure names the profile) every
     * session that holds the profile's data ({@link ProfileSessionQuery#holdingData}); without it, as an earlier
     * session-service asks during a rolling upgrade, only those that have the profile now: an erasure that names no
     * profile gives up the claim of the session's current one, so it must not reach sessions by another.
     */
    @Get("/{integrationId}/sessions{?include}")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> sessions(HttpRequest<?> request, @PathVariable String integrationId,
                                    @Nullable @QueryValue String include,
                                    @Nullable @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        Optional<Long> applicationId = CallerAccess.integrationApplication(caller);
        if (applicationId.isEmpty()) {
            return CallerAccess.integrationKeyRequired();
        }
        if (include != null && !include.equals(INCLUDE_FORMER)) {
            return ManagementSessionController.badQuery(List.of(new ListingQuery.ParameterViolation("include",
                    "include must be '" + INCLUDE_FORMER + "' or absent")));
        }
        boolean former = INCLUDE_FORMER.equals(include);
        return router.all(request, "integrationIds", JsonOrder.text(), () -> former
                ? query.holdingData(applicationId.get(), integrationId)
                : query.integrationIds(applicationId.get(), integrationId));
    }
}
