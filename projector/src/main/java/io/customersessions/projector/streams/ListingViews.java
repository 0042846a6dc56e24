package io.customersessions.projector.streams;

import io.customersessions.avro.CustomerSessionState;
import io.customersessions.domain.CustomerSession;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.projector.views.StoreKeys;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.Objects;
import java.util.Optional;

/**
 * The secondary views the Management API lists from, kept by the processor in the same transaction as the
 * session store, so a listing never sees a view disagree with a committed session. Each view maps a key of
 * {@link StoreKeys} to the session's integration id; a session whose profile or state changes moves to its new
 * key and leaves its old one. Anonymous sessions are not in the profile view.
 */
final class ListingViews {

    private final KeyValueStore<String, String> byProfile;
    private final KeyValueStore<String, String> byState;
    private final KeyValueStore<String, String> byCreated;
    private final KeyValueStore<String, String> byId;

    ListingViews(ProcessorContext<?, ?> context) {
        this.byProfile = context.getStateStore(Topics.SESSIONS_BY_PROFILE_STORE);
        this.byState = context.getStateStore(Topics.SESSIONS_BY_STATE_STORE);
        this.byCreated = context.getStateStore(Topics.SESSIONS_BY_CREATED_STORE);
        this.byId = context.getStateStore(Topics.SESSIONS_BY_ID_STORE);
    }

    /** Moves {@code after}'s entries from where {@code before} had them; unchanged entries are not rewritten. */
    void update(Optional<CustomerSession> before, CustomerSession after) {
        String integrationId = after.key().integrationId();
        move(byProfile, before.flatMap(ListingViews::profileKey), profileKey(after), integrationId);
        move(byState, before.map(ListingViews::stateKey), Optional.of(stateKey(after)), integrationId);
        move(byCreated, before.map(ListingViews::createdKey), Optional.of(createdKey(after)), integrationId);
        move(byId, before.map(ListingViews::idKey), Optional.of(idKey(after)), integrationId);
    }

    /**
     * True when the views are empty while sessions exist: the stores were added to a topology that had already
     * folded sessions (an upgrade), and {@link #rebuild} must fill them.
     */
    boolean missing(KeyValueStore<String, CustomerSessionState> sessions) {
        try (KeyValueIterator<String, String> ids = byId.all();
             KeyValueIterator<String, CustomerSessionState> any = sessions.all()) {
            return !ids.hasNext() && any.hasNext();
        }
    }

    /** Indexes every stored session, as if each had just been created. */
    void rebuild(KeyValueStore<String, CustomerSessionState> sessions) {
        try (KeyValueIterator<String, CustomerSessionState> all = sessions.all()) {
            all.forEachRemaining(entry -> update(Optional.empty(), AvroCodec.fromAvro(entry.value)));
        }
    }

    private static void move(KeyValueStore<String, String> view, Optional<String> oldKey, Optional<String> newKey,
                             String integrationId) {
        if (Objects.equals(oldKey, newKey)) {
            return;
        }
        oldKey.ifPresent(view::delete);
        newKey.ifPresent(key -> view.put(key, integrationId));
    }

    private static Optional<String> profileKey(CustomerSession s) {
        return s.anonymous() ? Optional.empty()
                : Optional.of(StoreKeys.byProfile(s.key().applicationId(), s.profileId(), s.key().integrationId()));
    }

    private static String stateKey(CustomerSession s) {
        return StoreKeys.byState(s.key().applicationId(), s.state(), s.key().integrationId());
    }

    private static String createdKey(CustomerSession s) {
        return StoreKeys.byCreated(s.key().applicationId(), s.created(), s.key().integrationId());
    }

    private static String idKey(CustomerSession s) {
        return StoreKeys.byId(s.key().applicationId(), s.id());
    }
}
