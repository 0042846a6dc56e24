package io.customersessions.projector.views;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.function.Supplier;

/**
 * When a partition of {@code session-listing} is not complete yet: the one rule shared by the processor that builds
 * it from the session store after an upgrade ({@code ListingViews}) and the query side that must not read it
 * meanwhile ({@code InteractiveStateStores}).
 */
public final class ListingBuild {

    private ListingBuild() {
    }

    /** A build is under way: the marker {@link StoreKeys#LISTING_REBUILD} is there. */
    public static boolean marked(ReadOnlyKeyValueStore<String, ?> listing) {
        return listing.get(StoreKeys.LISTING_REBUILD) != null;
    }

    /**
     * A build is due: the store is empty while the session store's partition (fed by the same topic) holds sessions.
     * Every session has entries in the state, creation-time and id views, so a built store is never empty.
     */
    public static boolean missing(ReadOnlyKeyValueStore<String, ?> listing,
                                  Supplier<? extends ReadOnlyKeyValueStore<String, ?>> sessionsOfThePartition) {
        return isEmpty(listing) && !isEmpty(sessionsOfThePartition.get());
    }

    /** Under way or due: not to be read from. */
    public static boolean incomplete(ReadOnlyKeyValueStore<String, ?> listing,
                                     Supplier<? extends ReadOnlyKeyValueStore<String, ?>> sessionsOfThePartition) {
        return marked(listing) || missing(listing, sessionsOfThePartition);
    }

    private static boolean isEmpty(ReadOnlyKeyValueStore<String, ?> store) {
        try (KeyValueIterator<String, ?> any = store.all()) {
            return !any.hasNext();
        }
    }
}
