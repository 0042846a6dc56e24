package io.customersessions.projector.query;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.CustomerSessionState;
import io.customersessions.eventlog.Topics;
import io.customersessions.projector.views.StoredEvent;
import io.micronaut.configuration.kafka.streams.InteractiveQueryService;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The stores of this instance's running Kafka Streams, through interactive queries: each store spans the
 * partitions this instance owns (global stores: all partitions). Reads see what the processor has written,
 * possibly a moment before its transaction commits.
 */
@Singleton
public class InteractiveStateStores implements StateStores {

    private final InteractiveQueryService queries;

    public InteractiveStateStores(InteractiveQueryService queries) {
        this.queries = queries;
    }

    @Override
    public ReadOnlyKeyValueStore<String, CustomerSessionState> sessions() {
        return store(Topics.SESSION_STORE);
    }

    @Override
    public ReadOnlyKeyValueStore<String, CommandOutcome> firstOutcomes() {
        return store(Topics.IDEMPOTENT_OUTCOMES_STORE);
    }

    @Override
    public ReadOnlyKeyValueStore<String, StoredEvent> history() {
        return store(Topics.SESSION_HISTORY_STORE);
    }

    @Override
    public ReadOnlyKeyValueStore<String, String> strings(String storeName) {
        return store(storeName);
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        return queries.getQueryableStore(name, QueryableStoreTypes.<String, V>keyValueStore())
                .orElseThrow(() -> new StoreUnavailableException("the store '" + name + "' is not available yet"));
    }
}
