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
        assertThat(entries(Topics.SESSIONS_BY_PROFILE_STORE)).containsExactly("1|customer-1|" + createdAndId);
        assertThat(entries(Topics.SESSIONS_BY_STATE_STORE)).containsExactly("1|open|" + createdAndId);
        assertThat(entries(Topics.SESSIONS_BY_CREATED_STORE)).containsExactly("1|" + createdAndId);
        assertThat(entries(Topics.SESSIONS_BY_ID_STORE)).containsExactly(String.format("1|%016d", id));
        for (String view : SessionTopology.LISTING_VIEWS) {
            assertThat(values(view)).containsExactly("s-1");
        }
    }

    @Test
    void a_session_that_changes_profile_leaves_the_old_profile() {
        // given
        fixture.send(fixture.upsert(SESSION, Optional.empty(), profile("customer-1")));

        // when
        fixture.send(fixture.upsert(SESSION, Optional.empty(), profile("customer-2")));

        // then
        assertThat(entries(Topics.SESSIONS_BY_PROFILE_STORE)).containsExactly("1|customer-2|" + createdAndId());
    }

    @Test
    void an_anonymous_session_enters_the_profile_view_when_it_gets_a_profile() {
        // given
        fixture.send(fixture.upsert(SESSION, Optional.empty(), profile("")));
        assertThat(entries(Topics.SESSIONS_BY_PROFILE_STORE)).isEmpty();

        // when
        fixture.send(fixture.upsert(SESSION, Optional.empty(), profile("customer-1")));

        // then
        assertThat(entries(Topics.SESSIONS_BY_PROFILE_STORE)).containsExactly("1|customer-1|" + createdAndId());
    }

    @Test
    void a_session_moves_through_the_state_view_with_every_transition() {
        // given
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.OPEN), SessionChanges.NONE.withCartItems(
                List.of(CartItem.of("sock", 2, BigDecimal.ONE)))));
        List<List<String>> seen = new ArrayList<>();
        seen.add(entries(Topics.SESSIONS_BY_STATE_STORE));

        // when
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.CLOSED), SessionChanges.NONE));
        seen.add(entries(Topics.SESSIONS_BY_STATE_STORE));
        fixture.send(fixture.returnItems(SESSION, null, new ReturnedItem(0, 1)));
        seen.add(entries(Topics.SESSIONS_BY_STATE_STORE));
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.CANCELLED), SessionChanges.NONE));
        seen.add(entries(Topics.SESSIONS_BY_STATE_STORE));

        // then
        String createdAndId = createdAndId();
        assertThat(seen).containsExactly(List.of("1|open|" + createdAndId), List.of("1|closed|" + createdAndId),
                List.of("1|partially_returned|" + createdAndId), List.of("1|cancelled|" + createdAndId));
    }

    @Test
    void a_rejected_command_changes_no_view() {
        // given
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.OPEN), profile("customer-1")));
        List<List<String>> before = allViews();

        // when: an open session cannot be returned
        fixture.send(fixture.returnItems(SESSION, null, new ReturnedItem(0, 1)));

        // then
        assertThat(fixture.outcomes.readValuesToList().get(1).getAccepted()).isFalse();
        assertThat(allViews()).isEqualTo(before);
    }

    @Test
    void sessions_of_different_applications_and_profiles_are_kept_apart() {
        // when
        fixture.send(fixture.upsert(new SessionKey(1, "a"), Optional.empty(), profile("p")));
        fixture.send(fixture.upsert(new SessionKey(1, "b"), Optional.empty(), profile("p|x")));
        fixture.send(fixture.upsert(new SessionKey(12, "c"), Optional.empty(), profile("p")));

        // then
        assertThat(range(Topics.SESSIONS_BY_PROFILE_STORE, StoreKeys.profile(1, "p"))).containsExactly("a");
        assertThat(range(Topics.SESSIONS_BY_PROFILE_STORE, StoreKeys.profile(1, "p|x"))).containsExactly("b");
        assertThat(range(Topics.SESSIONS_BY_CREATED_STORE, StoreKeys.application(1))).containsExactly("a", "b");
        assertThat(range(Topics.SESSIONS_BY_STATE_STORE, StoreKeys.state(12, SessionState.OPEN))).containsExactly("c");
    }

    /** The end of {@link #SESSION}'s keys in the views ordered by creation: its creation time and id. */
    private String createdAndId() {
        return String.format("%016d|%016d", fixture.session(SESSION).getCreated().toEpochMilli(),
                fixture.session(SESSION).getId());
    }

    private List<String> values(String view) {
        List<String> values = new ArrayList<>();
        KeyValueStore<String, String> store = fixture.store(view);
        try (KeyValueIterator<String, String> all = store.all()) {
            all.forEachRemaining(entry -> values.add(entry.value));
        }
        return values;
    }

    private List<List<String>> allViews() {
        return SessionTopology.LISTING_VIEWS.stream().map(this::entries).toList();
    }

    private List<String> entries(String view) {
        List<String> keys = new ArrayList<>();
        KeyValueStore<String, String> store = fixture.store(view);
        try (KeyValueIterator<String, String> all = store.all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
    }

    private List<String> range(String view, StoreKeys.Range range) {
        List<String> values = new ArrayList<>();
        KeyValueStore<String, String> store = fixture.store(view);
        try (KeyValueIterator<String, String> entries = store.range(range.from(), range.to())) {
            entries.forEachRemaining((KeyValue<String, String> entry) -> values.add(entry.value));
        }
        return values;
    }

    private static SessionChanges profile(String profileId) {
        return SessionChanges.NONE.withProfileId(profileId);
    }
}
