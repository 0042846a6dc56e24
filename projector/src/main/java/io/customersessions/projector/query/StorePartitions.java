package io.customersessions.projector.query;

import io.customersessions.projector.ops.StreamsStateChanges;
import jakarta.inject.Singleton;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which partition of a store holds a key, and where each partition is active, as this instance's Kafka Streams
 * metadata says. Kafka Streams answers each {@code queryMetadataForKey} by copying the group's metadata, and a read
 * by key asked it three times (to route it, to read it, to check after reading): 28 % of the controller's time on a
 * read that finds nothing. The owners are asked once per store and remembered with the client's count of state changes
 * ({@link StreamsStateChanges}), and asked again when the count has moved: the metadata changes only in a rebalance,
 * which the client passes through {@code REBALANCING}.
 *
 * <p>Invariant: what is remembered can only send a read to an instance that no longer has its partition (in the
 * moment between Kafka Streams updating its metadata and changing its state), never answer it wrongly: a local read
 * still looks up its partition's task through Kafka Streams, 503 if it is not active here, and a forwarded read is
 * answered where it arrives or not at all.
 */
@Singleton
public class StorePartitions {

    private final StreamsStateChanges stateChanges;
    private final Map<String, Owners> byStore = new ConcurrentHashMap<>();

    public StorePartitions(StreamsStateChanges stateChanges) {
        this.stateChanges = stateChanges;
    }

    /** The active (and standby) instances of every partition of a store's source topic, by partition number. */
    public record Owners(long stateChanges, List<KeyQueryMetadata> byPartition) {

        public Owners {
            byPartition = List.copyOf(byPartition);
        }

        /** The partition of {@code key} (a session key as a string). */
        public int partitionOf(String key) {
            return StorePartitions.partitionOf(key, byPartition.size());
        }

        public KeyQueryMetadata ofKey(String key) {
            return byPartition.get(partitionOf(key));
        }

        /** A partition beyond the topic's is partition 0. */
        public KeyQueryMetadata ofPartition(int partition) {
            return byPartition.get(partition >= 0 && partition < byPartition.size() ? partition : 0);
        }

        /** Every partition has an active instance. */
        boolean complete() {
            return byPartition.stream().allMatch(owner -> owner.activeHost() != null
                    && !owner.activeHost().equals(HostInfo.unavailable()));
        }

        public SortedSet<Integer> activeOn(HostInfo host) {
            SortedSet<Integer> active = new TreeSet<>();
            for (int partition = 0; partition < byPartition.size(); partition++) {
                if (host.equals(byPartition.get(partition).activeHost())) {
                    active.add(partition);
                }
            }
            return active;
        }
    }

    /**
     * The owners of {@code store}'s partitions; empty while the group's metadata is not known (before the first
     * assignment). Owners that name no active instance for some partition are handed out but not remembered.
     *
     * @throws IllegalStateException when the client is not running (Kafka Streams' own)
     */
    public Optional<Owners> owners(KafkaStreams streams, String store) {
        // Read the count first: a change while asking makes the answer stale at once, never wrongly fresh.
        long changes = stateChanges.count();
        Owners last = byStore.get(store);
        if (last != null && last.stateChanges() == changes) {
            return Optional.of(last);
        }
        Optional<Owners> asked = ask(streams, store, changes);
        asked.filter(Owners::complete).ifPresent(owners -> byStore.put(store, owners));
        return asked;
    }

    /**
     * Kafka's default partitioner, which the session-service's producer applies to the commands topic and Kafka
     * Streams' key queries to a store's source topic: murmur2 of the key's bytes (a string key's UTF-8).
     */
    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private static Optional<Owners> ask(KafkaStreams streams, String store, long changes) {
        AtomicInteger partitionCount = new AtomicInteger();
        StreamPartitioner<String, Object> counting = (topic, key, value, partitions) -> {
            partitionCount.set(partitions);
            return Optional.of(Set.of(0));
        };
        streams.queryMetadataForKey(store, "", counting);
        if (partitionCount.get() <= 0) {
            return Optional.empty(); // the partitioner is asked only once the metadata is known
        }
        List<KeyQueryMetadata> owners = new ArrayList<>(partitionCount.get());
        for (int partition = 0; partition < partitionCount.get(); partition++) {
            Set<Integer> fixed = Set.of(partition);
            KeyQueryMetadata owner = streams.queryMetadataForKey(store, "",
                    (StreamPartitioner<String, Object>) (topic, key, value, partitions) -> Optional.of(fixed));
            owners.add(owner == null ? KeyQueryMetadata.NOT_AVAILABLE : owner);
        }
        return Optional.of(new Owners(changes, owners));
    }
}
