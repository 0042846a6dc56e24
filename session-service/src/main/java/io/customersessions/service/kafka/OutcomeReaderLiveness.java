package io.customersessions.service.kafka;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * Down once the outcome reader's thread has ended on an error ({@link OutcomeSubscriber#stopped}): the instance then
 * refuses every write and never recovers by itself, so an orchestrator should restart it. A read that fails (the
 * broker unreachable) is retried and is alive; readiness reports it ({@link OutcomeSubscriberHealth}).
 */
@Requires(notEnv = Environment.TEST)
@Singleton
@Liveness
public class OutcomeReaderLiveness implements HealthIndicator {

    private final OutcomeSubscriber subscriber;

    public OutcomeReaderLiveness(OutcomeSubscriber subscriber) {
        this.subscriber = subscriber;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.just(current());
    }

    HealthResult current() {
        return HealthResult.builder("outcomeReader", subscriber.stopped() ? HealthStatus.DOWN : HealthStatus.UP)
                .build();
    }
}
