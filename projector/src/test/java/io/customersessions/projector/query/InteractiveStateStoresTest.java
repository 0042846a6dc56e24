package io.customersessions.projector.query;

import io.customersessions.eventlog.Topics;
import io.customersessions.projector.ops.StreamsStateChanges;
import io.customersessions.projector.streams.FirstCatchUp;
import io.customersessions.projector.streams.Generation;
import io.customersessions.projector.streams.GenerationLag;
import io.micronaut.configuration.kafka.streams.InteractiveQueryService;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Constructor;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * Which store a read gets from this instance's Kafka Streams client, as its metadata and tasks stand: the client is
 * a stand-in that answers Kafka Streams' metadata and store look-ups the way a client in that situation does (a
 * partition without a running task here throws {@link InvalidStateStoreException} when it is read, the composite
 * store of an instance without any task of the store throws "may have migrated" at every read).
 */
class InteractiveStateStoresTest {

    private static final HostInfo HERE = new HostInfo("projector-1", 8081);
    private static final HostInfo THERE = new HostInfo("projector-2", 8081);
    private static final int PARTITIONS = 3;

    @TempDir
    Path stateDir;

    private StandInStreams streams;

    @AfterEach
    void close() {
        if (streams != null) {
            streams.close();
        }
    }

    @Test
    void a_store_is_unavailable_while_the_groups_metadata_is_not_known() {
        // given: no assignment yet
        InteractiveStateStores stores = stores(Map.of());
        streams.metadataKnown = false;

        // when / then
        assertThatThrownBy(() -> stores.store(Topics.SESSION_HISTORY_STORE).get("1|s-1|0000000001"))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("not known yet");
        assertThatThrownBy(() -> stores.partitions(Topics.SESSION_HISTORY_STORE))
                .isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> stores.<String>store(Topics.SESSION_STORE).get("1|s-1"))
                .isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void an_instance_the_group_gives_no_partition_of_a_store_reads_it_as_empty() {
        // given: every partition is active on the other instance
        InteractiveStateStores stores = stores(Map.of(0, THERE, 1, THERE, 2, THERE));

        // when
        ReadOnlyKeyValueStore<String, Object> history = stores.store(Topics.SESSION_HISTORY_STORE);

        // then
        assertThat(history.get("1|s-1|0000000001")).isNull();
        try (KeyValueIterator<String, Object> all = history.all()) {
            assertThat(all.hasNext()).isFalse();
        }
        assertThat(stores.partitions(Topics.SESSION_HISTORY_STORE)).isEmpty();
    }

