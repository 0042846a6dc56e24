package io.customersessions.projector.query;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.CustomerSessionState;
import io.customersessions.eventlog.Topics;
import io.customersessions.projector.views.StoreKeys;
import io.customersessions.projector.views.StoredEvent;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.List;

/**
 * Read access to the processor's state stores, by the names in {@code Topics}. In the service these are Kafka
 * Streams' queryable stores ({@link InteractiveStateStores}); each method may throw
 * {@link StoreUnavailableException}, and so may reads on the stores it returns (as
 * {@code InvalidStateStoreException}, see {@link StoreUnavailableException#whileReading}).
 */
public interface StateStores {

    /** The store named {@code name}; its value type is the caller's to know (the typed accessors below name it). */
    <V> ReadOnlyKeyValueStore<String, V> store(String name);

    /**
     * Whether this instance actively owns the partition of {@code key} in store {@code name}: a point read of a key
     * whose partition it does not own fails. The default is for a store of one partition (tests): it owns every key.
     */
    default boolean ownsKey(String name, String key) {
        return true;
    }

    /** {@code customer-sessions}: session key → current state. */
    default ReadOnlyKeyValueStore<String, CustomerSessionState> sessions() {
        return store(Topics.SESSION_STORE);
    }

    /** {@code idempotent-outcomes}: the first outcome per {@code <sessionKey>|<idempotencyKey>}. */
    default ReadOnlyKeyValueStore<String, CommandOutcome> firstOutcomes() {
        return store(Topics.IDEMPOTENT_OUTCOMES_STORE);
    }

    /** {@code session-history}: {@code StoreKeys.history(...)} → the event and the state after it. */
    default ReadOnlyKeyValueStore<String, StoredEvent> history() {
        return store(Topics.SESSION_HISTORY_STORE);
    }

    /** A store of strings: a listing view or a profile-claim store. */
    default ReadOnlyKeyValueStore<String, String> strings(String storeName) {
        return store(storeName);
    }

    /**
     * Store {@code name} as one store per partition of it that this instance actively owns. A range of one of them
     * is in key order, whereas a range of {@link #store} (a composite over the partitions) returns the partitions'
     * ranges one after the other. The default is for a store of one partition (tests): it is its own only part.
     */
    default <V> List<ReadOnlyKeyValueStore<String, V>> partitions(String name) {
        return List.of(store(name));
    }

    /**
     * The entries of {@code range} in string store {@code name} in key order ({@link StoreKeys#ORDER}), or in its
     * reverse when {@code descending}, across this instance's {@link #partitions}: each partition's scan is read
     * lazily and the scans are merged, so the first n entries cost about n + partitions reads, not a scan of the
     * range. The caller closes it.
     */
    default KeyValueIterator<String, String> inKeyOrder(String name, StoreKeys.Range range, boolean descending) {
        List<KeyValueIterator<String, String>> scans = new ArrayList<>();
        try {
            for (ReadOnlyKeyValueStore<String, String> partition : this.<String>partitions(name)) {
                scans.add(descending ? partition.reverseRange(range.from(), range.to())
                        : partition.range(range.from(), range.to()));
            }
        } catch (RuntimeException e) {
            scans.forEach(KeyValueIterator::close);
            throw e;
        }
        return SortedMerge.byKey(scans, descending ? StoreKeys.ORDER.reversed() : StoreKeys.ORDER);
    }
}
