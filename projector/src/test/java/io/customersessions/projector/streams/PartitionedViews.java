package io.customersessions.projector.streams;

import io.customersessions.avro.CustomerSessionState;
import io.customersessions.domain.CustomerSession;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.projector.query.StateStores;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;

/**
 * The listing views over several partitions, each written by the processor's own {@link ListingViews} into Kafka's
 * in-memory stores (byte-ordered like RocksDB), with a session store beside them. {@link #stateStores} reads them as
 * an instance owning some of the partitions would: one store per partition, or a composite whose ranges return the
 * partitions one after the other, as Kafka Streams' does. Counts what the query side reads.
 */
public final class PartitionedViews {

    private static final int OFFSET_BITS = 40;

    private final List<MockProcessorContext<String, Object>> contexts = new ArrayList<>();
    private final List<ListingViews> views = new ArrayList<>();
    private final Map<String, CustomerSessionState> sessions = new HashMap<>();
    private final long[] offsets;
    /** Point reads of the session store. */
    public final AtomicLong sessionReads = new AtomicLong();
    /** Entries read from view scans. */
    public final AtomicLong viewEntriesRead = new AtomicLong();

    public PartitionedViews(int partitions) {
        Properties config = new Properties();
        config.put("processing.exception.handler.global.enabled", "true");
        for (int partition = 0; partition < partitions; partition++) {
            MockProcessorContext<String, Object> context = new MockProcessorContext<>(config);
            KeyValueStore<String, String> store = Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(Topics.SESSION_LISTING_STORE), Serdes.String(), Serdes.String())
                    .withLoggingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
            contexts.add(context);
            views.add(new ListingViews(context));
        }
        offsets = new long[partitions];
    }

    public int partitions() {
        return contexts.size();
    }

    /** The next id of a session created by a command in {@code partition}, as the processor assigns them. */
    public long nextId(int partition) {
        return ((long) partition << OFFSET_BITS) + offsets[partition]++ + 1;
    }

    /** Stores {@code session} and moves its view entries, in the partition its id names. */
    public void put(CustomerSession session) {
        String key = session.key().asString();
        Optional<CustomerSession> before = Optional.ofNullable(sessions.get(key)).map(AvroCodec::fromAvro);
        views.get((int) ((session.id() - 1) >>> OFFSET_BITS)).update(before, session, false);
        sessions.put(key, AvroCodec.toAvro(session));
    }

    /** The stores as an instance owning every partition reads them. */
    public StateStores stateStores() {
        return stateStores(partition -> true);
    }

    /** The stores as an instance owning the partitions {@code owned} accepts reads them. */
    public StateStores stateStores(IntPredicate owned) {
        return new StateStores() {
            @Override
            @SuppressWarnings("unchecked")
            public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
                if (name.equals(Topics.SESSION_STORE)) {
                    return (ReadOnlyKeyValueStore<String, V>) sessionStore(owned);
                }
                return new Concatenated<>(partitions(name));
            }

            @Override
            public <V> List<ReadOnlyKeyValueStore<String, V>> partitions(String name) {
                List<ReadOnlyKeyValueStore<String, V>> owners = new ArrayList<>();
                for (int partition = 0; partition < contexts.size(); partition++) {
                    if (owned.test(partition)) {
                        owners.add(new Counting<>(contexts.get(partition).getStateStore(name)));
                    }
                }
                return owners;
            }
        };
    }

    private ReadOnlyKeyValueStore<String, CustomerSessionState> sessionStore(IntPredicate owned) {
        return new Unscannable<>() {
            @Override
            public CustomerSessionState get(String key) {
                sessionReads.incrementAndGet();
                CustomerSessionState state = sessions.get(key);
                return state != null && owned.test((int) ((state.getId() - 1) >>> OFFSET_BITS)) ? state : null;
            }

            @Override
            public long approximateNumEntries() {
                return sessions.size();
            }
        };
    }

    /** A point-read store: the listing must never scan the session store. */
    private abstract static class Unscannable<V> implements ReadOnlyKeyValueStore<String, V> {
        @Override
        public KeyValueIterator<String, V> range(String from, String to) {
            throw new AssertionError("the session store is never scanned");
        }

        @Override
        public KeyValueIterator<String, V> all() {
            throw new AssertionError("the session store is never scanned");
        }
    }

    /** A partition's view, counting the entries its scans hand out. */
    private final class Counting<V> implements ReadOnlyKeyValueStore<String, V> {
        private final ReadOnlyKeyValueStore<String, V> store;

        Counting(ReadOnlyKeyValueStore<String, V> store) {
            this.store = store;
        }

        @Override
        public V get(String key) {
            return store.get(key);
        }

        @Override
        public KeyValueIterator<String, V> range(String from, String to) {
            return counted(store.range(from, to));
        }

        @Override
        public KeyValueIterator<String, V> reverseRange(String from, String to) {
            return counted(store.reverseRange(from, to));
        }

        @Override
        public KeyValueIterator<String, V> all() {
            return counted(store.all());
        }

        @Override
        public long approximateNumEntries() {
            return store.approximateNumEntries();
        }

        private KeyValueIterator<String, V> counted(KeyValueIterator<String, V> scan) {
            return new KeyValueIterator<>() {
                @Override
                public boolean hasNext() {
                    return scan.hasNext();
                }

                @Override
                public KeyValue<String, V> next() {
                    viewEntriesRead.incrementAndGet();
                    return scan.next();
                }

                @Override
                public String peekNextKey() {
                    return scan.peekNextKey();
                }

                @Override
                public void close() {
                    scan.close();
                }
            };
        }
    }

    /** Kafka Streams' composite over partitions: a range returns each partition's range, one after the other. */
    private static final class Concatenated<V> implements ReadOnlyKeyValueStore<String, V> {
        private final List<ReadOnlyKeyValueStore<String, V>> partitions;

        Concatenated(List<ReadOnlyKeyValueStore<String, V>> partitions) {
            this.partitions = partitions;
        }

        @Override
        public V get(String key) {
            return partitions.stream().map(p -> p.get(key)).filter(v -> v != null).findFirst().orElse(null);
        }

        @Override
        public KeyValueIterator<String, V> range(String from, String to) {
            return concatenated(partitions.stream().map(p -> p.range(from, to)).toList());
        }

        @Override
        public KeyValueIterator<String, V> all() {
            return concatenated(partitions.stream().map(ReadOnlyKeyValueStore::all).toList());
        }

        @Override
        public long approximateNumEntries() {
            return partitions.stream().mapToLong(ReadOnlyKeyValueStore::approximateNumEntries).sum();
        }

        private static <V> KeyValueIterator<String, V> concatenated(List<KeyValueIterator<String, V>> scans) {
            return new KeyValueIterator<>() {
                private int current;

                @Override
                public boolean hasNext() {
                    while (current < scans.size() && !scans.get(current).hasNext()) {
                        current++;
                    }
                    return current < scans.size();
                }

                @Override
                public KeyValue<String, V> next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return scans.get(current).next();
                }

                @Override
                public String peekNextKey() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return scans.get(current).peekNextKey();
                }

                @Override
                public void close() {
                    scans.forEach(KeyValueIterator::close);
                }
            };
        }
    }
}
