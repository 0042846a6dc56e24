package io.customersessions.projector.ops;

import io.customersessions.eventlog.crypto.KafkaDataKeys;
import io.micronaut.context.annotation.Requires;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;

/**
 * The data keys this instance holds on its heap to open sealed events ({@value #HELD}: about 215 bytes each) and the
 * catch-ups on the key topic its misses cost ({@value #CATCH_UPS}: an erased session's events cost one per partition
 * and run), bound by Micronaut. Not without Kafka ({@code kafka.enabled: false}), where there are no data keys.
 */
@Singleton
@Requires(property = "kafka.enabled", notEquals = "false")
class DataKeysMetrics implements MeterBinder {

    static final String HELD = "customersessions.datakeys.held";
    static final String CATCH_UPS = "customersessions.datakeys.catchups";

    private final KafkaDataKeys keys;

    DataKeysMetrics(KafkaDataKeys keys) {
        this.keys = keys;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(HELD, keys, KafkaDataKeys::keysHeld)
                .description("data keys held in memory to open the sealed events of this instance's sessions")
                .register(registry);
        FunctionCounter.builder(CATCH_UPS, keys, KafkaDataKeys::catchUps)
                .description("look-ups of a data key not held that read the key topic up to its end")
                .register(registry);
    }
}
