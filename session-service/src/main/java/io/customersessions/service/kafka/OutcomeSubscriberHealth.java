package io.customersessions.service.kafka;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import io.micronaut.core.async.publisher.Publishers;

import java.util.Map;

/** Not ready until the outcome subscriber listens: a command sent earlier could not learn its outcome. */
@Requires(notEnv = Environment.TEST)
@Singleton
@Readiness
public class OutcomeSubscriberHealth implements HealthIndicator {

    private final OutcomeSubscriber subscriber;
    private final PendingOutcomes pending;

    public OutcomeSubscriberHealth(OutcomeSubscriber subscriber, PendingOutcomes pending) {
        this.subscriber = subscriber;
        this.pending = pending;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        HealthStatus status = subscriber.isReady() ? HealthStatus.UP : HealthStatus.DOWN;
        return Publishers.just(HealthResult.builder("commandOutcomes", status)
                .details(Map.of("waitingRequests", pending.size()))
                .build());
    }
}
