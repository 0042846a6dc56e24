package io.customersessions.projector.query;

import io.customersessions.avro.CustomerSessionState;
import io.customersessions.domain.CustomerSession;
import io.customersessions.domain.SessionKey;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.projector.views.StoreKeys;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Lists an application's sessions from the listing views. A query reads its candidates from the most selective
 * view its filters allow ({@link #access}), reads each candidate's session and applies every filter to it (the
 * view's own included, so a view never decides alone).
 *
 * <p>Cost. The views (one store, {@code session-listing}) are keyed in the listing's default order ({@link
 * StoreKeys}): the profile, state and creation-time views by creation time then id, the id view by id.
 * When the query's sort is the order of the view it reads ({@link #inViewOrder}: {@code created} or
 * {@code -created} for a profile, a state, a creation-time range or the whole application; {@code id} or
 * {@code -id} for the whole application), each of this instance's partitions of the view is scanned in that order,
 * the scans are merged, and the walk stops after {@code skip + pageSize + 1} matches (the last one only tells
 * {@code hasMore}): O(skip + pageSize + candidates that fail the other filters on the way) store reads, O(pageSize)
 * memory, however many sessions the view range holds. Any other sort (or {@code id} within a profile, a state or a
 * time range) reads every candidate of the range and keeps the first {@code skip + pageSize} in sort order with a
 * bounded heap: O(candidates) reads, O(skip + pageSize) memory. The candidates are one session for an exact
 * {@code integrationId}, a profile's sessions, the sessions in one state, those created in a time range (each
 * narrowed by {@code createdAfter}/{@code createdBefore}), and otherwise (including every string filter under
 * {@code partialMatch}) all sessions of the application.
 */
@Singleton
public class SessionListing {

    /** Where a query's candidates come from, most selective first. */
    public enum Access {
        /** The session with that integration id: a point read of the session store. */
        INTEGRATION_ID,
        /** A range of the profile view. */
        PROFILE,
        /** A range of the state view. */
        STATE,
        /** A range of the creation-time view. */
        CREATED_RANGE,
        /** Every entry of the application in the creation-time view, or in the id view when sorted by id. */
        APPLICATION
    }

    /** {@code hasMore}: more sessions match after this page. */
    public record Page(List<CustomerSession> sessions, boolean hasMore) {
    }

    private final StateStores stores;

    public SessionListing(StateStores stores) {
        this.stores = stores;
    }

    /** Exact string filters can use a view; under {@code partialMatch} only state and creation time can. */
    public static Access access(ListingQuery.Filters filters) {
        if (!filters.partialMatch() && filters.integrationId().isPresent()) {
            return Access.INTEGRATION_ID;
        }
        if (!filters.partialMatch() && filters.profile().isPresent()) {
            return Access.PROFILE;
        }
        if (filters.state().isPresent()) {
            return Access.STATE;
        }
        if (filters.createdAfter().isPresent() || filters.createdBefore().isPresent()) {
            return Access.CREATED_RANGE;
        }
        return Access.APPLICATION;
    }

    /**
     * True when the view the query reads is keyed in the query's sort order (either direction), so a page costs
     * O(skip + pageSize) reads rather than a read of every candidate.
     */
    public static boolean inViewOrder(ListingQuery query) {
        return switch (access(query.filters())) {
            case INTEGRATION_ID -> false;
            case PROFILE, STATE, CREATED_RANGE -> query.sort().field() == ListingQuery.SortField.CREATED;
            case APPLICATION -> query.sort().field() == ListingQuery.SortField.CREATED
                    || query.sort().field() == ListingQuery.SortField.ID;
        };
    }

    /** @throws StoreUnavailableException while the stores are not queryable */
    public Page list(ListingQuery query) {
        Rows<CustomerSession> rows = rows(query, session -> session, false);
        return new Page(rows.rows(), rows.hasMore());
    }

    /** {@code hasMore}: more sessions match after this page. */
    public record Keys<K>(List<K> keys, boolean hasMore) {
    }

    /**
     * The sort keys of the page's sessions, in the listing's order, each as {@code key} makes it from its session:
     * what the first round of a deeper page gathered across instances asks of each (a window from 0). A session is
     * mapped as it is read, and only if it is among the first so far, then let go, so a window of any depth holds
     * keys and sort values, never sessions, and no session is read twice.
     *
     * @throws StoreUnavailableException while the stores are not queryable
     */
    public <K> Keys<K> keys(ListingQuery query, Function<CustomerSession, K> key) {
        Rows<K> rows = rows(query, key, true);
        return new Keys<>(rows.rows(), rows.hasMore());
    }

    /** The page's rows, each as {@code each} makes it from its session. */
    private record Rows<T>(List<T> rows, boolean hasMore) {
    }

