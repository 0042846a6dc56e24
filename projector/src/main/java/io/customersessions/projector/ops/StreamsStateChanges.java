package io.customersessions.projector.ops;

import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the state changes of this instance's Kafka Streams client (set as its state listener before it starts).
 * Tasks are created and closed only around rebalances, which the client passes through {@code REBALANCING}: a
 * fact verified about the local tasks stays true while the count has not moved.
 */
@Singleton
public class StreamsStateChanges implements KafkaStreams.StateListener {

    private final AtomicLong changes = new AtomicLong();

    @Override
    public void onChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
        changes.incrementAndGet();
    }

    public long count() {
        return changes.get();
    }
}
