package io.customersessions.projector.query;

import io.customersessions.eventlog.Topics;
import io.customersessions.projector.ops.StreamsStateChanges;
import io.micronaut.configuration.kafka.streams.InteractiveQueryService;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The stores of this instance's running Kafka Streams, through interactive queries: each store spans the
 * partitions this instance owns (global stores: all partitions). Reads see what the processor has written,
 * possibly a moment before its transaction commits.
 *
 * <p>Invariant: a store is handed out only when <em>every</em> partition of it that this instance is assigned is
 * queryable. Right after a rebalance the metadata already names this instance as the owner of its new partitions
 * while the client is still {@code RUNNING} and their tasks do not exist yet (seen: about 150 ms), and Kafka
 * Streams' composite store silently leaves out a partition without a running task: a read of one of its keys would
 * answer "not found" and a listing would miss its rows. Instead the caller gets {@link StoreUnavailableException}
 * (503, retry) until every assigned partition has its task. Probing the partitions costs more than the read itself,
 * so a successful check is remembered per store with the partitions it covered and the client's count of state
 * changes ({@link StreamsStateChanges}): it is repeated only when either has changed since.
 *
 * <p>{@link #partitions} hands out the same partitions one store each, for reads that must see each partition's
 * keys in order.
 */
@Singleton
public class InteractiveStateStores implements StateStores {

    private final InteractiveQueryService queries;
    private final BeanProvider<KafkaStreams> streams;
    private final HostInfo self;
    private final StreamsStateChanges stateChanges;
    /** Per store: the last check that found every assigned partition queryable. */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(long stateChanges, SortedSet<Integer> partitions) {
    }

    public InteractiveStateStores(InteractiveQueryService queries, BeanProvider<KafkaStreams> streams,
                                  @Value("${kafka.streams.default.application.server}") String applicationServer,
                                  StreamsStateChanges stateChanges) {
        this.queries = queries;
        this.streams = streams;
        this.self = HostInfo.buildFromEndpoint(applicationServer);
        this.stateChanges = stateChanges;
    }

    @Override
    public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        ReadOnlyKeyValueStore<String, V> store = queries.getQueryableStore(name,
                        QueryableStoreTypes.<String, V>keyValueStore())
                .orElseThrow(() -> new StoreUnavailableException("the store '" + name + "' is not available yet"));
        if (!isGlobal(name)) {
            requireEveryAssignedPartition(name);
        }
        return store;
    }

    /** One store per partition of {@code name} active here (after the same check as {@link #store}). */
    @Override
    public <V> List<ReadOnlyKeyValueStore<String, V>> partitions(String name) {
        ReadOnlyKeyValueStore<String, V> whole = store(name);
        if (isGlobal(name)) {
            return List.of(whole);
        }
        KafkaStreams kafkaStreams = streams.get();
        try {
            Optional<SortedSet<Integer>> local = localPartitions(kafkaStreams, name);
            if (local.isEmpty()) {
                throw new StoreUnavailableException("the partitions of the store '" + name + "' are not known yet");
            }
            return local.get().stream()
                    .map(partition -> kafkaStreams.store(StoreQueryParameters.fromNameAndType(name,
                            QueryableStoreTypes.<String, V>keyValueStore()).withPartition(partition)))
                    .toList();
        } catch (InvalidStateStoreException | IllegalStateException e) {
            throw new StoreUnavailableException("the store '" + name + "' is not available: " + e.getMessage());
        }
    }

    private static boolean isGlobal(String name) {
        return name.equals(Topics.PROFILE_FIRST_SESSIONS_STORE); // every partition, restored before RUNNING
    }

    private void requireEveryAssignedPartition(String name) {
        KafkaStreams kafkaStreams = streams.get();
        try {
            // Read the count first: a change during the probe makes the remembered check stale, never wrongly fresh.
            long changes = stateChanges.count();
            SortedSet<Integer> partitions = localPartitions(kafkaStreams, name).orElse(new TreeSet<>());
            Verified last = verified.get(name);
            if (last != null && last.stateChanges() == changes && last.partitions().equals(partitions)) {
                return;
            }
            for (int partition : partitions) {
                // store() is lazy: the partition's task is looked up when the store is used
                kafkaStreams.store(StoreQueryParameters.fromNameAndType(name,
                        QueryableStoreTypes.keyValueStore()).withPartition(partition)).approximateNumEntries();
            }
            verified.put(name, new Verified(changes, partitions));
        } catch (InvalidStateStoreException | IllegalStateException e) { // IllegalState: no longer running
            throw new StoreUnavailableException("a partition of the store '" + name
                    + "' is still being restored on this instance: " + e.getMessage());
        }
    }

    /**
     * The partitions of store {@code name} that are active on this instance, empty when the group's metadata is not
     * known yet. The metadata lists an instance's partitions of every topic it consumes, and the tasks of
     * different sub-topologies (the command processor's, the history's) with the same partition number may live on
     * different instances: only the partitions of the store's own source topic count. Kafka Streams names that
     * topic to the partitioner of a key query on the store.
     */
    private Optional<SortedSet<Integer>> localPartitions(KafkaStreams kafkaStreams, String name) {
        AtomicReference<String> sourceTopic = new AtomicReference<>();
        StreamPartitioner<String, Object> naming = (topic, key, value, partitions) -> {
            sourceTopic.set(topic);
            return Optional.of(Set.of(0));
        };
        kafkaStreams.queryMetadataForKey(name, "", naming);
        if (sourceTopic.get() == null) {
            return Optional.empty();
        }
        SortedSet<Integer> local = new TreeSet<>();
        for (StreamsMetadata host : kafkaStreams.streamsMetadataForStore(name)) {
            if (host.hostInfo().equals(self)) {
                host.topicPartitions().stream()
                        .filter(partition -> partition.topic().equals(sourceTopic.get()))
                        .forEach(partition -> local.add(partition.partition()));
            }
        }
        return Optional.of(local);
    }
}
