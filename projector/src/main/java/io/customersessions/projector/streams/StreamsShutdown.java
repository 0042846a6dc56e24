package io.customersessions.projector.streams;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.ShutdownEvent;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;

import java.time.Duration;
import java.util.Collection;

/**
 * Closes Kafka Streams first on shutdown and leaves the consumer group, so that a restarted processor (or the
 * other instances) take the partitions over at once instead of after the session timeout.
 */
@Singleton
class StreamsShutdown implements ApplicationEventListener<ShutdownEvent> {

    private final Collection<KafkaStreams> streams;

    StreamsShutdown(Collection<KafkaStreams> streams) {
        this.streams = streams;
    }

    @Override
    public void onApplicationEvent(ShutdownEvent event) {
        for (KafkaStreams kafkaStreams : streams) {
            kafkaStreams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(20)));
        }
    }
}
