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

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Not ready until the outcome subscriber listens, nor while it cannot read: a command taken then could not learn
 * its outcome.
 */
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
        return Publishers.just(current());
    }

    HealthResult current() {
        Optional<String> failure = subscriber.failure();
        HealthStatus status = subscriber.isReady() && failure.isEmpty() ? HealthStatus.UP : HealthStatus.DOWN;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("waitingRequests", pending.size());
        failure.ifPresent(reason -> details.put("failure", reason));
        return HealthResult.builder("commandOutcomes", status).details(details).build();
    }
}
