package io.customersessions.projector.query;

import io.customersessions.eventlog.Topics;
import io.customersessions.projector.views.StoreKeys;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.util.ArrayList;
import java.util.List;

/**
 * The sessions of one profile, from the profile view of {@code session-listing}: one range scan of that profile's
 * entries, O(sessions of the profile). Anonymous and redacted sessions have no profile and are not in the view. Reads
 * the stores of this instance only.
 */
@Singleton
public class ProfileSessionQuery {

    private final StateStores stores;

    public ProfileSessionQuery(StateStores stores) {
        this.stores = stores;
    }

    /**
     * The integration ids of the application's sessions whose profile is {@code profileId}, each partition's in
     * creation order (the view's key order).
     *
     * @throws StoreUnavailableException while the stores are not queryable
     */
    public List<String> integrationIds(long applicationId, String profileId) {
        StoreKeys.Range range = StoreKeys.profile(applicationId, profileId);
        return StoreUnavailableException.whileReading(() -> {
            List<String> ids = new ArrayList<>();
            try (KeyValueIterator<String, String> entries = stores.strings(Topics.SESSION_LISTING_STORE)
                    .range(range.from(), range.to())) {
                entries.forEachRemaining(entry -> ids.add(entry.value));
            }
            return ids;
        });
    }
}
