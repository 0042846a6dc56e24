package io.customersessions.projector.http;

import io.customersessions.api.RejectionResponses;
import io.customersessions.projector.streams.Generation;
import io.customersessions.projector.streams.GenerationLag;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import org.apache.kafka.streams.KafkaStreams;

import java.util.Map;

/**
 * Internal, for operators rebuilding the projection (README "Rebuilding the projection without downtime"): which
 * generation this projector is and how far behind the log it is. Readers may be switched to a views generation once
 * it is {@code RUNNING} with lag 0.
 */
@Controller("/internal/v1/generation")
public class GenerationController {

    private final Generation generation;
    private final GenerationLag lag;
    private final KafkaStreams streams;

    public GenerationController(Generation generation, GenerationLag lag, KafkaStreams streams) {
        this.generation = generation;
        this.lag = lag;
        this.streams = streams;
    }

    /**
     * @param role          {@code processor} or {@code views}
     * @param state         Kafka Streams' state ({@code REBALANCING} while restoring or starting, {@code RUNNING})
     * @param lag           records of the source topics not yet applied (summed over {@code lagByTopic})
     * @param caughtUp      running with lag 0
     */
    @Serdeable
    public record Status(String role, String applicationId, String state, long lag, Map<String, Long> lagByTopic,
                         boolean caughtUp) {
    }

    @Get
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> status() {
        Map<String, Long> byTopic;
        try {
            byTopic = lag.byTopic();
        } catch (GenerationLag.LagUnavailableException e) {
            return RejectionResponses.serviceUnavailable("the lag cannot be read right now; retry shortly",
                    e.getMessage());
        }
        long total = byTopic.values().stream().mapToLong(Long::longValue).sum();
        KafkaStreams.State state = streams.state();
        return HttpResponse.ok(new Status(generation.role().text(), generation.applicationId(), state.name(), total,
                byTopic, state == KafkaStreams.State.RUNNING && total == 0));
    }
}
