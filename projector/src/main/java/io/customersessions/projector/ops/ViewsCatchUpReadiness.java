package io.customersessions.projector.ops;

import io.customersessions.projector.streams.Generation;
import io.customersessions.projector.streams.GenerationLag;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.core.value.PropertyResolver;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.kafka.common.TopicPartition;
import org.reactivestreams.Publisher;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * A views generation folds the event log from its beginning: until it has, it answers from a partial fold, and a
 * session it has not reached yet would be a wrong 404. It is therefore not ready until its application's committed
 * offsets have reached, on every partition of the event log, the log's committed end as it was when readiness was
 * first asked (the whole group's offsets: one instance's part of the fold answers reads forwarded from the others).
 * From then on it stays ready as far as this indicator goes: it lags the log by about a commit interval, and a
 * steady stream of events would otherwise keep "lag 0" from ever being true. The processor role has no such
 * indicator: it writes the log it serves.
 *
 * <p>The offsets are read with the Admin API on the blocking executor, never on the event loop.
 */
@Singleton
@Readiness
@Requires(property = "kafka.enabled", notEquals = "false")
@Requires(condition = ViewsCatchUpReadiness.ViewsRole.class)
public class ViewsCatchUpReadiness implements HealthIndicator {

    static final String NAME = "viewsCatchUp";

    private final Supplier<GenerationLag.LogPositions> positions;
    private final ExecutorService blocking;
    /** The log's committed ends when readiness was first asked. */
    private volatile Map<TopicPartition, Long> target;
    private volatile boolean caughtUp;

    @Inject
    public ViewsCatchUpReadiness(GenerationLag lag, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this(lag::positions, blocking);
    }

    ViewsCatchUpReadiness(Supplier<GenerationLag.LogPositions> positions, ExecutorService blocking) {
        this.positions = positions;
        this.blocking = blocking;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        if (caughtUp) {
            return Publishers.just(result(true, Map.of()));
        }
        return Publishers.fromCompletableFuture(CompletableFuture.supplyAsync(this::assess, blocking));
    }

    synchronized HealthResult assess() {
        if (caughtUp) {
            return result(true, Map.of());
        }
        GenerationLag.LogPositions now;
        try {
            now = positions.get();
        } catch (GenerationLag.LagUnavailableException e) {
            return HealthResult.builder(NAME, HealthStatus.DOWN)
                    .details(Map.of("caughtUp", false, "error", String.valueOf(e.getMessage()))).build();
        }
        if (target == null) {
            target = Map.copyOf(now.ends());
        }
        Map<TopicPartition, Long> reach = target;
        long behind = reach.entrySet().stream().mapToLong(end -> now.behind(end.getKey(), end.getValue())).sum();
        if (behind == 0) {
            caughtUp = true;
            return result(true, Map.of());
        }
        return result(false, Map.of("behindFirstTarget", behind));
    }

    private static HealthResult result(boolean caughtUp, Map<String, Object> more) {
        Map<String, Object> details = new TreeMap<>(more);
        details.put("caughtUp", caughtUp);
        return HealthResult.builder(NAME, caughtUp ? HealthStatus.UP : HealthStatus.DOWN).details(details).build();
    }

    /** The projector runs as a views generation ({@code customer-sessions.projector.role}, any case). */
    public static final class ViewsRole implements Condition {
        @Override
        public boolean matches(ConditionContext context) {
            if (!(context.getBeanContext() instanceof PropertyResolver properties)) {
                return false;
            }
            return properties.getProperty("customer-sessions.projector.role", String.class)
                    .map(role -> {
                        try {
                            return Generation.Role.parse(role) == Generation.Role.VIEWS;
                        } catch (IllegalArgumentException e) {
                            return false; // the Generation bean refuses it, with the reason
                        }
                    })
                    .orElse(false);
        }
    }
}
