package io.customersessions.projector.query;

import io.customersessions.projector.views.StoreKeys;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SortedMergeTest {

    /** Merging per-partition lists, each sorted, gives their union sorted: ascending and descending. */
    @Test
    void merging_sorted_sources_equals_sorting_their_union() {
        Random random = new Random(20261122);
        for (int run = 0; run < 1000; run++) {
            for (Comparator<Integer> order : List.of(Comparator.<Integer>naturalOrder(),
                    Comparator.<Integer>reverseOrder())) {
                // given: up to 6 sources of any length (some empty), with duplicates within and across them
                List<List<Integer>> sources = new ArrayList<>();
                List<Integer> union = new ArrayList<>();
                for (int s = random.nextInt(7); s > 0; s--) {
                    List<Integer> source = random.ints(random.nextInt(12), 0, 30).boxed().sorted(order).toList();
                    sources.add(source);
                    union.addAll(source);
                }

                // when
                List<Integer> merged = new ArrayList<>();
                SortedMerge.of(sources.stream().map(List::iterator).toList(), order).forEachRemaining(merged::add);

                // then
                assertThat(merged).isEqualTo(union.stream().sorted(order).toList());
            }
        }
    }

    @Test
    void taking_the_first_elements_reads_one_ahead_per_source_at_most() {
        // given: three long sources that count what is read from them
        AtomicInteger read = new AtomicInteger();
        List<Iterator<Integer>> sources = List.of(counted(0, read), counted(1, read), counted(2, read));

        // when
        Iterator<Integer> merged = SortedMerge.of(sources, Comparator.naturalOrder());
        List<Integer> first = List.of(merged.next(), merged.next(), merged.next(), merged.next());

        // then
        assertThat(first).containsExactly(0, 1, 2, 3);
        assertThat(read).hasValue(4 + 3);
    }

    @Test
    void merged_store_scans_are_in_key_order_and_closing_the_merge_closes_every_scan() {
        // given
        List<String> closed = new ArrayList<>();
        List<KeyValueIterator<String, String>> scans = List.of(
                scan("p0", closed, "1|a", "1|c"), scan("p1", closed), scan("p2", closed, "1|b", "1|d"));

        // when
        List<String> keys = new ArrayList<>();
        String peeked;
        try (KeyValueIterator<String, String> merged = SortedMerge.byKey(scans, StoreKeys.ORDER)) {
            peeked = merged.peekNextKey();
            merged.forEachRemaining(entry -> keys.add(entry.key));
        }

        // then
        assertThat(peeked).isEqualTo("1|a");
        assertThat(keys).containsExactly("1|a", "1|b", "1|c", "1|d");
        assertThat(closed).containsExactlyInAnyOrder("p0", "p1", "p2");
    }

    @Test
    void a_scan_that_fails_while_the_merge_starts_leaves_no_scan_open() {
        // given
        List<String> closed = new ArrayList<>();
        KeyValueIterator<String, String> failing = new ListScan("p1", closed, List.of()) {
            @Override
            public boolean hasNext() {
                throw new IllegalStateException("the partition moved");
            }
        };
        List<KeyValueIterator<String, String>> scans = List.of(scan("p0", closed, "1|a"), failing);

        // when / then
        assertThatThrownBy(() -> SortedMerge.byKey(scans, StoreKeys.ORDER)).hasMessage("the partition moved");
        assertThat(closed).containsExactlyInAnyOrder("p0", "p1");
    }

    /** n, n + 3, n + 6, ...: three of them cover every number once. */
    private static Iterator<Integer> counted(int start, AtomicInteger read) {
        return new Iterator<>() {
            private int next = start;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                read.incrementAndGet();
                int current = next;
                next += 3;
                return current;
            }
        };
    }

    private static KeyValueIterator<String, String> scan(String name, List<String> closed, String... keys) {
        return new ListScan(name, closed, List.of(keys));
    }

    private static class ListScan implements KeyValueIterator<String, String> {
        private final String name;
        private final List<String> closed;
        private final List<String> keys;
        private int position;

        ListScan(String name, List<String> closed, List<String> keys) {
            this.name = name;
            this.closed = closed;
            this.keys = keys;
        }

        @Override
        public boolean hasNext() {
            return position < keys.size();
        }

        @Override
        public KeyValue<String, String> next() {
            return KeyValue.pair(keys.get(position++), name);
        }

        @Override
        public String peekNextKey() {
            return keys.get(position);
        }

        @Override
        public void close() {
            closed.add(name);
        }
    }
}
