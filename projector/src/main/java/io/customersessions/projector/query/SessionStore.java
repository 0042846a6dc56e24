package io.customersessions.projector.query;

import io.customersessions.domain.CustomerSession;
import io.customersessions.domain.SessionKey;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.projector.views.StoreKeys;
import jakarta.inject.Singleton;

import java.util.Optional;

/** Current sessions by key or by numeric id, from the processor's stores. */
@Singleton
public class SessionStore {

    private final StateStores stores;

    public SessionStore(StateStores stores) {
        this.stores = stores;
    }

    /** @throws StoreUnavailableException while the store is not queryable: the caller should retry */
    public Optional<CustomerSession> find(SessionKey key) {
        return StoreUnavailableException.whileReading(() ->
                Optional.ofNullable(stores.sessions().get(key.asString())).map(AvroCodec::fromAvro));
    }

    /** By the Management API's numeric id, through the id view of {@code session-listing}. */
    public Optional<CustomerSession> findById(long applicationId, long id) {
        return StoreUnavailableException.whileReading(() ->
                Optional.ofNullable(stores.strings(Topics.SESSION_LISTING_STORE).get(StoreKeys.byId(applicationId, id)))
                        .flatMap(integrationId -> find(new SessionKey(applicationId, integrationId))));
    }
}
