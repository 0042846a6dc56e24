package io.customersessions.projector.query;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.CustomerSessionState;
import io.customersessions.eventlog.Topics;
import io.customersessions.projector.views.StoredEvent;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Read access to the processor's state stores, by the names in {@code Topics}. In the service these are Kafka
 * Streams' queryable stores ({@link InteractiveStateStores}); each method may throw
 * {@link StoreUnavailableException}, and so may reads on the stores it returns (as
 * {@code InvalidStateStoreException}, see {@link StoreUnavailableException#whileReading}).
 */
public interface StateStores {

    /** The store named {@code name}; its value type is the caller's to know (the typed accessors below name it). */
    <V> ReadOnlyKeyValueStore<String, V> store(String name);

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
}
