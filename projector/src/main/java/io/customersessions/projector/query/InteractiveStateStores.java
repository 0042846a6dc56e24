package io.customersessions.projector.query;

import io.customersessions.eventlog.Topics;
import io.customersessions.projector.ops.StreamsStateChanges;
import io.customersessions.projector.streams.FirstCatchUp;
import io.customersessions.projector.views.ListingBuild;
import io.micronaut.configuration.kafka.streams.InteractiveQueryService;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

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
 * (503, retry) until every assigned partition has its task. The listing store is unavailable in the same way
 * while a partition of it is being built from its session store after an upgrade ({@link ListingBuild}). Probing
 * the partitions costs more than the read itself, so a successful check is remembered per store with the
 * partitions it covered, the client's count of state changes ({@link StreamsStateChanges}) and its stream threads'
 * states: it is repeated only when one of them has changed since. That holds for the listing check too: a build
 * starts only when a task starts here, which changes one of them first. An instance the group gives no partition
 * of a store (more instances than tasks, or a new one that only warms its tasks up) holds none of its rows: its
 * store reads as empty, where Kafka Streams' composite store would throw at every read and make every gathered
 * listing of the group a 503.
 *
 * <p>{@link #partitions} hands out the same partitions one store each, for reads that must see each partition's
 * keys in order.
 *
 * <p>The session store is keyed like the commands topic that feeds it, so a point read ({@code get}) goes to the
 * one partition that holds its key ({@link PointReadsByPartition}). Kafka Streams' composite store would read every
 * partition of this instance in turn until one has the key, and RocksDB's Java binding answers each miss by
 * throwing and catching a native exception: on a GET by id that was a fifth of the projector's CPU. A key whose
 * partition has no running task here reads as unavailable (503), not as missing.
 *
 * <p>A store fed by the event log is unavailable until this projector has first caught up with the log
 * ({@link FirstCatchUp}): before, it holds a partial fold.
 */
@Singleton
public class InteractiveStateStores implements StateStores {

    private final InteractiveQueryService queries;
    private final BeanProvider<KafkaStreams> streams;
    private final HostInfo self;
    private final StreamsStateChanges stateChanges;
    private final StorePartitions partitions;
    private final FirstCatchUp catchUp;
    private volatile KafkaStreams client;
    /** Per store: the last check that found every assigned partition queryable. */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(long stateChanges, String threads, SortedSet<Integer> partitions) {
    }

    public InteractiveStateStores(InteractiveQueryService queries, BeanProvider<KafkaStreams> streams,
                                  @Value("${kafka.streams.default.application.server}") String applicationServer,
                                  StreamsStateChanges stateChanges, StorePartitions partitions,
                                  FirstCatchUp catchUp) {
        this.queries = queries;
        this.streams = streams;
        this.self = HostInfo.buildFromEndpoint(applicationServer);
        this.stateChanges = stateChanges;
        this.partitions = partitions;
        this.catchUp = catchUp;
    }

    /** The client, looked up once: the bean provider's look-up was 3 % of a read's time in the controller. */
    private KafkaStreams client() {
        KafkaStreams resolved = client;
        if (resolved == null) {
            resolved = streams.get();
            client = resolved;
        }
        return resolved;
    }

    @Override
    public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        requireFirstCatchUp(name);
        if (name.equals(Topics.SESSION_STORE)) {
            return new PointReadsByPartition<>(name);
        }
        return wholeStore(name);
    }

    private <V> ReadOnlyKeyValueStore<String, V> wholeStore(String name) {
        ReadOnlyKeyValueStore<String, V> store = queries.getQueryableStore(name,
                        QueryableStoreTypes.<String, V>keyValueStore())
                .orElseThrow(() -> new StoreUnavailableException("the store '" + name + "' is not available yet"));
        if (!isGlobal(name) && requireEveryAssignedPartition(name).isEmpty()) {
            return EmptyStore.instance();
        }
        return store;
    }

    @Override
    public boolean ownsKey(String name, String key) {
        try {
            StorePartitions.Owners owners = partitions.owners(client(), name).orElseThrow(() ->
                    new StoreUnavailableException("the partitions of the store '" + name + "' are not known yet"));
            return self.equals(owners.ofKey(key).activeHost());
        } catch (IllegalStateException e) { // not running
            throw new StoreUnavailableException("the store '" + name + "' is not available: " + e.getMessage());
        }
    }

    /** One store per partition of {@code name} active here (after the same check as {@link #store}). */
    @Override
    public <V> List<ReadOnlyKeyValueStore<String, V>> partitions(String name) {
        requireFirstCatchUp(name);
        ReadOnlyKeyValueStore<String, V> whole = wholeStore(name);
        if (isGlobal(name)) {
            return List.of(whole);
        }
        KafkaStreams kafkaStreams = client();
        try {
            Optional<SortedSet<Integer>> local = localPartitions(kafkaStreams, name);
            if (local.isEmpty()) {
                throw new StoreUnavailableException("the partitions of the store '" + name + "' are not known yet");
            }
            return local.get().stream()
                    .map(partition -> InteractiveStateStores.<V>partition(kafkaStreams, name, partition))
                    .toList();
        } catch (InvalidStateStoreException | IllegalStateException e) {
            throw new StoreUnavailableException("the store '" + name + "' is not available: " + e.getMessage());
        }
    }

    private void requireFirstCatchUp(String name) {
        if (!catchUp.gates(name)) {
            return;
        }
        FirstCatchUp.Progress progress = catchUp.progress();
        if (progress instanceof FirstCatchUp.Progress.Behind behind) {
            throw new StoreUnavailableException("the store '" + name + "' is still being folded from the event log: "
                    + behind.offsets() + " offsets to go to where the log ended when this projector first looked");
        }
        if (progress instanceof FirstCatchUp.Progress.Unknown unknown) {
            throw new StoreUnavailableException("the store '" + name + "' is folded from the event log, and whether it"
                    + " has caught up with it is not known yet: " + unknown.reason());
        }
    }

    private static boolean isGlobal(String name) {
        return name.equals(Topics.PROFILE_FIRST_SESSIONS_STORE); // every partition, restored before RUNNING
    }

    /**
     * @return the partitions of {@code name} active here, every one of them queryable; none when the group gives this
     * instance no task of the store (its part of a listing is empty, whereas Kafka Streams' composite store would
     * throw "may have migrated" at every read)
     * @throws StoreUnavailableException when a partition is not queryable yet, or the group's metadata is not known
     */
    private SortedSet<Integer> requireEveryAssignedPartition(String name) {
        KafkaStreams kafkaStreams = client();
        try {
            // Read the count first: a change during the probe makes the remembered check stale, never wrongly fresh.
            long changes = stateChanges.count();
            String threads = threads(kafkaStreams);
            SortedSet<Integer> partitions = localPartitions(kafkaStreams, name).orElseThrow(() ->
                    new StoreUnavailableException("the partitions of the store '" + name + "' are not known yet"));
            Verified last = verified.get(name);
            if (last != null && last.stateChanges() == changes && last.threads().equals(threads)
                    && last.partitions().equals(partitions)) {
                return partitions;
            }
            for (int partition : partitions) {
                // store() is lazy: the partition's task is looked up when the store is used
                ReadOnlyKeyValueStore<String, Object> store = partition(kafkaStreams, name, partition);
                store.approximateNumEntries();
                if (name.equals(Topics.SESSION_LISTING_STORE)
                        && ListingBuild.incomplete(store,
                                () -> partition(kafkaStreams, Topics.SESSION_STORE, partition))) {
                    throw new StoreUnavailableException("the listing views of partition " + partition
                            + " are being built from its sessions (after an upgrade)");
                }
            }
            verified.put(name, new Verified(changes, threads, partitions));
            return partitions;
        } catch (InvalidStateStoreException | IllegalStateException e) { // IllegalState: no longer running
            throw new StoreUnavailableException("a partition of the store '" + name
                    + "' is still being restored on this instance: " + e.getMessage());
        }
    }

    /**
     * This client's stream threads and their states. A thread that fails is replaced while the client stays {@code
     * RUNNING} (no state change), and until its replacement has rejoined, Kafka Streams' composite store silently
     * leaves out the partitions of its closed tasks: a check is repeated when the threads have changed too.
     */
    private static String threads(KafkaStreams kafkaStreams) {
        return kafkaStreams.metadataForLocalThreads().stream()
                .map(thread -> thread.threadName() + "=" + thread.threadState())
                .sorted().collect(Collectors.joining(","));
    }

    private static <V> ReadOnlyKeyValueStore<String, V> partition(KafkaStreams kafkaStreams, String name,
                                                                  int partition) {
        return kafkaStreams.store(StoreQueryParameters.fromNameAndType(name,
                QueryableStoreTypes.<String, V>keyValueStore()).withPartition(partition));
    }

    /**
     * The partitions of store {@code name} that are active on this instance, empty when the group's metadata is not
     * known yet. The tasks of different sub-topologies (the command processor's, the history's) with the same
     * partition number may live on different instances: only the partitions of the store's own source topic count.
     */
    private Optional<SortedSet<Integer>> localPartitions(KafkaStreams kafkaStreams, String name) {
        return partitions.owners(kafkaStreams, name).map(owners -> owners.activeOn(self));
    }

    /**
     * A store keyed like its source topic: {@code get} reads the partition of the key only (the partition Kafka
     * Streams' metadata names for it); ranges, scans and counts span this instance's partitions as {@link #store}
     * does, checked when first used.
     */
    private final class PointReadsByPartition<V> implements ReadOnlyKeyValueStore<String, V> {

        private final String name;
        private ReadOnlyKeyValueStore<String, V> whole;

        PointReadsByPartition(String name) {
            this.name = name;
        }

        @Override
        public V get(String key) {
            KafkaStreams kafkaStreams = client();
            try {
                StorePartitions.Owners owners = partitions.owners(kafkaStreams, name).orElseThrow(() ->
                        new StoreUnavailableException("the partitions of the store '" + name + "' are not known yet"));
                return InteractiveStateStores.<V>partition(kafkaStreams, name, owners.partitionOf(key)).get(key);
            } catch (IllegalStateException e) { // not running (InvalidStateStoreException: the caller's, 503)
                throw new StoreUnavailableException("the store '" + name + "' is not available: " + e.getMessage());
            }
        }

        private ReadOnlyKeyValueStore<String, V> whole() {
            if (whole == null) {
                whole = wholeStore(name);
            }
            return whole;
        }

        @Override
        public KeyValueIterator<String, V> range(String from, String to) {
            return whole().range(from, to);
        }

        @Override
        public KeyValueIterator<String, V> reverseRange(String from, String to) {
            return whole().reverseRange(from, to);
        }

        @Override
        public KeyValueIterator<String, V> all() {
            return whole().all();
        }

        @Override
        public KeyValueIterator<String, V> reverseAll() {
            return whole().reverseAll();
        }

        @Override
        public <PS extends Serializer<P>, P> KeyValueIterator<String, V> prefixScan(P prefix, PS prefixKeySerializer) {
            return whole().prefixScan(prefix, prefixKeySerializer);
        }

        @Override
        public long approximateNumEntries() {
            return whole().approximateNumEntries();
        }
    }
}
