package io.customersessions.projector.ops;

import io.micronaut.context.annotation.DefaultImplementation;
import org.apache.kafka.streams.KafkaStreams;

import java.util.Optional;

/** The state of this instance's Kafka Streams client (the least ready of them if several); empty when it runs none. */
@DefaultImplementation(KafkaStreamsClientState.class)
public interface StreamsClientState {

    Optional<KafkaStreams.State> current();
}
