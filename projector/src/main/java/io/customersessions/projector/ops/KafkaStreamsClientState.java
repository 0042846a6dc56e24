package io.customersessions.projector.ops;

import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;

import java.util.Collection;
import java.util.Optional;

/** Reads the state of micronaut-kafka's Kafka Streams clients: the first that is not RUNNING, if any. */
@Singleton
class KafkaStreamsClientState implements StreamsClientState {

    private final Collection<KafkaStreams> streams;

    KafkaStreamsClientState(Collection<KafkaStreams> streams) {
        this.streams = streams;
    }

    @Override
    public Optional<KafkaStreams.State> current() {
        return streams.stream().map(KafkaStreams::state)
                .reduce((first, next) -> first == KafkaStreams.State.RUNNING ? next : first);
    }
}
