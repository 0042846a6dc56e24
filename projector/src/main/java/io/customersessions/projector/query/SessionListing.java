package io.customersessions.projector.query;

import io.customersessions.avro.CustomerSessionState;
import io.customersessions.domain.CustomerSession;
import io.customersessions.domain.SessionKey;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.projector.views.StoreKeys;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Lists an application's sessions from the listing views. A query reads its candidates from the most selective
 * view its filters allow ({@link #access}), reads each candidate's session, applies every filter to it (the
 * view's own included, so a view never decides alone) and keeps the first {@code skip + pageSize} in sort order.
 *
 * <p>Cost: O(candidates) store reads and O(skip + pageSize) memory. The candidates are the matches of the chosen
 * view: one session for an exact {@code integrationId}, a profile's sessions, the sessions in one state or a
 * creation-time range, and otherwise (including every string filter under {@code partialMatch}) all sessions of
 * the application.
 */
@Singleton
public class SessionListing {

    /** Where a query's candidates come from, most selective first. */
    public enum Access {
        /** The session with that integration id: a point read of the session store. */
        INTEGRATION_ID,
        /** A range of {@code sessions-by-profile}. */
        PROFILE,
        /** A range of {@code sessions-by-state}. */
        STATE,
        /** A range of {@code sessions-by-created}. */
        CREATED_RANGE,
        /** Every entry of the application in {@code sessions-by-created}. */
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

    /** @throws StoreUnavailableException while the stores are not queryable */
    public Page list(ListingQuery query) {
        return StoreUnavailableException.whileReading(() -> {
            long app = query.applicationId();
            ReadOnlyKeyValueStore<String, CustomerSessionState> sessions = stores.sessions();
            long keep = (long) query.skip() + query.pageSize();
            FirstInOrder first = new FirstInOrder(query.sort().comparator(), keep);
            candidates(query, integrationId -> {
                CustomerSessionState state = sessions.get(new SessionKey(app, integrationId).asString());
                if (state != null) {
                    CustomerSession session = AvroCodec.fromAvro(state);
                    if (query.filters().matches(session)) {
                        first.offer(session);
                    }
                }
            });
            List<CustomerSession> kept = first.sorted();
            List<CustomerSession> page = kept.subList(Math.min(query.skip(), kept.size()), kept.size());
            return new Page(List.copyOf(page), first.matches() > keep);
        });
    }

    private void candidates(ListingQuery query, Consumer<String> integrationIds) {
        long app = query.applicationId();
        ListingQuery.Filters filters = query.filters();
        switch (access(filters)) {
            case INTEGRATION_ID -> integrationIds.accept(filters.integrationId().orElseThrow());
            case PROFILE -> scan(Topics.SESSIONS_BY_PROFILE_STORE,
                    StoreKeys.profile(app, filters.profile().orElseThrow()), integrationIds);
            case STATE -> scan(Topics.SESSIONS_BY_STATE_STORE,
                    StoreKeys.state(app, filters.state().orElseThrow()), integrationIds);
            case CREATED_RANGE -> {
                long from = filters.createdAfter().map(SessionListing::firstMilliAfter).orElse(0L);
                long to = filters.createdBefore().map(SessionListing::lastMilliBefore).orElse(Long.MAX_VALUE);
                if (from <= to) {
                    scan(Topics.SESSIONS_BY_CREATED_STORE, StoreKeys.created(app, from, to), integrationIds);
                }
            }
            case APPLICATION -> scan(Topics.SESSIONS_BY_CREATED_STORE, StoreKeys.application(app), integrationIds);
        }
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

    private void scan(String view, StoreKeys.Range range, Consumer<String> integrationIds) {
        try (KeyValueIterator<String, String> entries = stores.strings(view).range(range.from(), range.to())) {
            entries.forEachRemaining(entry -> integrationIds.accept(entry.value));
        }
    }

    /** The first {@code limit} offered sessions in sort order, in O(limit) memory, and how many were offered. */
    private static final class FirstInOrder {
        private final Comparator<CustomerSession> order;
        private final long limit;
        private final PriorityQueue<CustomerSession> lastOnTop;
        private long matches;

        FirstInOrder(Comparator<CustomerSession> order, long limit) {
            this.order = order;
            this.limit = limit;
            this.lastOnTop = new PriorityQueue<>(order.reversed());
        }

        void offer(CustomerSession session) {
            matches++;
            if (lastOnTop.size() < limit) {
                lastOnTop.add(session);
            } else if (order.compare(session, lastOnTop.peek()) < 0) {
                lastOnTop.poll();
                lastOnTop.add(session);
            }
        }

        long matches() {
            return matches;
        }

        List<CustomerSession> sorted() {
            List<CustomerSession> sorted = new ArrayList<>(lastOnTop);
            sorted.sort(order);
            return sorted;
        }
    }
}
