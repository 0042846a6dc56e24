package io.customersessions.projector.query;

import io.customersessions.avro.CustomerSessionState;
import io.customersessions.domain.CustomerSession;
import io.customersessions.domain.SessionKey;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.codec.AvroCodec;
import io.micronaut.configuration.kafka.streams.InteractiveQueryService;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.Optional;

/** Reads current sessions from the processor's state store (interactive queries). */
@Singleton
public class SessionStore {

    private final InteractiveQueryService queries;

    public SessionStore(InteractiveQueryService queries) {
        this.queries = queries;
    }

    /**
     * @throws StoreUnavailableException while the store is not queryable (starting, rebalancing, restoring):
     *                                   the caller should retry, the answer would otherwise be wrong
     */
    public Optional<CustomerSession> find(SessionKey key) {
        try {
            ReadOnlyKeyValueStore<String, CustomerSessionState> store = queries
                    .getQueryableStore(Topics.SESSION_STORE, QueryableStoreTypes.<String, CustomerSessionState>keyValueStore())
                    .orElseThrow(() -> new StoreUnavailableException("the session store is not available yet"));
            return Optional.ofNullable(store.get(key.asString())).map(AvroCodec::fromAvro);
        } catch (InvalidStateStoreException e) {
            throw new StoreUnavailableException("the session store is rebalancing: " + e.getMessage());
        }
    }
}