    /** @param keysOnly {@code each} makes a sort key: keep it with the sort value, and read no session again */
    private <T> Rows<T> rows(ListingQuery query, Function<CustomerSession, T> each, boolean keysOnly) {
        return StoreUnavailableException.whileReading(() -> {
            ListingQuery.Filters filters = query.filters();
            if (access(filters) == Access.INTEGRATION_ID) {
                // Every instance lists its own part: the one that owns the session's partition answers for it.
                String integrationId = filters.integrationId().orElseThrow();
                String sessionKey = new SessionKey(query.applicationId(), integrationId).asString();
                return stores.ownsKey(Topics.SESSION_STORE, sessionKey)
                        ? sorted(query, List.of(integrationId).iterator(), each, keysOnly)
                        : new Rows<T>(List.of(), false);
            }
            long from = filters.createdAfter().map(SessionListing::firstMilliAfter).orElse(0L);
            long to = filters.createdBefore().map(SessionListing::lastMilliBefore).orElse(Long.MAX_VALUE);
            if (from > to) {
                return new Rows<T>(List.of(), false);
            }
            StoreKeys.Range range = range(query, from, to);
            if (inViewOrder(query)) {
                try (KeyValueIterator<String, String> entries =
                             stores.inKeyOrder(Topics.SESSION_LISTING_STORE, range, query.sort().descending())) {
                    return firstInViewOrder(query, values(entries), each);
                }
            }
            try (KeyValueIterator<String, String> entries =
                         stores.strings(Topics.SESSION_LISTING_STORE).range(range.from(), range.to())) {
                return sorted(query, values(entries), each, keysOnly);
            }
        });
    }

    /** The entries of the view that can match: every view but the id view narrows by creation time. */
    private static StoreKeys.Range range(ListingQuery query, long from, long to) {
        long app = query.applicationId();
        ListingQuery.Filters filters = query.filters();
        return switch (access(filters)) {
            case PROFILE -> StoreKeys.profile(app, filters.profile().orElseThrow(), from, to);
            case STATE -> StoreKeys.state(app, filters.state().orElseThrow(), from, to);
            case APPLICATION -> query.sort().field() == ListingQuery.SortField.ID
                    ? StoreKeys.ids(app) : StoreKeys.created(app, from, to);
            case CREATED_RANGE -> StoreKeys.created(app, from, to);
            case INTEGRATION_ID -> throw new IllegalArgumentException("an exact integrationId reads no view");
        };
    }

    /** Candidates already in sort order: the page is the matches from {@code skip}, read until one after it. */
    private <T> Rows<T> firstInViewOrder(ListingQuery query, Iterator<String> integrationIds,
                                         Function<CustomerSession, T> each) {
        ReadOnlyKeyValueStore<String, CustomerSessionState> sessions = stores.sessions();
        long keep = (long) query.skip() + query.pageSize();
        List<T> page = new ArrayList<>();
        long matches = 0;
        while (matches <= keep && integrationIds.hasNext()) {
            Optional<CustomerSession> match = session(sessions, query.applicationId(), integrationIds.next())
                    .filter(query.filters()::matches);
            if (match.isPresent()) {
                matches++;
                if (matches > query.skip() && matches <= keep) {
                    page.add(each.apply(match.get()));
                }
            }
        }
        return new Rows<>(List.copyOf(page), matches > keep);
    }

    /**
     * Candidates in any order: every one is read, and the first {@code skip + pageSize} matches are kept. On a first
     * page they are the page; deeper, they are kept by their sort value alone ({@link Ranked}: a few dozen bytes
     * each, however large the sessions), and the page's sessions are read again; when only keys are asked, each is
     * kept with its key, made when it is kept. A deep page ({@code skip} up to 2^31 − 1) of a large application
     * holds that many sort values, never that many sessions. A page row changed between the two reads is shown as
     * it is now, and left out if it no longer matches, as between two page requests.
     */
    private <T> Rows<T> sorted(ListingQuery query, Iterator<String> integrationIds,
                               Function<CustomerSession, T> each, boolean keysOnly) {
        ReadOnlyKeyValueStore<String, CustomerSessionState> sessions = stores.sessions();
        long keep = (long) query.skip() + query.pageSize();
        if (keysOnly) {
            FirstInOrder<Keyed<T>> first = new FirstInOrder<>(Comparator.comparing(Keyed::ranked,
                    Ranked.order(query.sort())), keep);
            integrationIds.forEachRemaining(integrationId -> session(sessions, query.applicationId(), integrationId)
                    .filter(query.filters()::matches)
                    .ifPresent(session -> {
                        Ranked ranked = Ranked.of(query.sort(), session);
                        first.offer(new Keyed<>(ranked, null), () -> new Keyed<>(ranked, each.apply(session)));
                    }));
            List<Keyed<T>> kept = first.sorted();
            return new Rows<>(kept.subList(Math.min(query.skip(), kept.size()), kept.size()).stream()
                    .map(Keyed::key).toList(), first.matches() > keep);
        }
        if (query.skip() == 0) { // the kept matches are the page: kept whole, read once
            FirstInOrder<CustomerSession> first = firstMatches(query, integrationIds, sessions,
                    query.sort().comparator(), session -> session);
            return new Rows<>(first.sorted().stream().map(each).toList(), first.matches() > keep);
        }
        FirstInOrder<Ranked> first = firstMatches(query, integrationIds, sessions, Ranked.order(query.sort()),
                session -> Ranked.of(query.sort(), session));
        List<Ranked> kept = first.sorted();
        List<T> page = new ArrayList<>();
        for (Ranked row : kept.subList(Math.min(query.skip(), kept.size()), kept.size())) {
            session(sessions, query.applicationId(), row.integrationId())
                    .filter(query.filters()::matches)
                    .ifPresent(session -> page.add(each.apply(session)));
        }
        return new Rows<>(List.copyOf(page), first.matches() > keep);
    }

