package io.customersessions.projector.query;

import io.customersessions.domain.CustomerSession;
import io.customersessions.domain.SessionDecider;
import io.customersessions.domain.SessionEvent;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.projector.views.StoreKeys;
import io.customersessions.projector.views.StoredEvent;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Reads the {@code session-history} store: a session's events in order, the application-wide event listing, and a
 * session as it was at an instant or an {@code updateCount}, folded from its stored events with the domain's
 * {@link SessionDecider#evolve} (never from a snapshot).
 *
 * <p>Cost: a session's history or as-of is one range scan of that session's entries. The application-wide listing
 * reads its candidates from the session's entries when {@code session} is given, else from the {@code
 * events-by-time} index within the time bounds (every event of the application without bounds), with one point
 * read per candidate and O(skip + pageSize) sort keys in memory: an instance's stores span several partitions, each
 * in key order, so the page is the first entries of their merge.
 */
@Singleton
public class SessionHistory {

    /** {@code hasMore}: more events match after this page. */
    public record Page(List<StoredEvent> events, boolean hasMore) {
    }

    private final StateStores stores;

    public SessionHistory(StateStores stores) {
        this.stores = stores;
    }

    /** @throws StoreUnavailableException while the stores are not queryable */
    public Page sessionEvents(long applicationId, String integrationId, int pageSize, int skip) {
        return StoreUnavailableException.whileReading(() -> {
            List<StoredEvent> page = new ArrayList<>();
            long seen = 0;
            boolean hasMore = false;
            StoreKeys.Range range = StoreKeys.sessionHistory(applicationId, integrationId);
            try (KeyValueIterator<String, StoredEvent> entries = stores.history().range(range.from(), range.to())) {
                while (entries.hasNext()) {
                    StoredEvent stored = entries.next().value;
                    if (seen++ < skip) {
                        continue;
                    }
                    if (page.size() == pageSize) {
                        hasMore = true;
                        break;
                    }
                    page.add(stored);
                }
            }
            return new Page(List.copyOf(page), hasMore);
        });
    }

    /** The session after its last event at or before {@code instant}; empty if it did not exist yet. */
    public Optional<CustomerSession> asOf(long applicationId, String integrationId, Instant instant) {
        return fold(StoreKeys.sessionHistory(applicationId, integrationId),
                event -> !event.meta().time().isAfter(instant));
    }

    /** The session right after the event that made its {@code updateCount} {@code count}; empty if there is none. */
    public Optional<CustomerSession> asOfUpdateCount(long applicationId, String integrationId, long count) {
        return fold(StoreKeys.sessionHistoryUpTo(applicationId, integrationId, count), event -> true)
                .filter(session -> session.updateCount() == count);
    }

    /** Event times never go backwards within a session, so the first event outside {@code include} ends the fold. */
    private Optional<CustomerSession> fold(StoreKeys.Range range, Predicate<SessionEvent> include) {
        return StoreUnavailableException.whileReading(() -> {
            Optional<CustomerSession> folded = Optional.empty();
            try (KeyValueIterator<String, StoredEvent> entries = stores.history().range(range.from(), range.to())) {
                while (entries.hasNext()) {
                    SessionEvent event = AvroCodec.fromAvro(entries.next().value.event());
                    if (!include.test(event)) {
                        break;
                    }
                    folded = Optional.of(SessionDecider.evolve(folded, event));
                }
            }
            return folded;
        });
    }

    /**
     * The first {@code skip + pageSize} matches are kept by their sort key alone ({@link Ranked}: time, session,
     * updateCount and where the entry is stored), and the page's own entries are read again: a deep page holds
     * that many keys, never that many events (each up to a session's size).
     *
     * @throws StoreUnavailableException while the stores are not queryable
     */
    public Page list(EventQuery query) {
        Rows<StoredEvent> rows = rows(query, stored -> stored, false);
        return new Page(rows.rows(), rows.hasMore());
    }

    /** {@code hasMore}: more events match after this page. */
    public record Keys<K>(List<K> keys, boolean hasMore) {
    }

    /**
     * The sort keys of the page's events, in the listing's order, each as {@code key} makes it from its entry: what
     * the first round of a deeper page gathered across instances asks of each (a window from 0). An entry is mapped
     * as it is read, and only if it is among the first so far, then let go: a window of any depth holds keys, never
     * events, and no entry is read twice.
     *
     * @throws StoreUnavailableException while the stores are not queryable
     */
    public <K> Keys<K> keys(EventQuery query, Function<StoredEvent, K> key) {
        Rows<K> rows = rows(query, key, true);
        return new Keys<>(rows.rows(), rows.hasMore());
    }

