package io.customersessions.projector.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Merging what the instances of the group answer for one listing. Each instance holds some partitions and answers
 * its own first {@code skip + pageSize} rows in the listing's order (a {@link Part}); the page is then the slice
 * {@code [skip, skip + pageSize)} of their merge. It is exact: a row of the page is among the first {@code skip +
 * pageSize} of the instance that holds it.
 */
public final class PageMerge {

    private PageMerge() {
    }

    /** One instance's first rows in order; {@code hasMore}: more rows match on that instance. */
    public record Part<T>(List<T> rows, boolean hasMore) {
        public Part {
            rows = List.copyOf(rows);
        }
    }

    /** The page {@code [skip, skip + pageSize)} of the merge; it has more when any part had, or more rows remain. */
    public static <T> Part<T> page(List<Part<T>> parts, Comparator<? super T> order, int skip, int pageSize) {
        List<T> all = new ArrayList<>();
        boolean anyHasMore = false;
        for (Part<T> part : parts) {
            all.addAll(part.rows());
            anyHasMore |= part.hasMore();
        }
        all.sort(order);
        long end = (long) skip + pageSize;
        int from = (int) Math.min(skip, all.size());
        int to = (int) Math.min(end, all.size());
        return new Part<>(all.subList(from, to), anyHasMore || all.size() > end);
    }

    /**
     * The lazy merge of sources that are each in {@code order}: one element per source is held at a time, so
     * streams of any length merge in O(sources) memory.
     */
    public static <T> Iterator<T> merge(List<Iterator<T>> sources, Comparator<? super T> order) {
        record Head<T>(T value, Iterator<T> source) {
        }
        PriorityQueue<Head<T>> heads = new PriorityQueue<>((a, b) -> order.compare(a.value(), b.value()));
        sources.forEach(source -> {
            if (source.hasNext()) {
                heads.add(new Head<>(source.next(), source));
            }
        });
        return new Iterator<>() {
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
                if (head.source().hasNext()) {
                    heads.add(new Head<>(head.source().next(), head.source()));
                }
                return head.value();
            }
        };
    }
}
