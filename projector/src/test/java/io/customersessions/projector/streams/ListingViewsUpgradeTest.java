package io.customersessions.projector.streams;

import io.customersessions.avro.CustomerSessionState;
import io.customersessions.avro.SessionCommand;
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
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A listing store added to a processor whose session store already holds sessions (an upgrade) is built from it. */
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
        store(Topics.IDEMPOTENCY_EXPIRY_STORE, Serdes.String());
        store(Topics.SESSION_LISTING_STORE, Serdes.String());
    }

    @AfterEach
    void closeDriver() {
        earlier.close();
    }

    @Test
    void missing_views_are_built_once_from_the_stored_sessions() {
        // given: two sessions folded before the listing store existed
        SessionKey first = new SessionKey(1, "s-1");
        SessionKey second = new SessionKey(1, "s-2");
        earlier.send(earlier.upsert(first, Optional.empty(), SessionChanges.NONE.withProfileId("customer-1")));
        earlier.send(earlier.upsert(second, Optional.empty(), SessionChanges.NONE));
        sessions.put(first.asString(), earlier.session(first));
        sessions.put(second.asString(), earlier.session(second));

        // when
        processor().init(context);
        List<MockProcessorContext.CapturedPunctuator> scheduled = rebuilds();
        scheduled.get(0).getPunctuator().punctuate(0);

        // then: every view of both sessions, as the processor writes them (the anonymous one has no profile entry)
        assertThat(scheduled).hasSize(1);
        assertThat(scheduled.get(0).cancelled()).isTrue();
        CustomerSessionState s1 = earlier.session(first);
        CustomerSessionState s2 = earlier.session(second);
        assertThat(listing()).containsOnly(
                Map.entry(StoreKeys.byProfile(1, "customer-1", s1.getCreated(), s1.getId()), "s-1"),
                Map.entry(StoreKeys.byState(1, SessionState.OPEN, s1.getCreated(), s1.getId()), "s-1"),
                Map.entry(StoreKeys.byCreated(1, s1.getCreated(), s1.getId()), "s-1"),
                Map.entry(StoreKeys.byId(1, s1.getId()), "s-1"),
                Map.entry(StoreKeys.byState(1, SessionState.OPEN, s2.getCreated(), s2.getId()), "s-2"),
                Map.entry(StoreKeys.byCreated(1, s2.getCreated(), s2.getId()), "s-2"),
                Map.entry(StoreKeys.byId(1, s2.getId()), "s-2"));
    }

    @Test
    void commands_processed_before_the_first_punctuation_do_not_cancel_the_build() {
        // given: two sessions folded before the listing store existed
        SessionKey first = new SessionKey(1, "s-1");
        SessionKey second = new SessionKey(1, "s-2");
        earlier.send(earlier.upsert(first, Optional.empty(), SessionChanges.NONE));
        earlier.send(earlier.upsert(second, Optional.empty(), SessionChanges.NONE));
        sessions.put(first.asString(), earlier.session(first));
        sessions.put(second.asString(), earlier.session(second));

        // when: the upgraded processor starts and processes a command before its punctuator first runs
        SessionCommandProcessor processor = processor();
        processor.init(context);
        SessionCommand create = earlier.upsert(new SessionKey(1, "s-3"), Optional.empty(), SessionChanges.NONE);
        context.setRecordMetadata(TopologyFixture.TOPICS.commands(), 0, 42);
        processor.process(new Record<>(new SessionKey(1, "s-3").asString(), create, create.getTime().toEpochMilli()));
        boolean markedMeanwhile = listingStore().get(StoreKeys.LISTING_REBUILD) != null;
        rebuilds().get(0).getPunctuator().punctuate(0);

        // then: the store said it was incomplete until the sessions stored before were indexed too
        assertThat(markedMeanwhile).isTrue();
        assertThat(listing()).doesNotContainKey(StoreKeys.LISTING_REBUILD)
                .containsKeys(StoreKeys.byId(1, earlier.session(first).getId()),
                        StoreKeys.byId(1, earlier.session(second).getId()))
                .hasSize(3 * 3);
    }

    @Test
    void a_large_store_is_built_a_chunk_per_transaction_and_a_restart_resumes_after_the_last_chunk() {
        // given: more sessions than one chunk, folded before the listing store existed
        SessionKey key = new SessionKey(1, "s-0");
        earlier.send(earlier.upsert(key, Optional.empty(), SessionChanges.NONE.withProfileId("customer-1")));
        CustomerSessionState template = earlier.session(key);
        int total = ListingViews.REBUILD_CHUNK + 10;
        for (int i = 0; i < total; i++) {
            String integrationId = String.format("s-%05d", i);
            sessions.put(new SessionKey(1, integrationId).asString(), CustomerSessionState.newBuilder(template)
                    .setIntegrationId(integrationId).setId(i + 1L).build());
        }

        // when: one punctuation (the transaction commits after it)
        processor().init(context);
        MockProcessorContext.CapturedPunctuator first = rebuilds().get(0);
        first.getPunctuator().punctuate(0);

        // then: one chunk is indexed (four views each), the marker names the last session of it, more is to come
        assertThat(first.cancelled()).isFalse();
        assertThat(listingStore().get(StoreKeys.LISTING_REBUILD))
                .isEqualTo(new SessionKey(1, String.format("s-%05d", ListingViews.REBUILD_CHUNK - 1)).asString());
        assertThat(listing()).hasSize(4 * ListingViews.REBUILD_CHUNK + 1);

        // when: the processor restarts on the committed stores and its punctuator runs
        processor().init(context);
        MockProcessorContext.CapturedPunctuator resumed = rebuilds().get(1);
        resumed.getPunctuator().punctuate(1);

        // then: the rest, each session once, and the store is no longer marked
        assertThat(resumed.cancelled()).isTrue();
        assertThat(listing()).doesNotContainKey(StoreKeys.LISTING_REBUILD).hasSize(4 * total);
        assertThat(listing().keySet()).filteredOn(k -> k.startsWith("i|"))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, total)
                        .mapToObj(id -> StoreKeys.byId(1, id)).toList());
    }

    @Test
    void a_listing_store_that_holds_entries_is_left_as_it_is() {
        // given: sessions, and a listing store already written by this processor
        SessionKey key = new SessionKey(1, "s-1");
        earlier.send(earlier.upsert(key, Optional.empty(), SessionChanges.NONE));
        CustomerSessionState anonymous = earlier.session(key);
        sessions.put(key.asString(), anonymous);
        sessions.put(new SessionKey(1, "s-2").asString(), anonymous);
        listingStore().put(StoreKeys.byId(1, anonymous.getId()), "s-1");

        // when
        processor().init(context);

        // then
        assertThat(rebuilds()).isEmpty();
        assertThat(listing()).hasSize(1);
    }

    @Test
    void nothing_is_rebuilt_when_there_are_no_sessions() {
        // when
        processor().init(context);

        // then
        assertThat(rebuilds()).isEmpty();
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
        rebuilds().get(0).getPunctuator().punctuate(0);

        // then
        CustomerSessionState state = earlier.session(key);
        assertThat(listing()).containsOnlyKeys(StoreKeys.byProfile(1, "customer-1", state.getCreated(), state.getId()),
                StoreKeys.byState(1, SessionState.OPEN, state.getCreated(), state.getId()),
                StoreKeys.byCreated(1, state.getCreated(), state.getId()), StoreKeys.byId(1, state.getId()));
    }

    /** The listing rebuild's punctuators, not the Idempotency-Key purge's. */
    private List<MockProcessorContext.CapturedPunctuator> rebuilds() {
        return context.scheduledPunctuators().stream()
                .filter(punctuator -> !punctuator.getInterval().equals(IdempotencyExpiry.CHECK_EVERY)).toList();
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

    private KeyValueStore<String, String> listingStore() {
        return context.getStateStore(Topics.SESSION_LISTING_STORE);
    }

    private Map<String, String> listing() {
        Map<String, String> entries = new TreeMap<>();
        try (KeyValueIterator<String, String> all = listingStore().all()) {
            all.forEachRemaining(entry -> entries.put(entry.key, entry.value));
        }
        return entries;
    }

    private <V> KeyValueStore<String, V> store(String name, Serde<V> values) {
        KeyValueStore<String, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                Serdes.String(), values).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }
}
