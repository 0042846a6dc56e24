package io.customersessions.projector.ops;

import io.customersessions.projector.streams.FirstCatchUp;
import io.customersessions.projector.streams.Generation;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.core.value.PropertyResolver;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.util.Map;

/**
 * A views generation is not ready until it has first caught up with the log ({@link FirstCatchUp}): before, it
 * answers its reads 503, and a load balancer should send it nothing. From then on it stays ready as far as this
 * indicator goes. The processor role has no such indicator: its own reads are ready with its stores.
 */
@Singleton
@Readiness
@Requires(property = "kafka.enabled", notEquals = "false")
@Requires(condition = ViewsCatchUpReadiness.ViewsRole.class)
public class ViewsCatchUpReadiness implements HealthIndicator {

    static final String NAME = "viewsCatchUp";

    private final FirstCatchUp catchUp;

    public ViewsCatchUpReadiness(FirstCatchUp catchUp) {
        this.catchUp = catchUp;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.just(assess(catchUp.progress()));
    }

    static HealthResult assess(FirstCatchUp.Progress progress) {
        if (progress instanceof FirstCatchUp.Progress.CaughtUp) {
            return HealthResult.builder(NAME, HealthStatus.UP).details(Map.of("caughtUp", true)).build();
        }
        Map<String, Object> details = progress instanceof FirstCatchUp.Progress.Behind behind
                ? Map.of("caughtUp", false, "behindFirstTarget", behind.offsets())
                : Map.of("caughtUp", false, "error", ((FirstCatchUp.Progress.Unknown) progress).reason());
        return HealthResult.builder(NAME, HealthStatus.DOWN).details(details).build();
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
