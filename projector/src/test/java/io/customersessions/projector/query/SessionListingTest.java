package io.customersessions.projector.query;

import io.customersessions.avro.CustomerSessionState;
import io.customersessions.domain.CartItem;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import io.customersessions.projector.streams.TopologyFixture;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Listing against the processor's real stores. Every candidate costs one read of the session store, so counting
 * those reads shows which view a query used and that a selective filter never reads every session.
 */
class SessionListingTest {

    private final TopologyFixture fixture = new TopologyFixture();
    private final AtomicInteger sessionReads = new AtomicInteger();
    private final SessionListing listing = new SessionListing(counting(fixture.stateStores()));

    @BeforeEach
    void sessions() {
        create("s-1", "alice", SessionState.OPEN, "store-1", "SPRING", "R1", "10");
        create("s-2", "alice", SessionState.CLOSED, "store-2", "SUMMER", "", "30");
        create("s-3", "bob", SessionState.OPEN, "store-1", "SPRING", "", "20");
        create("s-4", "", SessionState.OPEN, null, null, "", "5");
        create("s-5", "carol", SessionState.CANCELLED, "store-1", null, "R2", "20");
        fixture.send(fixture.upsert(new SessionKey(2, "x-1"), Optional.empty(),
                SessionChanges.NONE.withProfileId("alice")));
    }

    @AfterEach
    void closeDriver() {
        fixture.close();
    }

    @Test
    void an_exact_profile_reads_only_that_profiles_sessions() {
        // when
        SessionListing.Page page = list(Map.of("profile", "alice"));

        // then
        assertThat(ids(page)).containsExactly("s-1", "s-2");
        assertThat(sessionReads).hasValue(2);
    }

    @Test
    void an_exact_integration_id_reads_one_session() {
        // when
        SessionListing.Page page = list(Map.of("integrationId", "s-3", "profile", "bob"));

        // then
        assertThat(ids(page)).containsExactly("s-3");
        assertThat(sessionReads).hasValue(1);
    }

    @Test
    void an_instance_that_does_not_own_the_exact_integration_ids_partition_lists_nothing_for_it() {
        // given the stores of an instance that owns no partition: a point read there fails, as in Kafka Streams
        StateStores elsewhere = new StateStores() {
            @Override
            public boolean ownsKey(String name, String key) {
                return false;
            }

            @Override
            public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
                throw new InvalidStateStoreException("The specified partition 3 for store " + name
                        + " does not exist.");
            }
        };

        // when the listing gathers this instance's part
        SessionListing.Page page = new SessionListing(elsewhere).list(query(1, Map.of("integrationId", "s-3")));

