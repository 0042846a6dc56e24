package io.customersessions.projector.query;

import io.customersessions.eventlog.Topics;
import io.customersessions.projector.streams.CommandDecider;
import io.customersessions.projector.streams.Generation;
import io.customersessions.projector.views.StoreKeys;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The sessions of one profile, for its erasure. {@link #integrationIds} gives those that have the profile now (the
 * profile view of {@code session-listing}); {@link #holdingData} those that hold any of its personal data: besides,
 * those that had it before their current profile (the former-profile index of the same store) and a session that
 * made a first-session claim for the profile (the processor's claim store of its partition), which may have left
 * the profile before the index existed or been erased for another profile since: its erasure gives the claim up. A
 * range scan of each, O(sessions of the profile), and one read per partition. Reads the stores of this instance
 * only: each names sessions of its own partitions.
 */
@Singleton
public class ProfileSessionQuery {

    private final StateStores stores;
    private final boolean claimsHere;

    /** {@code claimsHere}: the claim stores exist here (a processor; a views generation has none). */
    public ProfileSessionQuery(StateStores stores, boolean claimsHere) {
        this.stores = stores;
        this.claimsHere = claimsHere;
    }

    @Inject
    public ProfileSessionQuery(StateStores stores, Generation generation) {
        this(stores, generation.role() == Generation.Role.PROCESSOR);
    }

    /**
     * The integration ids of the application's sessions whose profile is {@code profileId} now, in text order.
     *
     * @throws StoreUnavailableException while the stores are not queryable
     */
    public List<String> integrationIds(long applicationId, String profileId) {
        return StoreUnavailableException.whileReading(() -> List.copyOf(scan(applicationId, profileId, false)));
    }

    /**
     * The integration ids of the application's sessions that hold personal data of {@code profileId}, each once, in
     * text order.
     *
     * @throws StoreUnavailableException while the stores are not queryable
     */
    public List<String> holdingData(long applicationId, String profileId) {
        return StoreUnavailableException.whileReading(() -> {
            SortedSet<String> ids = scan(applicationId, profileId, true);
            if (claimsHere) {
                String claimKey = CommandDecider.claimKey(applicationId, profileId);
                for (ReadOnlyKeyValueStore<String, String> claims
                        : stores.<String>partitions(Topics.PROFILE_CLAIMS_STORE)) {
                    String claimant = claims.get(claimKey);
                    if (claimant != null) {
                        ids.add(claimant);
                    }
                }
            }
            return List.copyOf(ids);
        });
    }

    private SortedSet<String> scan(long applicationId, String profileId, boolean former) {
        SortedSet<String> ids = new TreeSet<>();
        ReadOnlyKeyValueStore<String, String> listing = stores.strings(Topics.SESSION_LISTING_STORE);
        List<StoreKeys.Range> ranges = former
                ? List.of(StoreKeys.profile(applicationId, profileId),
                        StoreKeys.formerProfile(applicationId, profileId))
                : List.of(StoreKeys.profile(applicationId, profileId));
        for (StoreKeys.Range range : ranges) {
            try (KeyValueIterator<String, String> entries = listing.range(range.from(), range.to())) {
                entries.forEachRemaining(entry -> ids.add(entry.value));
            }
        }
        return ids;
    }
}
