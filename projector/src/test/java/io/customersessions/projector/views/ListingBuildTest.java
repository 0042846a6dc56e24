package io.customersessions.projector.views;

import io.customersessions.eventlog.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A partition of the listing store still being built after an upgrade is not read from (503), a built one is. */
class ListingBuildTest {

    private final MockProcessorContext<String, Object> context = new MockProcessorContext<>();
    private final KeyValueStore<String, String> listing = store(Topics.SESSION_LISTING_STORE);
    private final KeyValueStore<String, String> sessions = store(Topics.SESSION_STORE);

    @Test
    void a_partition_marked_as_being_built_is_not_read() {
        sessions.put("1:s-1", "session");
        listing.put(StoreKeys.byId(1, 1), "s-1");
        listing.put(StoreKeys.LISTING_REBUILD, "1:s-1");

        assertThat(ListingBuild.incomplete(listing, () -> sessions)).isTrue();
    }

    @Test
    void an_empty_listing_beside_stored_sessions_is_about_to_be_built_and_not_read() {
        sessions.put("1:s-1", "session");

        assertThat(ListingBuild.incomplete(listing, () -> sessions)).isTrue();
    }

    @Test
    void a_built_listing_or_an_empty_partition_is_read() {
        assertThat(ListingBuild.incomplete(listing, () -> sessions)).as("no sessions yet").isFalse();

        sessions.put("1:s-1", "session");
        listing.put(StoreKeys.byId(1, 1), "s-1");
        assertThat(ListingBuild.incomplete(listing, () -> sessions)).as("built").isFalse();
    }

    private KeyValueStore<String, String> store(String name) {
        KeyValueStore<String, String> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                Serdes.String(), Serdes.String()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        return store;
    }
}
