package io.customersessions.projector.query;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * The lazy k-way merge of sources that are each in one order: the store's partitions read one by one, or the
 * instances of the group answering one listing. One element per source is held at a time, so sources of any length
 * merge in O(sources) memory, and taking the first n elements reads about n + sources of them.
 */
public final class SortedMerge {

    private SortedMerge() {
    }

    /** The merge of {@code sources}, each in {@code order}; equal elements come in no particular order. */
    public static <T> Iterator<T> of(List<? extends Iterator<T>> sources, Comparator<? super T> order) {
        return new Merged<>(sources, order);
    }

    /**
     * The merge of store scans, each in {@code keyOrder} (the order of the store, or its reverse for reverse
     * scans); closing it closes every scan.
     */
    public static <V> KeyValueIterator<String, V> byKey(List<? extends KeyValueIterator<String, V>> scans,
                                                        Comparator<String> keyOrder) {
        List<KeyValueIterator<String, V>> open = new ArrayList<>(scans);
        Merged<KeyValue<String, V>> merged;
        try {
            merged = new Merged<>(open, Comparator.comparing(entry -> entry.key, keyOrder));
        } catch (RuntimeException e) {
            open.forEach(KeyValueIterator::close);
            throw e;
        }
        return new KeyValueIterator<>() {
            @Override
            public boolean hasNext() {
                return merged.hasNext();
            }

            @Override
            public KeyValue<String, V> next() {
                return merged.next();
            }

            @Override
            public String peekNextKey() {
                return merged.peek().key;
            }

            @Override
            public void close() {
                open.forEach(KeyValueIterator::close);
            }
        };
    }

    private static final class Merged<T> implements Iterator<T> {

        private record Head<T>(T value, Iterator<? extends T> source) {
        }

        private final PriorityQueue<Head<T>> heads;

        Merged(List<? extends Iterator<? extends T>> sources, Comparator<? super T> order) {
            this.heads = new PriorityQueue<>(Math.max(1, sources.size()),
                    (a, b) -> order.compare(a.value(), b.value()));
            sources.forEach(this::advance);
        }

        @Override
        public boolean hasNext() {
            return !heads.isEmpty();
        }

        @Override
        public T next() {
            Head<T> head = heads.poll();
            if (head == null) {
                throw new NoSuchElementException();
            }
            advance(head.source());
            return head.value();
        }

        T peek() {
            Head<T> head = heads.peek();
            if (head == null) {
                throw new NoSuchElementException();
            }
            return head.value();
        }

        private void advance(Iterator<? extends T> source) {
            if (source.hasNext()) {
                heads.add(new Head<>(source.next(), source));
            }
        }
    }
}
