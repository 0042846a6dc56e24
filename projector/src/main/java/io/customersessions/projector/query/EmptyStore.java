package io.customersessions.projector.query;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.NoSuchElementException;

/** The part of a store on an instance that has none of its partitions: nothing, read like any store. */
final class EmptyStore<V> implements ReadOnlyKeyValueStore<String, V> {

    private static final EmptyStore<?> INSTANCE = new EmptyStore<>();

    private EmptyStore() {
    }

    @SuppressWarnings("unchecked")
    static <V> ReadOnlyKeyValueStore<String, V> instance() {
        return (ReadOnlyKeyValueStore<String, V>) INSTANCE;
    }

    @Override
    public V get(String key) {
        return null;
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        return new Nothing<>();
    }

    @Override
    public KeyValueIterator<String, V> reverseRange(String from, String to) {
        return new Nothing<>();
    }

    @Override
    public KeyValueIterator<String, V> all() {
        return new Nothing<>();
    }

    @Override
    public KeyValueIterator<String, V> reverseAll() {
        return new Nothing<>();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<String, V> prefixScan(P prefix, PS prefixKeySerializer) {
        return new Nothing<>();
    }

    @Override
    public long approximateNumEntries() {
        return 0;
    }

    private static final class Nothing<V> implements KeyValueIterator<String, V> {
        @Override
        public boolean hasNext() {
            return false;
        }

        @Override
        public org.apache.kafka.streams.KeyValue<String, V> next() {
            throw new NoSuchElementException();
        }

        @Override
        public String peekNextKey() {
            throw new NoSuchElementException();
        }

        @Override
        public void close() {
        }
    }
}
