package io.customersessions.projector.query;

import io.customersessions.projector.views.StoreKeys;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The export's windowed scan over a store that, like Kafka Streams' composite store, concatenates partitions. */
class ExportTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private static final Export.TimeRange EVENT_TIMES = (from, to) -> StoreKeys.eventTimes(1, from, to);

    @Test
    void entries_of_several_partitions_come_out_in_time_order_reading_a_bounded_window_at_a_time() {
        // given 5000 events over ten days, spread over three partitions
        PartitionedStore store = new PartitionedStore(3);
        List<String> expected = new ArrayList<>();
        Random random = new Random(42);
        for (int i = 0; i < 5000; i++) {
            Instant time = T0.plusMillis(random.nextInt(10 * 24 * 3600 * 1000));
            String key = StoreKeys.eventByTime(1, time, "s-" + i, 1);
            store.put(i % 3, key, key);
            expected.add(key);
        }
        store.put(0, StoreKeys.eventByTime(2, T0, "other-app", 1), "other-app");
        expected.sort(String::compareTo);

        // when
        List<String> exported = all(Export.inKeyOrder(store, EVENT_TIMES, new ExportRange(Optional.empty(),
                Optional.empty()), Optional::of));

        // then
        assertThat(exported).isEqualTo(expected);
        assertThat(store.mostEntriesReadByOneScan).isLessThanOrEqualTo(Export.WINDOW_ENTRIES);
    }

    @Test
    void events_of_one_millisecond_come_out_by_session_id_as_it_is_then_update_count_as_the_event_listing_has_them() {
        // given ids whose escaped keys sort differently ("s-1|" after "s-10|", "a|" after "a\\|b|")
        PartitionedStore store = new PartitionedStore(2);
        List<String> ids = List.of("s-10", "s-1", "a|b", "a", "a\\c", "a0");
        int partition = 0;
        for (String id : ids) {
            for (int updateCount : new int[]{10, 2}) {
                store.put(partition++ % 2, StoreKeys.eventByTime(1, T0, id, updateCount), id + "#" + updateCount);
            }
        }

        // when
        List<String> exported = all(Export.inKeyOrder(store, EVENT_TIMES, new ExportRange(Optional.empty(),
                Optional.empty()), StoreKeys.EVENT_LISTING_ORDER, Optional::of));

        // then
        assertThat(exported).containsExactly("a#2", "a#10", "a0#2", "a0#10", "a\\c#2", "a\\c#10", "a|b#2", "a|b#10",
                "s-1#2", "s-1#10", "s-10#2", "s-10#10");
    }

    @Test
    void more_entries_than_a_window_within_one_millisecond_are_all_exported_once() {
        // given
        PartitionedStore store = new PartitionedStore(2);
        for (int i = 0; i < Export.WINDOW_ENTRIES + 500; i++) {
            String key = StoreKeys.eventByTime(1, T0, String.format("s-%05d", i), 1);
            store.put(i % 2, key, key);
        }

        // when
        List<String> exported = all(Export.inKeyOrder(store, EVENT_TIMES, new ExportRange(Optional.empty(),
                Optional.empty()), Optional::of));

        // then
        assertThat(exported).hasSize(Export.WINDOW_ENTRIES + 500).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void bounds_are_exclusive_and_unresolvable_entries_are_skipped() {
        // given
        PartitionedStore store = new PartitionedStore(1);
        for (int second = 1; second <= 5; second++) {
            store.put(0, StoreKeys.eventByTime(1, T0.plusSeconds(second), "s", second), "event-" + second);
        }

        // when
        List<String> exported = all(Export.inKeyOrder(store, EVENT_TIMES,
                new ExportRange(Optional.of(T0.plusSeconds(1)), Optional.of(T0.plusSeconds(5))),
                value -> value.equals("event-3") ? Optional.empty() : Optional.of(value)));

        // then
        assertThat(exported).containsExactly("event-2", "event-4");
    }

    private static List<String> all(Iterator<String> iterator) {
        List<String> all = new ArrayList<>();
        iterator.forEachRemaining(all::add);
        return all;
    }

    /** Range scans return each partition's entries in key order, one partition after the other. */
    private static final class PartitionedStore implements ReadOnlyKeyValueStore<String, String> {
        private final List<TreeMap<String, String>> partitions = new ArrayList<>();
        int mostEntriesReadByOneScan;

        PartitionedStore(int count) {
            for (int i = 0; i < count; i++) {
                partitions.add(new TreeMap<>());
            }
        }

        void put(int partition, String key, String value) {
            partitions.get(partition).put(key, value);
        }

        @Override
        public String get(String key) {
            return partitions.stream().map(p -> p.get(key)).filter(v -> v != null).findFirst().orElse(null);
        }

        @Override
        public KeyValueIterator<String, String> range(String from, String to) {
            List<KeyValue<String, String>> entries = new ArrayList<>();
            partitions.forEach(p -> p.subMap(from, true, to, true).forEach((k, v) -> entries.add(KeyValue.pair(k, v))));
            Iterator<KeyValue<String, String>> iterator = entries.iterator();
            return new KeyValueIterator<>() {
                private int read;

                @Override
                public void close() {
                    mostEntriesReadByOneScan = Math.max(mostEntriesReadByOneScan, read);
                }

                @Override
                public String peekNextKey() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public boolean hasNext() {
                    return iterator.hasNext();
                }

                @Override
                public KeyValue<String, String> next() {
                    read++;
                    return iterator.next();
                }
            };
        }

        @Override
        public KeyValueIterator<String, String> all() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long approximateNumEntries() {
            throw new UnsupportedOperationException();
        }
    }
}
