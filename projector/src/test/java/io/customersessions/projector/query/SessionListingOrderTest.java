package io.customersessions.projector.query;

import io.customersessions.domain.CartItem;
import io.customersessions.domain.CustomerSession;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import io.customersessions.projector.routing.PageMerge;
import io.customersessions.projector.streams.PartitionedViews;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listing over views spread across partitions, against a brute-force oracle: every matching session of the
 * application, sorted, sliced. Pages in the views' order stop early; the others scan; both must give the oracle's page.
 */
class SessionListingOrderTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private static final String[] PROFILES = {"", "alice", "bob", "a|b", "a\\"};
    private static final String[] COUPONS = {"SPRING", "SUMMER", "SPRINGTIME"};
    private static final String[] SORTS = {"id", "created", "integrationId", "storeIntegrationId",
            "profileintegrationid", "coupon", "referral", "state", "total", "totalDiscounts"};

    @Test
    void a_page_is_the_slice_of_every_matching_session_in_sort_order() {
        Random random = new Random(20261122);
        for (int run = 0; run < 300; run++) {
            // given
            PartitionedViews views = new PartitionedViews(1 + random.nextInt(4));
            Map<String, CustomerSession> all = sessions(random, views, random.nextInt(40));
            SessionListing listing = new SessionListing(views.stateStores());

            for (int q = 0; q < 10; q++) {
                ListingQuery query = randomQuery(random);

                // when
                SessionListing.Page page = listing.list(query);

                // then
                Oracle expected = oracle(all, query);
                assertThat(ids(page.sessions())).as("%s", query).isEqualTo(expected.page());
                assertThat(page.hasMore()).as("%s", query).isEqualTo(expected.hasMore());
            }
        }
    }

    /** What the Management controller does across instances: each answers its first rows, the router merges them. */
    @Test
    void the_first_rows_of_instances_owning_some_partitions_merge_into_the_page_of_all() {
        Random random = new Random(5);
        for (int run = 0; run < 200; run++) {
            // given: 2 or 3 instances, each owning some of 4 partitions
            PartitionedViews views = new PartitionedViews(4);
            Map<String, CustomerSession> all = sessions(random, views, random.nextInt(40));
            int instances = 2 + random.nextInt(2);
            int[] owner = random.ints(4, 0, instances).toArray();
            ListingQuery query = randomQuery(random);

            // when
            PageMerge.Window firstRows = PageMerge.Window.upToEndOf(query.skip(), query.pageSize());
            List<PageMerge.Part<CustomerSession>> parts = new ArrayList<>();
            for (int instance = 0; instance < instances; instance++) {
                int self = instance;
                SessionListing.Page first = new SessionListing(views.stateStores(p -> owner[p] == self))
                        .list(query.window(firstRows.skip(), firstRows.pageSize()));
                parts.add(new PageMerge.Part<>(first.sessions(), first.hasMore()));
            }
            PageMerge.Part<CustomerSession> page = PageMerge.page(parts, query.sort().comparator(), query.skip(),
                    query.pageSize());

            // then
            Oracle expected = oracle(all, query);
            assertThat(ids(page.rows())).as("%s", query).isEqualTo(expected.page());
            assertThat(page.hasMore()).as("%s", query).isEqualTo(expected.hasMore());
        }
    }

    @Test
    void a_page_in_the_order_of_its_view_reads_about_a_page_of_candidates_not_every_session() {
        // given: 10 000 open sessions over 6 partitions
        PartitionedViews views = new PartitionedViews(6);
        for (int i = 0; i < 10_000; i++) {
            views.put(session(views.nextId(i % 6), "s-" + i, 1, "customer-" + (i % 3), SessionState.OPEN,
                    T0.plusMillis(i * 7L % 10_000), List.of(), "", null, "1"));
        }
        SessionListing listing = new SessionListing(views.stateStores());

        for (Map<String, String> parameters : List.of(
                Map.of("state", "open", "pageSize", "10"),
                Map.of("state", "open", "pageSize", "10", "sort", "-created"),
                Map.of("profile", "customer-1", "pageSize", "10"),
                Map.of("pageSize", "10", "sort", "-id"),
                Map.of("pageSize", "10", "createdAfter", T0.plusSeconds(5).toString()))) {
            views.sessionReads.set(0);
            views.viewEntriesRead.set(0);

            // when
            SessionListing.Page page = listing.list(query(parameters));

            // then: the page and one more match (for hasMore), plus one entry ahead in each partition
            assertThat(page.sessions()).as("%s", parameters).hasSize(10);
            assertThat(page.hasMore()).isTrue();
            assertThat(views.sessionReads.get()).as("%s", parameters).isEqualTo(11);
            assertThat(views.viewEntriesRead.get()).as("%s", parameters).isLessThanOrEqualTo(11 + 6);
        }
    }

    @Test
    void a_sort_the_view_is_not_keyed_by_reads_every_candidate() {
        // given
        PartitionedViews views = new PartitionedViews(3);
        for (int i = 0; i < 300; i++) {
            views.put(session(views.nextId(i % 3), "s-" + i, 1, "", SessionState.OPEN, T0.plusMillis(i), List.of(),
                    "", null, Integer.toString(i % 17)));
        }
        SessionListing listing = new SessionListing(views.stateStores());

        // when
        SessionListing.Page page = listing.list(query(Map.of("state", "open", "pageSize", "10", "sort", "-total")));

        // then
        assertThat(page.sessions()).extracting(CustomerSession::total)
                .allMatch(total -> total.compareTo(new BigDecimal("16")) == 0);
        assertThat(views.sessionReads.get()).isEqualTo(300);
    }

    @Test
    void a_deep_page_of_a_sort_the_view_is_not_keyed_by_keeps_sort_values_and_reads_its_own_rows_again() {
        // given
        PartitionedViews views = new PartitionedViews(3);
        for (int i = 0; i < 300; i++) {
            views.put(session(views.nextId(i % 3), "s-" + i, 1, "", SessionState.OPEN, T0.plusMillis(i), List.of(),
                    "", null, Integer.toString(i)));
        }
        SessionListing listing = new SessionListing(views.stateStores());

        // when
        SessionListing.Page page = listing.list(query(Map.of("pageSize", "10", "skip", "200", "sort", "-total")));

        // then every candidate was read once to rank it, and only the page's ten again
        assertThat(page.sessions()).extracting(CustomerSession::total).extracting(BigDecimal::intValue)
                .containsExactly(99, 98, 97, 96, 95, 94, 93, 92, 91, 90);
        assertThat(page.hasMore()).isTrue();
        assertThat(views.sessionReads.get()).isEqualTo(300 + 10);
    }

    private record Oracle(List<String> page, boolean hasMore) {
    }

    private static Oracle oracle(Map<String, CustomerSession> all, ListingQuery query) {
        List<CustomerSession> matching = all.values().stream()
                .filter(s -> s.key().applicationId() == query.applicationId())
                .filter(query.filters()::matches)
                .sorted(query.sort().comparator())
                .toList();
        long end = (long) query.skip() + query.pageSize();
        List<CustomerSession> page = matching.subList((int) Math.min(query.skip(), matching.size()),
                (int) Math.min(end, matching.size()));
        return new Oracle(ids(page), matching.size() > end);
    }

    /** {@code count} sessions of applications 1 and 2, some changed after creation (they move in the views). */
    private static Map<String, CustomerSession> sessions(Random random, PartitionedViews views, int count) {
        Map<String, CustomerSession> all = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            long app = random.nextInt(5) == 0 ? 2 : 1;
            List<String> coupons = random.nextBoolean() ? List.of()
                    : List.of(COUPONS[random.nextInt(COUPONS.length)]);
            CustomerSession session = session(views.nextId(random.nextInt(views.partitions())), "s-" + i, app,
                    pick(random, PROFILES), randomState(random), T0.plusMillis(random.nextInt(12) * 500L), coupons,
                    random.nextBoolean() ? "" : "R" + random.nextInt(3),
                    random.nextBoolean() ? null : "store-" + random.nextInt(3), Integer.toString(random.nextInt(5)));
            views.put(session);
            if (random.nextInt(4) == 0) {
                session = session(session.id(), session.key().integrationId(), app, pick(random, PROFILES),
                        randomState(random), session.created(), session.couponCodes(), session.referralCode(),
                        session.storeIntegrationId(), session.total().toPlainString());
                views.put(session);
            }
            all.put(session.key().asString(), session);
        }
        return all;
    }

    private static ListingQuery randomQuery(Random random) {
        Map<String, String> parameters = new HashMap<>();
        if (random.nextInt(3) == 0) {
            parameters.put("profile", random.nextBoolean() ? pick(random, PROFILES) : "a");
        }
        if (random.nextInt(3) == 0) {
            parameters.put("state", randomState(random).wireName());
        }
        if (random.nextInt(4) == 0) {
            parameters.put("createdAfter", randomTime(random).toString());
        }
        if (random.nextInt(4) == 0) {
            parameters.put("createdBefore", randomTime(random).toString());
        }
        if (random.nextInt(5) == 0) {
            parameters.put("coupon", random.nextBoolean() ? pick(random, COUPONS) : "SPRING");
        }
        if (random.nextInt(6) == 0) {
            parameters.put("referral", "R" + random.nextInt(3));
        }
        if (random.nextInt(8) == 0) {
            parameters.put("integrationId", "s-" + random.nextInt(40));
        }
        if (random.nextInt(6) == 0) {
            parameters.put("storeIntegrationId", "store-" + random.nextInt(3));
        }
        if (random.nextInt(5) == 0) {
            parameters.put("partialMatch", "true");
        }
        if (random.nextInt(4) != 0) {
            parameters.put("sort", (random.nextBoolean() ? "-" : "") + pick(random, SORTS));
        }
        parameters.put("skip", Integer.toString(random.nextInt(8)));
        parameters.put("pageSize", Integer.toString(1 + random.nextInt(8)));
        return query(parameters);
    }

    /** Around the creation times of {@link #sessions}, on and between whole milliseconds. */
    private static Instant randomTime(Random random) {
        Instant time = T0.plusMillis(random.nextInt(14) * 500L - 500);
        return random.nextBoolean() ? time : time.plusNanos(300_000);
    }

    private static SessionState randomState(Random random) {
        return SessionState.values()[random.nextInt(SessionState.values().length)];
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static CustomerSession session(long id, String integrationId, long app, String profile,
                                           SessionState state, Instant created, List<String> coupons,
                                           String referral, String store, String price) {
        return new CustomerSession(new SessionKey(app, integrationId), id, profile, store, List.of(), coupons,
                referral, List.of(), state, List.of(CartItem.of("sku", 1, new BigDecimal(price))), new TreeMap<>(),
                List.of(), new TreeMap<>(), profile.isEmpty(), 1, created, created);
    }

    private static ListingQuery query(Map<String, String> parameters) {
        ListingQuery.Parsed parsed = ListingQuery.parse(1, name -> Optional.ofNullable(parameters.get(name)));
        assertThat(parsed).isInstanceOf(ListingQuery.Valid.class);
        return ((ListingQuery.Valid) parsed).query();
    }

    private static List<String> ids(List<CustomerSession> sessions) {
        return sessions.stream().map(s -> s.key().integrationId()).toList();
    }
}
