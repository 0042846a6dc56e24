package io.customersessions.projector.streams;

import io.customersessions.domain.CartItem;
import io.customersessions.domain.ReturnedItem;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import io.customersessions.eventlog.Topics;
import io.customersessions.projector.views.StoreKeys;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The listing views follow every change of the sessions they index, in the processor's own transaction. */
class ListingViewsTest {

    private static final SessionKey SESSION = new SessionKey(1, "s-1");
    private static final String PROFILE_VIEW = "p|";
    private static final String STATE_VIEW = "s|";

    private final TopologyFixture fixture = new TopologyFixture();

    @AfterEach
    void closeDriver() {
        fixture.close();
    }

    @Test
    void a_created_session_is_in_every_view() {
        // when
        fixture.send(fixture.upsert(SESSION, Optional.empty(), profile("customer-1")));

        // then
        long id = fixture.session(SESSION).getId();
        String createdAndId = String.format("%016d|%016d", TopologyFixture.T0.plusSeconds(1).toEpochMilli(), id);
        assertThat(entries("")).containsExactly("c|1|" + createdAndId, String.format("i|1|%016d", id),
                "p|1|customer-1|" + createdAndId, "s|1|open|" + createdAndId);
        assertThat(values()).containsExactly("s-1", "s-1", "s-1", "s-1");
    }

    @Test
    void a_session_that_changes_profile_leaves_the_old_profile() {
        // given
        fixture.send(fixture.upsert(SESSION, Optional.empty(), profile("customer-1")));

        // when
        fixture.send(fixture.upsert(SESSION, Optional.empty(), profile("customer-2")));

        // then
        assertThat(entries(PROFILE_VIEW)).containsExactly("p|1|customer-2|" + createdAndId());
    }

    @Test
    void an_anonymous_session_enters_the_profile_view_when_it_gets_a_profile() {
        // given
        fixture.send(fixture.upsert(SESSION, Optional.empty(), profile("")));
        assertThat(entries(PROFILE_VIEW)).isEmpty();

        // when
        fixture.send(fixture.upsert(SESSION, Optional.empty(), profile("customer-1")));

        // then
        assertThat(entries(PROFILE_VIEW)).containsExactly("p|1|customer-1|" + createdAndId());
    }

    @Test
    void a_session_moves_through_the_state_view_with_every_transition() {
        // given
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.OPEN), SessionChanges.NONE.withCartItems(
                List.of(CartItem.of("sock", 2, BigDecimal.ONE)))));
        List<List<String>> seen = new ArrayList<>();
        seen.add(entries(STATE_VIEW));

        // when
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.CLOSED), SessionChanges.NONE));
        seen.add(entries(STATE_VIEW));
        fixture.send(fixture.returnItems(SESSION, null, new ReturnedItem(0, 1)));
        seen.add(entries(STATE_VIEW));
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.CANCELLED), SessionChanges.NONE));
        seen.add(entries(STATE_VIEW));

        // then
        String createdAndId = createdAndId();
        assertThat(seen).containsExactly(List.of("s|1|open|" + createdAndId), List.of("s|1|closed|" + createdAndId),
                List.of("s|1|partially_returned|" + createdAndId), List.of("s|1|cancelled|" + createdAndId));
    }

    @Test
    void a_rejected_command_changes_no_view() {
        // given
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.OPEN), profile("customer-1")));
        List<String> before = entries("");

        // when: an open session cannot be returned
        fixture.send(fixture.returnItems(SESSION, null, new ReturnedItem(0, 1)));

        // then
        assertThat(fixture.outcomes.readValuesToList().get(1).getAccepted()).isFalse();
        assertThat(entries("")).isEqualTo(before);
    }

    @Test
    void sessions_of_different_applications_and_profiles_are_kept_apart() {
        // when
        fixture.send(fixture.upsert(new SessionKey(1, "a"), Optional.empty(), profile("p")));
        fixture.send(fixture.upsert(new SessionKey(1, "b"), Optional.empty(), profile("p|x")));
        fixture.send(fixture.upsert(new SessionKey(12, "c"), Optional.empty(), profile("p")));

        // then
        assertThat(range(StoreKeys.profile(1, "p"))).containsExactly("a");
        assertThat(range(StoreKeys.profile(1, "p|x"))).containsExactly("b");
        assertThat(range(StoreKeys.created(1, 0, Long.MAX_VALUE))).containsExactly("a", "b");
        assertThat(range(StoreKeys.ids(1))).containsExactlyInAnyOrder("a", "b");
        assertThat(range(StoreKeys.state(12, SessionState.OPEN))).containsExactly("c");
    }

    @Test
    void the_views_that_share_the_store_never_reach_into_each_other() {
        // when: a profile id that reads like a state, in an application whose id view precedes its creation view
        fixture.send(fixture.upsert(SESSION, Optional.empty(), profile("open")));
        fixture.send(fixture.upsert(new SessionKey(1, "s-2"), Optional.empty(), profile("")));

        // then: each range holds its own view's entries only
        assertThat(range(StoreKeys.profile(1, "open"))).containsExactly("s-1");
        assertThat(range(StoreKeys.state(1, SessionState.OPEN))).containsExactly("s-1", "s-2");
        assertThat(range(StoreKeys.created(1, 0, Long.MAX_VALUE))).containsExactly("s-1", "s-2");
        assertThat(range(StoreKeys.ids(1))).containsExactly("s-1", "s-2");
        assertThat(entries("")).hasSize(7);
    }

    /** The end of {@link #SESSION}'s keys in the views ordered by creation: its creation time and id. */
    private String createdAndId() {
        return String.format("%016d|%016d", fixture.session(SESSION).getCreated().toEpochMilli(),
                fixture.session(SESSION).getId());
    }

    private List<String> values() {
        List<String> values = new ArrayList<>();
        KeyValueStore<String, String> store = fixture.store(Topics.SESSION_LISTING_STORE);
        try (KeyValueIterator<String, String> all = store.all()) {
            all.forEachRemaining(entry -> values.add(entry.value));
        }
        return values;
    }

    /** The keys of the listing store that start with {@code tag}, in store order. */
    private List<String> entries(String tag) {
        List<String> keys = new ArrayList<>();
        KeyValueStore<String, String> store = fixture.store(Topics.SESSION_LISTING_STORE);
        try (KeyValueIterator<String, String> all = store.all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys.stream().filter(key -> key.startsWith(tag)).toList();
    }

    private List<String> range(StoreKeys.Range range) {
        List<String> values = new ArrayList<>();
        KeyValueStore<String, String> store = fixture.store(Topics.SESSION_LISTING_STORE);
        try (KeyValueIterator<String, String> entries = store.range(range.from(), range.to())) {
            entries.forEachRemaining((KeyValue<String, String> entry) -> values.add(entry.value));
        }
        return values;
    }

    private static SessionChanges profile(String profileId) {
        return SessionChanges.NONE.withProfileId(profileId);
    }
}
