package io.customersessions.projector.query;

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
    public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        return queries.getQueryableStore(name, QueryableStoreTypes.<String, V>keyValueStore())
                .orElseThrow(() -> new StoreUnavailableException("the store '" + name + "' is not available yet"));
    }
}
