package io.customersessions.projector.streams;

import io.customersessions.avro.CustomerSessionState;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionKey;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.serde.AvroSerdes;
import io.customersessions.projector.views.StoreKeys;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Views added to a processor whose session store already holds sessions (an upgrade) are built from it. */
class ListingViewsUpgradeTest {

    private final Map<String, Object> registry = Map.of("schema.registry.url", "mock://upgrade-" + UUID.randomUUID());
    private final MockProcessorContext<String, Object> context = new MockProcessorContext<>(quietConfig());
    private final KeyValueStore<String, CustomerSessionState> sessions =
            store(Topics.SESSION_STORE, AvroSerdes.ours(registry));
    private final TopologyFixture earlier = new TopologyFixture();

    ListingViewsUpgradeTest() {
        store(Topics.PROFILE_CLAIMS_STORE, Serdes.String());
        store(Topics.PROFILE_FIRST_SESSIONS_STORE, Serdes.String());
        store(Topics.IDEMPOTENT_OUTCOMES_STORE, AvroSerdes.ours(registry));
        SessionTopology.LISTING_VIEWS.forEach(view -> store(view, Serdes.String()));
    }

    @AfterEach
    void closeDriver() {
        earlier.close();
    }

    @Test
    void missing_views_are_built_once_from_the_stored_sessions() {
        // given: two sessions folded before the views existed
        SessionKey first = new SessionKey(1, "s-1");
        SessionKey second = new SessionKey(1, "s-2");
        earlier.send(earlier.upsert(first, Optional.empty(), SessionChanges.NONE.withProfileId("customer-1")));
        earlier.send(earlier.upsert(second, Optional.empty(), SessionChanges.NONE));
        sessions.put(first.asString(), earlier.session(first));
        sessions.put(second.asString(), earlier.session(second));

        // when
        new SessionCommandProcessor().init(context);
        List<MockProcessorContext.CapturedPunctuator> scheduled = context.scheduledPunctuators();
        scheduled.get(0).getPunctuator().punctuate(0);

        // then
        assertThat(scheduled).hasSize(1);
        assertThat(scheduled.get(0).cancelled()).isTrue();
        KeyValueStore<String, String> byId = context.getStateStore(Topics.SESSIONS_BY_ID_STORE);
        assertThat(byId.get(StoreKeys.byId(1, earlier.session(first).getId()))).isEqualTo("s-1");
        assertThat(byId.get(StoreKeys.byId(1, earlier.session(second).getId()))).isEqualTo("s-2");
        assertThat(this.<String>count(Topics.SESSIONS_BY_PROFILE_STORE)).isEqualTo(1);
        assertThat(this.<String>count(Topics.SESSIONS_BY_STATE_STORE)).isEqualTo(2);
        assertThat(this.<String>count(Topics.SESSIONS_BY_CREATED_STORE)).isEqualTo(2);
    }

    @Test
    void nothing_is_rebuilt_when_there_are_no_sessions() {
        // when
        new SessionCommandProcessor().init(context);

        // then
        assertThat(context.scheduledPunctuators()).isEmpty();
    }

    private static Properties quietConfig() {
        Properties config = new Properties();
        config.put("processing.exception.handler.global.enabled", "true");
        return config;
    }

    private <V> int count(String name) {
        KeyValueStore<String, V> store = context.getStateStore(name);
        int n = 0;
        try (KeyValueIterator<String, V> all = store.all()) {
            for (; all.hasNext(); all.next()) {
                n++;
            }
        }
        return n;
    }

    private <V> KeyValueStore<String, V> store(String name, Serde<V> values) {
        KeyValueStore<String, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                Serdes.String(), values).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }
}