    private record Rows<T>(List<T> rows, boolean hasMore) {
    }

    /** @param keysOnly {@code each} makes a sort key: keep it with the sort key, and read no entry again */
    private <T> Rows<T> rows(EventQuery query, Function<StoredEvent, T> each, boolean keysOnly) {
        return StoreUnavailableException.whileReading(() -> {
            Comparator<Ranked> ascending = Comparator.comparing(Ranked::time)
                    .thenComparing(Ranked::integrationId)
                    .thenComparingInt(Ranked::updateCount);
            Comparator<Ranked> order = query.descending() ? ascending.reversed() : ascending;
            long keep = (long) query.skip() + query.pageSize();
            PriorityQueue<Ranked> lastOnTop = new PriorityQueue<>(order.reversed());
            Map<Ranked, T> keys = new HashMap<>();
            long[] matches = {0};
            candidates(query, (historyKey, stored) -> {
                if (!matches(query, stored)) {
                    return;
                }
                matches[0]++;
                Ranked ranked = new Ranked(stored.event().getTime(), stored.event().getIntegrationId(),
                        stored.after().updateCount(), historyKey);
                if (lastOnTop.size() < keep || order.compare(ranked, lastOnTop.peek()) < 0) {
                    if (lastOnTop.size() == keep) {
                        keys.remove(lastOnTop.poll());
                    }
                    lastOnTop.add(ranked);
                    if (keysOnly) {
                        keys.put(ranked, each.apply(stored));
                    }
                }
            });
            List<Ranked> kept = new ArrayList<>(lastOnTop);
            kept.sort(order);
            List<Ranked> window = kept.subList(Math.min(query.skip(), kept.size()), kept.size());
            if (keysOnly) {
                return new Rows<>(window.stream().map(keys::get).toList(), matches[0] > keep);
            }
            ReadOnlyKeyValueStore<String, StoredEvent> history = stores.history();
            List<T> page = new ArrayList<>();
            for (Ranked row : window) {
                StoredEvent stored = history.get(row.historyKey());
                if (stored != null) {
                    page.add(each.apply(stored));
                }
            }
            return new Rows<>(List.copyOf(page), matches[0] > keep);
        });
    }

    /** An event as the listing orders it, and the key of its entry in the history store. */
    private record Ranked(Instant time, String integrationId, int updateCount, String historyKey) {
    }

    /** Every candidate entry of the query, with its key in the history store. */
    private void candidates(EventQuery query, BiConsumer<String, StoredEvent> candidates) {
        ReadOnlyKeyValueStore<String, StoredEvent> history = stores.history();
        if (query.session().isPresent()) {
            StoreKeys.Range range = StoreKeys.sessionHistory(query.applicationId(), query.session().get());
            try (KeyValueIterator<String, StoredEvent> entries = history.range(range.from(), range.to())) {
                entries.forEachRemaining(entry -> candidates.accept(entry.key, entry.value));
            }
            return;
        }
        long from = query.createdAfter().map(time -> time.toEpochMilli() + 1).orElse(0L);
        long to = query.createdBefore().map(SessionHistory::lastMilliBefore).orElse(Long.MAX_VALUE);
        if (from > to) {
            return;
        }
        StoreKeys.Range range = StoreKeys.eventTimes(query.applicationId(), from, to);
        try (KeyValueIterator<String, String> index = stores.strings(Topics.EVENTS_BY_TIME_STORE)
                .range(range.from(), range.to())) {
            index.forEachRemaining(entry -> {
                StoredEvent stored = history.get(entry.value);
                if (stored != null) {
                    candidates.accept(entry.value, stored);
                }
            });
        }
    }

    private static boolean matches(EventQuery query, StoredEvent stored) {
        Instant time = stored.event().getTime();
        return (query.types().isEmpty() || query.types().contains(AvroCodec.fromAvro(stored.event()).talonType()))
                && query.profile().map(stored.after().profileId()::equals).orElse(true)
                && query.createdBefore().map(time::isBefore).orElse(true)
                && query.createdAfter().map(time::isAfter).orElse(true);
    }

    /** The last whole millisecond before {@code time}. */
    private static long lastMilliBefore(Instant time) {
        boolean whole = time.getNano() % 1_000_000 == 0;
        return whole ? time.toEpochMilli() - 1 : time.toEpochMilli();
    }
}
