package io.customersessions.projector.http;

import io.customersessions.api.auth.Caller;
import io.customersessions.api.internal.ProfileSessions;
import io.customersessions.projector.query.ProfileSessionQuery;
import io.customersessions.projector.routing.JsonOrder;
import io.customersessions.projector.routing.QueryRouter;
import io.micronaut.http.HttpRequest;
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
 * Internal, for the session-service's {@code DELETE /v1/customer_data/{integrationId}}: the integration ids of the
 * sessions that have this profile, in the application of the caller's Integration API key (the session-service
 * forwards its client's Authorization header) → {@link ProfileSessions}. The profile's sessions live on every
 * partition, so the answer is gathered from all instances; 503 while the stores rebalance.
 */
@Controller("/internal/v1/profiles")
public class ProfileSessionsController {

    private final ProfileSessionQuery query;
    private final QueryRouter router;

    public ProfileSessionsController(ProfileSessionQuery query, QueryRouter router) {
        this.query = query;
        this.router = router;
    }

    @Get("/{integrationId}/sessions")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> sessions(HttpRequest<?> request, @PathVariable String integrationId,
                                    @Nullable @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        Optional<Long> applicationId = CallerAccess.integrationApplication(caller);
        if (applicationId.isEmpty()) {
            return CallerAccess.integrationKeyRequired();
        }
        return router.all(request, "integrationIds", JsonOrder.text(),
                () -> query.integrationIds(applicationId.get(), integrationId));
    }
}
