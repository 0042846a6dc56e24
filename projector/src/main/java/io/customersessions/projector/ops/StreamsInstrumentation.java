package io.customersessions.projector.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.customersessions.projector.streams.StreamThreadFailures;
import io.micronaut.configuration.kafka.streams.event.BeforeKafkaStreamStart;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Instruments the Kafka Streams client micronaut-kafka builds, after it is built and before it starts (the only
 * moment a restore or state listener can be set): what becomes of a failed stream thread ({@link
 * StreamThreadFailures}), restore progress for readiness and gauges, state changes for the
 * query side's checks ({@link StreamsStateChanges}) and for letting go of data keys after a rebalance ({@link
 * DataKeysRetention}), and every client metric
 * (consumer lag {@code records-lag-max} and per-partition {@code records-lag}, task, thread and store metrics)
 * bound into Micrometer with all of Kafka's tags. Micrometer's binder is used rather than micronaut-kafka's
 * reporter, which keeps only the client-id, topic and node-id tags and so folds per-partition lag together.
 */
@Singleton
class StreamsInstrumentation implements ApplicationEventListener<BeforeKafkaStreamStart> {

    /** Stream threads that failed (each replaced, or, on an {@link Error}, the client shut down). */
    static final String THREAD_FAILURES = "customersessions.streams.thread.failures";

    private final RestoreProgress restore;
    private final StreamsStateChanges stateChanges;
    private final DataKeysRetention dataKeysRetention;
    private final MeterRegistry registry;
    private final Duration replaceFailedThreadAfter;
    private final List<KafkaStreamsMetrics> bound = new CopyOnWriteArrayList<>();

    StreamsInstrumentation(RestoreProgress restore, StreamsStateChanges stateChanges,
                           DataKeysRetention dataKeysRetention, MeterRegistry registry,
                           @Value("${customer-sessions.streams.replace-failed-thread-after:5s}")
                           Duration replaceFailedThreadAfter) {
        this.restore = restore;
        this.stateChanges = stateChanges;
        this.dataKeysRetention = dataKeysRetention;
        this.registry = registry;
        this.replaceFailedThreadAfter = replaceFailedThreadAfter;
    }

    @Override
    public void onApplicationEvent(BeforeKafkaStreamStart event) {
        KafkaStreams streams = event.getKafkaStreams();
        streams.setUncaughtExceptionHandler(new StreamThreadFailures(replaceFailedThreadAfter,
                registry.counter(THREAD_FAILURES)::increment));
        streams.setGlobalStateRestoreListener(restore);
        streams.setStateListener((newState, oldState) -> {
            stateChanges.onChange(newState, oldState);
            if (newState == KafkaStreams.State.RUNNING) {
                dataKeysRetention.onRunning(streams);
            }
        });
        KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(registry);
        bound.add(metrics);
    }

    @PreDestroy
    void close() {
        bound.forEach(KafkaStreamsMetrics::close);
    }
}