    /** Reads every candidate and keeps the first {@code skip + pageSize} matches, each as {@code kept} makes it. */
    private static <T> FirstInOrder<T> firstMatches(ListingQuery query, Iterator<String> integrationIds,
                                                    ReadOnlyKeyValueStore<String, CustomerSessionState> sessions,
                                                    Comparator<T> order, Function<CustomerSession, T> kept) {
        FirstInOrder<T> first = new FirstInOrder<>(order, (long) query.skip() + query.pageSize());
        integrationIds.forEachRemaining(integrationId -> session(sessions, query.applicationId(), integrationId)
                .filter(query.filters()::matches)
                .ifPresent(session -> first.offer(kept.apply(session))));
        return first;
    }

    /** A match's sort value and the key made from it, for {@link #keys}. */
    private record Keyed<K>(Ranked ranked, K key) {
    }

    /** A match as the listing orders it (its sort value, then its id), and where to read it again. */
    private record Ranked(Comparable<?> value, long id, String integrationId) {

        static Ranked of(ListingQuery.Sort sort, CustomerSession session) {
            return new Ranked(sort.field().valueOf(session), session.id(), session.key().integrationId());
        }

        /** The order of {@link ListingQuery.Sort#comparator()}, on the kept values. */
        @SuppressWarnings({"unchecked", "rawtypes"})
        static Comparator<Ranked> order(ListingQuery.Sort sort) {
            Comparator<Ranked> byValue = (a, b) -> ((Comparable) a.value()).compareTo(b.value());
            Comparator<Ranked> ascending = byValue.thenComparingLong(Ranked::id);
            return sort.descending() ? ascending.reversed() : ascending;
        }
    }

    private static Optional<CustomerSession> session(ReadOnlyKeyValueStore<String, CustomerSessionState> sessions,
                                                     long applicationId, String integrationId) {
        return Optional.ofNullable(sessions.get(new SessionKey(applicationId, integrationId).asString()))
                .map(AvroCodec::fromAvro);
    }

    private static Iterator<String> values(KeyValueIterator<String, String> entries) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public String next() {
                KeyValue<String, String> entry = entries.next();
                return entry.value;
            }
        };
    }

    /** Creation times are whole milliseconds: the first one after {@code time} ({@code toEpochMilli} floors). */
    private static long firstMilliAfter(Instant time) {
        return time.toEpochMilli() + 1;
    }

    /** The last whole millisecond before {@code time}. */
    private static long lastMilliBefore(Instant time) {
        boolean whole = time.getNano() % 1_000_000 == 0;
        return whole ? time.toEpochMilli() - 1 : time.toEpochMilli();
    }

    /** The first {@code limit} offered values in {@code order}, in O(limit) memory, and how many were offered. */
    private static final class FirstInOrder<T> {
        private final Comparator<T> order;
        private final long limit;
        private final PriorityQueue<T> lastOnTop;
        private long matches;

        FirstInOrder(Comparator<T> order, long limit) {
            this.order = order;
            this.limit = limit;
            this.lastOnTop = new PriorityQueue<>(order.reversed());
        }

        void offer(T value) {
            offer(value, () -> value);
        }

        /** {@code probe} orders like the value {@code kept} makes, which is made only if the value is kept. */
        void offer(T probe, Supplier<T> kept) {
            matches++;
            if (lastOnTop.size() < limit) {
                lastOnTop.add(kept.get());
            } else if (order.compare(probe, lastOnTop.peek()) < 0) {
                lastOnTop.poll();
                lastOnTop.add(kept.get());
            }
        }

        long matches() {
            return matches;
        }

        List<T> sorted() {
            List<T> sorted = new ArrayList<>(lastOnTop);
            sorted.sort(order);
            return sorted;
        }
    }
}
