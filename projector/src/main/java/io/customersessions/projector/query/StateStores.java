package io.customersessions.projector.query;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.CustomerSessionState;
import io.customersessions.projector.views.StoredEvent;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Read access to the processor's state stores, by the names in {@code Topics}. In the service these are Kafka
 * Streams' queryable stores ({@link InteractiveStateStores}); each method may throw
 * {@link StoreUnavailableException}, and so may reads on the stores it returns (as
 * {@code InvalidStateStoreException}, see {@link StoreUnavailableException#whileReading}).
 */
public interface StateStores {

    /** {@code customer-sessions}: session key → current state. */
    ReadOnlyKeyValueStore<String, CustomerSessionState> sessions();

    /** {@code idempotent-outcomes}: the first outcome per {@code <sessionKey>|<idempotencyKey>}. */
    ReadOnlyKeyValueStore<String, CommandOutcome> firstOutcomes();

    /** {@code session-history}: {@code StoreKeys.history(...)} → the event and the state after it. */
    ReadOnlyKeyValueStore<String, StoredEvent> history();

    /** A store of strings: a listing view or a profile-claim store. */
    ReadOnlyKeyValueStore<String, String> strings(String storeName);
}