    @Test
    void a_store_with_a_partition_assigned_here_whose_task_does_not_run_yet_is_unavailable() {
        // given: partitions 0 and 1 are assigned here, only 0 has its task
        InteractiveStateStores stores = stores(Map.of(0, HERE, 1, HERE, 2, THERE));
        streams.running.put(0, new MapStore());

        // when / then: the composite store would leave partition 1 out and read its keys as missing
        assertThatThrownBy(() -> stores.store(Topics.SESSION_HISTORY_STORE))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("still being restored");
        assertThatThrownBy(() -> stores.partitions(Topics.SESSION_HISTORY_STORE))
                .isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void a_store_whose_every_assigned_partition_runs_here_is_read_whole_and_one_store_per_partition() {
        // given
        InteractiveStateStores stores = stores(Map.of(0, HERE, 1, THERE, 2, HERE));
        streams.running.put(0, new MapStore().with("a", "in 0"));
        streams.running.put(2, new MapStore().with("b", "in 2"));

        // when
        ReadOnlyKeyValueStore<String, String> whole = stores.store(Topics.SESSION_HISTORY_STORE);
        List<ReadOnlyKeyValueStore<String, String>> parts = stores.partitions(Topics.SESSION_HISTORY_STORE);

        // then
        assertThat(whole.get("a")).isEqualTo("in 0");
        assertThat(whole.get("b")).isEqualTo("in 2");
        assertThat(parts).extracting(part -> part.get("a"), part -> part.get("b"))
                .containsExactly(tuple("in 0", null),
                        tuple(null, "in 2"));
    }

    @Test
    void a_stream_thread_that_failed_has_the_store_checked_again_not_read_without_its_partitions() {
        // given: partitions 0 and 2 here, each on a stream thread of its own, and a read that checked them
        InteractiveStateStores stores = stores(Map.of(0, HERE, 1, THERE, 2, HERE));
        streams.threads.put("StreamThread-2", "RUNNING");
        streams.running.put(0, new MapStore().with("a", "in 0"));
        streams.running.put(2, new MapStore().with("b", "in 2"));
        assertThat(stores.<String>store(Topics.SESSION_HISTORY_STORE).get("b")).isEqualTo("in 2");

        // when: the second thread fails and is replaced; its task is closed, the client stays RUNNING, the group's
        // metadata is unchanged until the replacement rejoins
        streams.running.remove(2);
        streams.threads.remove("StreamThread-2");
        streams.threads.put("StreamThread-3", "STARTING");

        // then
        assertThatThrownBy(() -> stores.store(Topics.SESSION_HISTORY_STORE))
                .isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void a_views_generation_that_has_not_yet_folded_the_log_as_far_as_it_first_reached_answers_no_read() {
        // given: every partition runs here, but the generation is still folding the log from its beginning
        String key = "1|s-1";
        InteractiveStateStores stores = stores(Map.of(0, HERE, 1, HERE, 2, HERE),
                firstCatchUp(Generation.Role.VIEWS, 40));
        for (int partition = 0; partition < PARTITIONS; partition++) {
            streams.running.put(partition, new MapStore());
        }

        // when / then: a session not folded yet would read as missing
        assertThatThrownBy(() -> stores.<String>store(Topics.SESSION_STORE).get(key))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("40 offsets to go");
        assertThatThrownBy(() -> stores.partitions(Topics.SESSION_LISTING_STORE))
                .isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> stores.store(Topics.SESSION_HISTORY_STORE))
                .isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void the_processor_answers_history_reads_only_once_its_history_has_folded_the_log_and_sessions_meanwhile() {
        // given: the processor's group has no offsets on the event log yet, and its history folds it from the start
        String key = "1|s-1";
        int partition = StorePartitions.partitionOf(key, PARTITIONS);
        InteractiveStateStores stores = stores(Map.of(0, HERE, 1, HERE, 2, HERE),
                firstCatchUp(Generation.Role.PROCESSOR, 7));
        for (int p = 0; p < PARTITIONS; p++) {
            streams.running.put(p, p == partition ? new MapStore().with(key, "the session") : new MapStore());
        }

        // when / then
        assertThatThrownBy(() -> stores.store(Topics.SESSION_HISTORY_STORE))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("still being folded");
        assertThatThrownBy(() -> stores.partitions(Topics.EVENTS_BY_TIME_STORE))
                .isInstanceOf(StoreUnavailableException.class);
        assertThat(stores.<String>store(Topics.SESSION_STORE).get(key)).hasToString("the session");
    }

    @Test
    void a_store_is_unavailable_while_it_is_not_known_whether_the_views_caught_up() {
        // given: the offsets have not been read yet
        InteractiveStateStores stores = stores(Map.of(0, HERE, 1, HERE, 2, HERE), new FirstCatchUp(
                Generation.Role.VIEWS, "customer-session-events", () -> {
                    throw new AssertionError("not read");
                }));

        // when / then
        assertThatThrownBy(() -> stores.store(Topics.SESSION_LISTING_STORE))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("not known yet");
    }

    @Test
    void a_point_read_of_a_session_reads_the_partition_of_its_key_only() {
        // given: this instance has every partition, but only the key's partition has its task yet
        String key = "1|s-1";
        int partition = StorePartitions.partitionOf(key, PARTITIONS);
        InteractiveStateStores stores = stores(Map.of(0, HERE, 1, HERE, 2, HERE));
        streams.running.put(partition, new MapStore().with(key, "the session"));

        // when / then
        assertThat(stores.<String>store(Topics.SESSION_STORE).get(key)).hasToString("the session");
    }

    @Test
    void a_point_read_of_a_session_whose_partition_has_no_task_here_is_unavailable_not_missing() {
        // given
        String key = "1|s-1";
        int partition = StorePartitions.partitionOf(key, PARTITIONS);
        InteractiveStateStores stores = stores(Map.of(0, HERE, 1, HERE, 2, HERE));
        for (int other = 0; other < PARTITIONS; other++) {
            if (other != partition) {
                streams.running.put(other, new MapStore());
            }
        }

        // when / then
        assertThatThrownBy(() -> stores.<String>store(Topics.SESSION_STORE).get(key))
                .isInstanceOf(InvalidStateStoreException.class);
    }

    private InteractiveStateStores stores(Map<Integer, HostInfo> active) {
        return stores(active, firstCatchUp(Generation.Role.PROCESSOR, 0));
    }

    private InteractiveStateStores stores(Map<Integer, HostInfo> active, FirstCatchUp catchUp) {
        streams = new StandInStreams(stateDir, active);
        StreamsStateChanges changes = new StreamsStateChanges();
        return new InteractiveStateStores(queryService(streams), () -> streams, HERE.host() + ":" + HERE.port(),
                changes, new StorePartitions(changes), catchUp);
    }

    /** A first catch-up as its offsets were last read: {@code behind} events of the log not folded yet. */
    private static FirstCatchUp firstCatchUp(Generation.Role role, long behind) {
        TopicPartition events = new TopicPartition("customer-session-events", 0);
        FirstCatchUp catchUp = new FirstCatchUp(role, events.topic(),
                () -> new GenerationLag.LogPositions(Map.of(events, 100L), Map.of(events, 100L - behind)));
        catchUp.check();
        return catchUp;
    }

    /** Micronaut's service over the one client, as its factory builds it (its constructor is not public). */
    private static InteractiveQueryService queryService(KafkaStreams streams) {
        try {
            Constructor<InteractiveQueryService> constructor =
                    InteractiveQueryService.class.getDeclaredConstructor(Collection.class);
            constructor.setAccessible(true);
            return constructor.newInstance(List.of(streams));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A client that is never started: its metadata names an active instance per partition, and a store of a
     * partition can be read when its task runs here ({@link #running}).
     */
    private static final class StandInStreams extends KafkaStreams {
        final Map<Integer, HostInfo> active;
        final Map<Integer, MapStore> running = new HashMap<>();
        final Map<String, String> threads = new HashMap<>(Map.of("StreamThread-1", "RUNNING"));
        boolean metadataKnown = true;

        StandInStreams(Path stateDir, Map<Integer, HostInfo> active) {
            super(topology(), config(stateDir));
            this.active = active;
        }

        private static org.apache.kafka.streams.Topology topology() {
            StreamsBuilder builder = new StreamsBuilder();
            builder.stream("commands", Consumed.with(Serdes.String(), Serdes.String())).to("events");
            return builder.build();
        }

        private static Properties config(Path stateDir) {
            Properties config = new Properties();
            config.put(StreamsConfig.APPLICATION_ID_CONFIG, "interactive-state-stores-test");
            config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9");
            config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            return config;
        }

        @Override
        public <K> KeyQueryMetadata queryMetadataForKey(String storeName, K key,
                                                        StreamPartitioner<? super K, ?> partitioner) {
            if (!metadataKnown) {
                return KeyQueryMetadata.NOT_AVAILABLE;
            }
            int partition = partitioner.partitions("commands", key, null, PARTITIONS).orElseThrow()
                    .iterator().next();
            return new KeyQueryMetadata(active.getOrDefault(partition, HostInfo.unavailable()), Set.of(), partition);
        }

        @Override
        public Set<ThreadMetadata> metadataForLocalThreads() {
            Set<ThreadMetadata> metadata = new HashSet<>();
            threads.forEach((name, state) -> metadata.add(new StandInThread(name, state)));
            return metadata;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T store(StoreQueryParameters<T> parameters) {
            return (T) new LazyPartition(running, parameters.partition());
        }
    }

    private record StandInThread(String threadName, String threadState) implements ThreadMetadata {
        @Override
        public Set<TaskMetadata> activeTasks() {
            return Set.of();
        }

        @Override
        public Set<TaskMetadata> standbyTasks() {
            return Set.of();
        }

        @Override
        public String consumerClientId() {
            return threadName + "-consumer";
        }

        @Override
        public String restoreConsumerClientId() {
            return threadName + "-restore-consumer";
        }

        @Override
        public Set<String> producerClientIds() {
            return Set.of(threadName + "-producer");
        }

        @Override
        public String adminClientId() {
            return "admin";
        }
    }

    /**
     * A partition's store (or, without a partition, the composite over the running ones) as Kafka Streams hands it
     * out: the task is looked up at each read.
     */
    private static final class LazyPartition extends MapStore {
        private final Map<Integer, MapStore> running;
        private final Integer partition;

        LazyPartition(Map<Integer, MapStore> running, Integer partition) {
            this.running = running;
            this.partition = partition;
        }

        private Collection<MapStore> tasks() {
            if (partition == null) {
                if (running.isEmpty()) {
                    throw new InvalidStateStoreException("The state store may have migrated to another instance.");
                }
                return new TreeMap<>(running).values();
            }
            MapStore task = running.get(partition);
            if (task == null) {
                throw new InvalidStateStoreException("The specified partition " + partition + " does not exist.");
            }
            return List.of(task);
        }

        @Override
        public String get(String key) {
            return tasks().stream().map(task -> task.get(key)).filter(value -> value != null).findFirst()
                    .orElse(null);
        }

        @Override
        public long approximateNumEntries() {
            return tasks().stream().mapToLong(MapStore::approximateNumEntries).sum();
        }
    }

    /** The reads these tests make: by key and a count. */
    private static class MapStore implements ReadOnlyKeyValueStore<String, String> {
        private final Map<String, String> entries = new TreeMap<>();

        MapStore with(String key, String value) {
            entries.put(key, value);
            return this;
        }

        @Override
        public String get(String key) {
            return entries.get(key);
        }

        @Override
        public long approximateNumEntries() {
            return entries.size();
        }

        @Override
        public KeyValueIterator<String, String> range(String from, String to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public KeyValueIterator<String, String> all() {
            throw new UnsupportedOperationException();
        }
    }
}