        // then it is empty, and the owner's part has the session
        assertThat(page.sessions()).isEmpty();
        assertThat(page.hasMore()).isFalse();
        assertThat(ids(list(Map.of("integrationId", "s-3")))).containsExactly("s-3");
    }

    @Test
    void a_state_reads_that_states_sessions_and_the_other_filters_narrow_them() {
        // when
        SessionListing.Page page = list(Map.of("state", "open", "coupon", "SPRING"));

        // then
        assertThat(ids(page)).containsExactly("s-1", "s-3");
        assertThat(sessionReads).hasValue(3);
    }

    @Test
    void a_creation_range_reads_only_the_sessions_created_within_it() {
        // when: both bounds are exclusive
        SessionListing.Page page = list(Map.of(
                "createdAfter", created("s-1").toString(),
                "createdBefore", created("s-4").toString()));

        // then
        assertThat(ids(page)).containsExactly("s-2", "s-3");
        assertThat(sessionReads).hasValue(2);
    }

    @Test
    void partial_matches_read_every_session_of_the_application() {
        // when
        SessionListing.Page page = list(Map.of("profile", "li", "partialMatch", "true"));

        // then
        assertThat(ids(page)).containsExactly("s-1", "s-2");
        assertThat(sessionReads).hasValue(5);
    }

    @Test
    void every_string_filter_matches_exactly_or_as_a_substring() {
        assertThat(ids(list(Map.of("storeIntegrationId", "store-1")))).containsExactly("s-1", "s-3", "s-5");
        assertThat(ids(list(Map.of("storeIntegrationId", "store", "partialMatch", "true"))))
                .containsExactly("s-1", "s-2", "s-3", "s-5");
        assertThat(ids(list(Map.of("referral", "R1")))).containsExactly("s-1");
        assertThat(ids(list(Map.of("referral", "R", "partialMatch", "true")))).containsExactly("s-1", "s-5");
        assertThat(ids(list(Map.of("coupon", "SUM", "partialMatch", "true")))).containsExactly("s-2");
        assertThat(ids(list(Map.of("integrationId", "s-", "partialMatch", "true")))).hasSize(5);
        assertThat(ids(list(Map.of("state", "cancelled")))).containsExactly("s-5");
    }

    @Test
    void another_applications_sessions_are_never_listed() {
        assertThat(ids(listing.list(query(2, Map.of())))).containsExactly("x-1");
        assertThat(ids(listing.list(query(2, Map.of("profile", "alice"))))).containsExactly("x-1");
        assertThat(ids(listing.list(query(3, Map.of())))).isEmpty();
    }

    @Test
    void pages_follow_each_other_without_overlap_and_say_whether_more_follow() {
        // when
        SessionListing.Page first = list(Map.of("pageSize", "2", "sort", "-created"));
        SessionListing.Page second = list(Map.of("pageSize", "2", "skip", "2", "sort", "-created"));
        SessionListing.Page last = list(Map.of("pageSize", "2", "skip", "4", "sort", "-created"));
        SessionListing.Page beyond = list(Map.of("pageSize", "2", "skip", "6", "sort", "-created"));

        // then
        assertThat(ids(first)).containsExactly("s-5", "s-4");
        assertThat(first.hasMore()).isTrue();
        assertThat(ids(second)).containsExactly("s-3", "s-2");
        assertThat(second.hasMore()).isTrue();
        assertThat(ids(last)).containsExactly("s-1");
        assertThat(last.hasMore()).isFalse();
        assertThat(ids(beyond)).isEmpty();
        assertThat(beyond.hasMore()).isFalse();
    }

    @Test
    void a_page_that_ends_with_the_last_match_has_no_more() {
        assertThat(list(Map.of("pageSize", "5")).hasMore()).isFalse();
        assertThat(list(Map.of("pageSize", "4")).hasMore()).isTrue();
    }

    @Test
    void equal_sort_values_are_ordered_by_id_in_the_same_direction() {
        // when
        SessionListing.Page ascending = list(Map.of("sort", "total"));
        SessionListing.Page descending = list(Map.of("sort", "-total"));

        // then: s-3 and s-5 both total 20, s-3 has the smaller id
        assertThat(ids(ascending)).containsExactly("s-4", "s-1", "s-3", "s-5", "s-2");
        assertThat(ids(descending)).containsExactly("s-2", "s-5", "s-3", "s-1", "s-4");
    }

    @Test
    void the_keys_of_a_page_are_its_sessions_keys_in_the_same_order_with_the_same_has_more() {
        // every sort, from a view in its order or not, filtered or not, at every window of the five sessions
        for (String sort : List.of("created", "-created", "id", "-id", "total", "-total", "integrationId", "state")) {
            for (Map<String, String> filter : List.of(Map.<String, String>of(), Map.of("state", "open"))) {
                for (int skip = 0; skip <= 5; skip++) {
                    for (int pageSize = 1; pageSize <= 3; pageSize++) {
                        Map<String, String> parameters = new HashMap<>(filter);
                        parameters.putAll(Map.of("sort", sort, "skip", "" + skip, "pageSize", "" + pageSize));
                        ListingQuery query = query(1, parameters);

                        // when
                        SessionListing.Page page = listing.list(query);
                        SessionListing.Keys<String> keys = listing.keys(query, s -> s.key().integrationId());

                        // then
                        assertThat(keys.keys()).as("%s", parameters).isEqualTo(ids(page));
                        assertThat(keys.hasMore()).as("%s", parameters).isEqualTo(page.hasMore());
                    }
                }
            }
        }
    }

    @Test
    void the_keys_of_a_window_read_each_session_once_and_make_keys_only_for_sessions_kept() {
        // when: the keys of the first two sessions by total, as a deeper page's first round asks
        List<String> made = new ArrayList<>();
        sessionReads.set(0);
        SessionListing.Keys<String> keys = listing.keys(query(1, Map.of("sort", "total", "pageSize", "2")),
                session -> {
                    made.add(session.key().integrationId());
                    return session.key().integrationId();
                });

        // then: every candidate read once, in creation order; s-5 (20), read once 5 and 10 were kept, made no key
        assertThat(keys.keys()).containsExactly("s-4", "s-1");
        assertThat(sessionReads).hasValue(5);
        assertThat(made).containsExactly("s-1", "s-2", "s-3", "s-4");
    }

    private void create(String integrationId, String profile, SessionState state, String store, String coupon,
                        String referral, String price) {
        SessionKey key = new SessionKey(1, integrationId);
        SessionChanges changes = new SessionChanges(profile, store, null, coupon == null ? null : List.of(coupon),
                referral, null, List.of(CartItem.of("sku", 1, new BigDecimal(price))), null, null, null, null);
        fixture.send(fixture.upsert(key, Optional.of(SessionState.OPEN), changes));
        if (state != SessionState.OPEN) {
            fixture.send(fixture.upsert(key, Optional.of(state), SessionChanges.NONE));
        }
    }

    private Instant created(String integrationId) {
        return fixture.session(new SessionKey(1, integrationId)).getCreated();
    }

    private SessionListing.Page list(Map<String, String> parameters) {
        sessionReads.set(0);
        return listing.list(query(1, parameters));
    }

    private static ListingQuery query(long applicationId, Map<String, String> parameters) {
        return ((ListingQuery.Valid) ListingQuery.parse(applicationId,
                name -> Optional.ofNullable(parameters.get(name)))).query();
    }

    private static List<String> ids(SessionListing.Page page) {
        return page.sessions().stream().map(s -> s.key().integrationId()).toList();
    }

    private StateStores counting(StateStores stores) {
        return new StateStores() {
            @Override
            public ReadOnlyKeyValueStore<String, CustomerSessionState> sessions() {
                ReadOnlyKeyValueStore<String, CustomerSessionState> sessions = stores.sessions();
                return new ReadOnlyKeyValueStore<>() {
                    @Override
                    public CustomerSessionState get(String key) {
                        sessionReads.incrementAndGet();
                        return sessions.get(key);
                    }

                    @Override
                    public KeyValueIterator<String, CustomerSessionState> range(String from, String to) {
                        throw new AssertionError("listing must not scan the session store");
                    }

                    @Override
                    public KeyValueIterator<String, CustomerSessionState> all() {
                        throw new AssertionError("listing must not scan the session store");
                    }

                    @Override
                    public long approximateNumEntries() {
                        return sessions.approximateNumEntries();
                    }
                };
            }

            @Override
            public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
                return stores.store(name);
            }
        };
    }
}
