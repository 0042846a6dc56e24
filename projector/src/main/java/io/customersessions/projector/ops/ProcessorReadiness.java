package io.customersessions.projector.ops;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.reactivestreams.Publisher;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Ready only while the processor's Kafka Streams client is {@code RUNNING} and no store of this instance is
 * restoring: while it rebalances or restores, reads of its stores answer 503 and its commands wait, so a load
 * balancer should send nothing here. The details name the client state and, per restoring store, the partitions
 * and changelog offsets left.
 */
@Singleton
@Readiness
public class ProcessorReadiness implements HealthIndicator {

    static final String NAME = "processor";

    private final StreamsClientState client;
    private final RestoreProgress restore;

    public ProcessorReadiness(StreamsClientState client, RestoreProgress restore) {
        this.client = client;
        this.restore = restore;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.just(assess(client.current(), restore.restoring()));
    }

    static HealthResult assess(Optional<KafkaStreams.State> state, Map<String, RestoreProgress.StoreProgress> restoring) {
        boolean ready = state.filter(s -> s == KafkaStreams.State.RUNNING).isPresent() && restoring.isEmpty();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", state.map(Enum::name).orElse("NO_STREAMS_CLIENT"));
        Map<String, Object> stores = new LinkedHashMap<>();
        restoring.forEach((store, progress) -> stores.put(store,
                Map.of("partitions", progress.partitions(), "remainingOffsets", progress.remaining())));
        details.put("restoring", stores);
        return HealthResult.builder(NAME, ready ? HealthStatus.UP : HealthStatus.DOWN).details(details).build();
    }
}
