package io.customersessions.projector.query;

import io.customersessions.avro.CustomerSessionState;
import io.customersessions.domain.CustomerSession;
import io.customersessions.domain.SessionKey;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.projector.views.StoreKeys;
import io.customersessions.projector.views.StoredEvent;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whole-range exports for offline audit: an application's sessions in creation order (the creation-time view of
 * {@code session-listing}) and its events in time order ({@code events-by-time}), read lazily as the consumer pulls.
 *
 * <p>An instance's store spans several partitions and a range scan returns them one after the other, each in key
 * order, so order needs a merge. The scan walks the range in consecutive time windows: each window is read whole,
 * sorted (sessions by key; events as the event listing orders them, {@link StoreKeys#EVENT_LISTING_ORDER}) and
 * handed out, then the next one is read. A window holds at most {@value #WINDOW_ENTRIES} entries
 * (a fuller one is read again at half the width; only more entries within one millisecond exceed it), and its width
 * doubles after a sparse one, so empty stretches cost O(log length) scans: memory is O(one window), never the whole
 * export. Every window opens and closes its own store iterator, so an abandoned export leaves nothing open.
 *
 * <p>Each window is read at its own moment: an entry that moves while the export runs (a session's first event
 * arriving late) may be missed or seen once; an entry is never handed out twice.
 */
@Singleton
public class Export {

    static final int WINDOW_ENTRIES = 1000;
    private static final long FIRST_WIDTH_MILLIS = 60_000;
    private static final long MAX_WIDTH_MILLIS = 1L << 50;
    /** The largest time {@link StoreKeys} can tell apart: it clamps later ones to this. */
    private static final long LAST_KEYED_MILLI = 9_999_999_999_999_999L;

    private final StateStores stores;

    public Export(StateStores stores) {
        this.stores = stores;
    }

    /**
     * Sessions created within {@code range}, in creation order (ties by id). Reads its first window
     * now, so an unavailable store fails here rather than mid-export.
     *
     * @throws StoreUnavailableException while the stores are not queryable (also from the iterator, later)
     */
    public Iterator<CustomerSession> sessions(long applicationId, ExportRange range) {
        return StoreUnavailableException.whileReading(() -> {
            ReadOnlyKeyValueStore<String, CustomerSessionState> sessions = stores.sessions();
            return inKeyOrder(stores.strings(Topics.SESSION_LISTING_STORE),
                    (from, to) -> StoreKeys.created(applicationId, from, to), range,
                    integrationId -> Optional.ofNullable(sessions.get(new SessionKey(applicationId, integrationId)
                            .asString())).map(AvroCodec::fromAvro));
        });
    }

    /**
     * Events within {@code range}, in time order (ties by session and {@code updateCount}). Reads its first window
     * now, so an unavailable store fails here rather than mid-export.
     *
     * @throws StoreUnavailableException while the stores are not queryable (also from the iterator, later)
     */
    public Iterator<StoredEvent> events(long applicationId, ExportRange range) {
        return StoreUnavailableException.whileReading(() -> {
            ReadOnlyKeyValueStore<String, StoredEvent> history = stores.history();
            return inKeyOrder(stores.strings(Topics.EVENTS_BY_TIME_STORE),
                    (from, to) -> StoreKeys.eventTimes(applicationId, from, to), range, StoreKeys.EVENT_LISTING_ORDER,
                    historyKey -> Optional.ofNullable(history.get(historyKey)));
        });
    }

    /**
     * The values of {@code index} within {@code range}, in key order across all of the store's partitions, each
     * resolved as it is reached (entries that resolve to nothing are skipped).
     */
    static <T> Iterator<T> inKeyOrder(ReadOnlyKeyValueStore<String, String> index, TimeRange keys, ExportRange range,
                                      Function<String, Optional<T>> resolve) {
        return inKeyOrder(index, keys, range, Comparator.naturalOrder(), resolve);
    }

    /** As {@link #inKeyOrder(ReadOnlyKeyValueStore, TimeRange, ExportRange, Function)}, keys in {@code order}. */
    static <T> Iterator<T> inKeyOrder(ReadOnlyKeyValueStore<String, String> index, TimeRange keys, ExportRange range,
                                      Comparator<String> order, Function<String, Optional<T>> resolve) {
        return new WindowedScan<>(index, keys, range, order, resolve);
    }

    /** The key range of an index between two times in epoch millis, both inclusive. */
    interface TimeRange {
        StoreKeys.Range between(long fromMillis, long toMillis);
    }

    /** Index entries within a time range in key order, window by window; each entry's value is resolved lazily. */
    private static final class WindowedScan<T> implements Iterator<T> {
        private final ReadOnlyKeyValueStore<String, String> index;
        private final TimeRange keys;
        private final Function<String, Optional<T>> resolve;
        private final Comparator<String> order;
        private final long last;
        private final Deque<String> window = new ArrayDeque<>();
        private long cursor;
        private long width = FIRST_WIDTH_MILLIS;
        private T next;

        WindowedScan(ReadOnlyKeyValueStore<String, String> index, TimeRange keys, ExportRange range,
                     Comparator<String> order, Function<String, Optional<T>> resolve) {
            this.index = index;
            this.order = order;
            this.keys = keys;
            this.resolve = resolve;
            this.cursor = Math.max(0, range.firstMilli()); // StoreKeys clamps earlier times to 0
            this.last = Math.min(range.lastMilli(), LAST_KEYED_MILLI);
            advance();
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public T next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            T current = next;
            advance();
            return current;
        }

        private void advance() {
            next = StoreUnavailableException.whileReading(() -> {
                while (true) {
                    while (!window.isEmpty()) {
                        Optional<T> resolved = resolve.apply(window.poll());
                        if (resolved.isPresent()) {
                            return resolved.get();
                        }
                    }
                    if (cursor > last) {
                        return null;
                    }
                    readWindow();
                }
            });
        }

        /**
         * Reads the next window into {@link #window}. A window that would hold more than {@value #WINDOW_ENTRIES}
         * entries is abandoned after that many and read again at half the width, down to one millisecond.
         */
        private void readWindow() {
            while (true) {
                long end = last - cursor < width ? last : cursor + width - 1;
                StoreKeys.Range range = keys.between(cursor, end);
                List<KeyValue<String, String>> entries = new ArrayList<>();
                boolean tooMany = false;
                try (KeyValueIterator<String, String> scan = index.range(range.from(), range.to())) {
                    while (!tooMany && scan.hasNext()) {
                        tooMany = entries.size() == WINDOW_ENTRIES && end > cursor;
                        if (!tooMany) {
                            entries.add(scan.next());
                        }
                    }
                }
                if (tooMany) {
                    width = Math.max(1, (end - cursor + 1) / 2);
                    continue;
                }
                entries.sort(Comparator.comparing(entry -> entry.key, order));
                entries.forEach(entry -> window.add(entry.value));
                if (entries.size() < WINDOW_ENTRIES / 4) {
                    width = Math.min(MAX_WIDTH_MILLIS, width * 2);
                }
                cursor = end + 1;
                return;
            }
        }
    }
}
