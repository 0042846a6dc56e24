package io.customersessions.projector.streams;

import io.customersessions.avro.CustomerSessionState;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.serde.AvroSerdes;
import io.customersessions.projector.views.StoreKeys;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
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
        store(Topics.SESSION_KEYS_STORE, AvroSerdes.ours(registry));
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
        processor().init(context);
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
    void only_the_views_that_are_empty_are_built_after_a_change_of_key_layout() {
        // given: a session store and the unchanged sessions-by-id from before; the renamed views start empty
        SessionKey first = new SessionKey(1, "s-1");
        SessionKey second = new SessionKey(1, "s-2");
        earlier.send(earlier.upsert(first, Optional.empty(), SessionChanges.NONE.withProfileId("customer-1")));
        earlier.send(earlier.upsert(second, Optional.empty(), SessionChanges.NONE));
        sessions.put(first.asString(), earlier.session(first));
        sessions.put(second.asString(), earlier.session(second));
        String firstById = StoreKeys.byId(1, earlier.session(first).getId());
        this.<String>view(Topics.SESSIONS_BY_ID_STORE).put(firstById, "s-1");

        // when
        processor().init(context);
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(0);

        // then: the empty views hold every session in the new layout, the filled one is left as it was
        CustomerSessionState s1 = earlier.session(first);
        assertThat(keys(Topics.SESSIONS_BY_STATE_STORE)).containsExactlyInAnyOrder(
                StoreKeys.byState(1, SessionState.OPEN, s1.getCreated(), s1.getId()),
                StoreKeys.byState(1, SessionState.OPEN, earlier.session(second).getCreated(),
                        earlier.session(second).getId()));
        assertThat(keys(Topics.SESSIONS_BY_PROFILE_STORE))
                .containsExactly(StoreKeys.byProfile(1, "customer-1", s1.getCreated(), s1.getId()));
        assertThat(count(Topics.SESSIONS_BY_CREATED_STORE)).isEqualTo(2);
        assertThat(keys(Topics.SESSIONS_BY_ID_STORE)).containsExactly(firstById);
    }

    @Test
    void an_empty_profile_view_is_not_missing_while_every_session_is_anonymous() {
        // given: views complete for one anonymous session
        SessionKey key = new SessionKey(1, "s-1");
        earlier.send(earlier.upsert(key, Optional.empty(), SessionChanges.NONE));
        CustomerSessionState anonymous = earlier.session(key);
        sessions.put(key.asString(), anonymous);
        this.<String>view(Topics.SESSIONS_BY_STATE_STORE).put(StoreKeys.byState(1, SessionState.OPEN,
                anonymous.getCreated(), anonymous.getId()), "s-1");
        this.<String>view(Topics.SESSIONS_BY_CREATED_STORE).put(StoreKeys.byCreated(1, anonymous.getCreated(),
                anonymous.getId()), "s-1");
        this.<String>view(Topics.SESSIONS_BY_ID_STORE).put(StoreKeys.byId(1, anonymous.getId()), "s-1");

        // when
        processor().init(context);

        // then
        assertThat(context.scheduledPunctuators()).isEmpty();
    }

    @Test
    void nothing_is_rebuilt_when_there_are_no_sessions() {
        // when
        processor().init(context);

        // then
        assertThat(context.scheduledPunctuators()).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void a_views_generation_upgraded_in_place_builds_its_missing_views_too() {
        // given: a views generation's session store from before the views existed
        SessionKey key = new SessionKey(1, "s-1");
        earlier.send(earlier.upsert(key, Optional.empty(), SessionChanges.NONE.withProfileId("customer-1")));
        sessions.put(key.asString(), earlier.session(key));

        // when: the views role's processor starts on it (it never forwards, so the context's types do not matter)
        new SessionViewsProcessor().init((ProcessorContext<Void, Void>) (ProcessorContext<?, ?>) context);
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(0);

        // then
        CustomerSessionState state = earlier.session(key);
        assertThat(keys(Topics.SESSIONS_BY_PROFILE_STORE))
                .containsExactly(StoreKeys.byProfile(1, "customer-1", state.getCreated(), state.getId()));
        assertThat(count(Topics.SESSIONS_BY_STATE_STORE)).isEqualTo(1);
        assertThat(count(Topics.SESSIONS_BY_CREATED_STORE)).isEqualTo(1);
        assertThat(count(Topics.SESSIONS_BY_ID_STORE)).isEqualTo(1);
    }

    private SessionCommandProcessor processor() {
        return new SessionCommandProcessor(TopologyFixture.TOPICS.events(),
                AvroSerdes.<io.customersessions.avro.SessionEvent>ours(registry).serializer());
    }

    private static Properties quietConfig() {
        Properties config = new Properties();
        config.put("processing.exception.handler.global.enabled", "true");
        return config;
    }

    private <V> KeyValueStore<String, V> view(String name) {
        return context.getStateStore(name);
    }

    private List<String> keys(String name) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, String> all = this.<String>view(name).all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
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
