package io.customersessions.projector.ops;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.reactivestreams.Publisher;

import java.util.Map;
import java.util.Optional;

/**
 * Down once the processor's Kafka Streams client has shut down after a failure ({@code ERROR}, from which it never
 * comes back): only a restart lets this instance fold and answer again. Every other state, a broker outage or a
 * rebalance included, is alive; readiness tells those apart ({@link ProcessorReadiness}).
 */
@Singleton
@Liveness
public class StreamsLiveness implements HealthIndicator {

    static final String NAME = "streams";

    private final StreamsClientState client;

    public StreamsLiveness(StreamsClientState client) {
        this.client = client;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.just(assess(client.current()));
    }

    static HealthResult assess(Optional<KafkaStreams.State> state) {
        boolean failed = state.filter(s -> s == KafkaStreams.State.ERROR || s == KafkaStreams.State.PENDING_ERROR)
                .isPresent();
        return HealthResult.builder(NAME, failed ? HealthStatus.DOWN : HealthStatus.UP)
                .details(Map.of("state", state.map(Enum::name).orElse("NO_STREAMS_CLIENT"))).build();
    }
}
