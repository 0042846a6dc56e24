package io.customersessions.service.kafka;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;

/** The requests waiting for their command's outcome, as the gauge {@value #PENDING} (bound by Micronaut). */
@Singleton
class PendingOutcomesMetrics implements MeterBinder {

    static final String PENDING = "customersessions.outcomes.pending";

    private final PendingOutcomes pending;

    PendingOutcomesMetrics(PendingOutcomes pending) {
        this.pending = pending;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(PENDING, pending, PendingOutcomes::size)
                .description("requests waiting for the outcome of their command on this instance")
                .register(registry);
    }
}
