package io.customersessions.service.kafka;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Whether the command producer is usable, judged by its sends: not ready while its latest send failed (no
 * acknowledgement within the producer's timeouts, or a fatal producer error) and nothing was appended since.
 * A failure counts for {@link #FAILURE_HOLD} only: an instance taken out of the load balancer gets no traffic to
 * prove that the log is back, so it offers itself again after the hold, and the next failed send takes it out again.
 * Before its first send the producer counts as usable: the outcome subscriber's readiness already needs the brokers.
 */
@Singleton
@Readiness
public class ProducerHealth implements HealthIndicator {

    static final Duration FAILURE_HOLD = Duration.ofSeconds(15);

    /** The latest send's result; {@code failure} null when it succeeded. */
    private record Latest(long atNanos, String failure) {
    }

    private final LongSupplier nanoTime;
    private volatile Latest latest;

    @Inject
    public ProducerHealth() {
        this(System::nanoTime);
    }

    ProducerHealth(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    public void appended() {
        latest = new Latest(nanoTime.getAsLong(), null);
    }

    public void failed(Exception error) {
        latest = new Latest(nanoTime.getAsLong(), error.getClass().getSimpleName() + ": " + error.getMessage());
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.just(current());
    }

    HealthResult current() {
        Latest current = latest;
        Map<String, Object> details = new LinkedHashMap<>();
        boolean usable = true;
        if (current != null && current.failure() != null) {
            Duration ago = Duration.ofNanos(nanoTime.getAsLong() - current.atNanos());
            usable = ago.compareTo(FAILURE_HOLD) >= 0;
            details.put("lastFailure", current.failure());
            details.put("lastFailureSecondsAgo", ago.toSeconds());
        }
        return HealthResult.builder("commandProducer", usable ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details).build();
    }
}
