package io.customersessions.projector.streams;

import io.customersessions.avro.CustomerSessionState;
import io.customersessions.domain.CartItem;
import io.customersessions.domain.ReturnedItem;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import io.customersessions.eventlog.Topics;
import io.customersessions.projector.views.StoreKeys;
import io.customersessions.projector.views.StoredEvent;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The history stores, fed by the topology from the event log it writes. */
class HistoryTopologyTest {

    private final TopologyFixture fixture = new TopologyFixture();
    private final SessionKey key = new SessionKey(1, "s-1");

    @AfterEach
    void closeDriver() {
        fixture.close();
    }

    @Test
    void every_event_of_the_log_is_in_the_history_in_order_with_its_position_and_the_state_after_it() {
        // given
        SessionChanges socks = SessionChanges.NONE.withProfileId("customer-1")
                .withCartItems(List.of(CartItem.of("SOCK", 2, new BigDecimal("12.50"))));

        // when
        fixture.send(fixture.upsert(key, Optional.of(SessionState.OPEN), socks));
        fixture.send(fixture.upsert(key, Optional.of(SessionState.CLOSED), SessionChanges.NONE));
        fixture.send(fixture.returnItems(key, null, new ReturnedItem(0, 1)));

        // then
        List<KeyValue<String, StoredEvent>> history = history(key);
        assertThat(history).extracting(entry -> entry.key).containsExactly(
                StoreKeys.history(1, "s-1", 1), StoreKeys.history(1, "s-1", 2), StoreKeys.history(1, "s-1", 3));
        assertThat(history).extracting(entry -> entry.value.event().getCommandId())
                .containsExactly("cmd-1", "cmd-2", "cmd-3");
        assertThat(history).extracting(entry -> entry.value.partition()).containsOnly(0);
        assertThat(history).extracting(entry -> entry.value.offset()).containsExactly(0L, 1L, 2L);
        assertThat(history).extracting(entry -> entry.value.after().state())
                .containsExactly("open", "closed", "partially_returned");
        StoredEvent.StateAfter last = history.get(2).value.after();
        assertThat(last.updateCount()).isEqualTo(3);
        assertThat(last.profileId()).isEqualTo("customer-1");
        assertThat(last.cartItemTotal()).isEqualByComparingTo("12.50");
        assertThat(last.total()).isEqualByComparingTo("12.50");
        assertThat(history.get(0).value.after().total()).isEqualByComparingTo("25.00");
    }

    @Test
    void the_time_index_points_at_each_history_entry() {
        // given
        fixture.send(fixture.upsert(key, Optional.of(SessionState.OPEN), SessionChanges.NONE));
        fixture.send(fixture.upsert(new SessionKey(1, "s-2"), Optional.of(SessionState.OPEN), SessionChanges.NONE));

        // when
        List<KeyValue<String, String>> index = new ArrayList<>();
        try (KeyValueIterator<String, String> all = fixture.<String>store(Topics.EVENTS_BY_TIME_STORE).all()) {
            all.forEachRemaining(index::add);
        }

        // then
        assertThat(index).containsExactly(
                KeyValue.pair(StoreKeys.eventByTime(1, TopologyFixture.T0.plusSeconds(1), "s-1", 1),
                        StoreKeys.history(1, "s-1", 1)),
                KeyValue.pair(StoreKeys.eventByTime(1, TopologyFixture.T0.plusSeconds(2), "s-2", 1),
                        StoreKeys.history(1, "s-2", 1)));
    }

    @Test
    void a_rejected_command_adds_nothing_to_the_history() {
        // given
        fixture.send(fixture.upsert(key, Optional.of(SessionState.CLOSED), SessionChanges.NONE));

        // when
        fixture.send(fixture.upsert(key, Optional.of(SessionState.OPEN), SessionChanges.NONE));

        // then
        assertThat(history(key)).hasSize(1);
    }

    @Test
    void the_state_folded_from_the_log_is_the_live_state() {
        // given
        fixture.send(fixture.upsert(key, Optional.of(SessionState.OPEN), SessionChanges.NONE.withCartItems(
                List.of(CartItem.of("A", 3, new BigDecimal("0.10"))))));
        fixture.send(fixture.upsert(key, Optional.of(SessionState.CLOSED), SessionChanges.NONE));

        // when
        CustomerSessionState folded = fixture.<CustomerSessionState>store(Topics.SESSION_HISTORY_HEADS_STORE)
                .get(key.asString());

        // then
        assertThat(folded).isEqualTo(fixture.session(key));
    }

    @Test
    void the_history_shares_no_store_with_the_command_processor() {
        // given
        StreamsBuilder builder = new StreamsBuilder();
        Map<String, Object> registry = Map.of("schema.registry.url", "mock://history-description");
        SessionTopology.build(builder, TopologyFixture.TOPICS, TopologySerdes.ours(registry,
                (sessionKey, keyId) -> Optional.empty()));

        // when
        Set<TopologyDescription.Subtopology> subtopologies = builder.build().describe().subtopologies();

        // then
        Set<String> historyStores = Set.of(Topics.SESSION_HISTORY_STORE, Topics.SESSION_HISTORY_HEADS_STORE,
                Topics.EVENTS_BY_TIME_STORE);
        for (TopologyDescription.Subtopology subtopology : subtopologies) {
            Set<String> stores = subtopology.nodes().stream()
                    .filter(node -> node instanceof TopologyDescription.Processor)
                    .flatMap(node -> ((TopologyDescription.Processor) node).stores().stream())
                    .collect(Collectors.toSet());
            boolean history = stores.stream().anyMatch(historyStores::contains);
            assertThat(history ? historyStores.containsAll(stores) : stores.stream().noneMatch(historyStores::contains))
                    .as("stores of sub-topology %s", subtopology.id()).isTrue();
        }
    }

    private List<KeyValue<String, StoredEvent>> history(SessionKey session) {
        StoreKeys.Range range = StoreKeys.sessionHistory(session.applicationId(), session.integrationId());
        KeyValueStore<String, StoredEvent> store = fixture.store(Topics.SESSION_HISTORY_STORE);
        List<KeyValue<String, StoredEvent>> entries = new ArrayList<>();
        try (KeyValueIterator<String, StoredEvent> range1 = store.range(range.from(), range.to())) {
            range1.forEachRemaining(entries::add);
        }
        return entries;
    }
}
