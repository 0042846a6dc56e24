package io.customersessions.projector.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Merging what the instances of the group answer for one listing. Each instance holds some partitions and answers
 * its own first {@code skip + pageSize} rows in the listing's order (a {@link Part}, with {@code hasMore} when a
 * further row matches there); the page is then the slice {@code [skip, skip + pageSize)} of their merge. It is
 * exact: a row of the page is among the first {@code skip + pageSize} of the instance that holds it, and a row
 * after the page exists exactly when an instance had more or the merge holds more than {@code skip + pageSize}
 * rows. So an instance may stop reading after its first {@code skip + pageSize + 1} matches
 * ({@code SessionListing}), and the instances' answers cost O(instances · (skip + pageSize)) to merge.
 *
 * <p>A deep page need not have every row rendered and sent: from the instances' first rows as sort keys only, {@link
 * #plan} tells which of each instance's rows make the page (a {@link Window} per instance), and the page is the
 * merge of those windows' rows, {@code pageSize} in all.
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

    /** Rows {@code [skip, skip + pageSize)} of one instance's own rows, in the listing's order. */
    public record Window(int skip, int pageSize) {
        /** From the first row to the end of the page {@code [skip, skip + pageSize)}: a part of a merged page. */
        public static Window upToEndOf(int skip, int pageSize) {
            return new Window(0, (int) Math.min(Integer.MAX_VALUE, (long) skip + pageSize));
        }
    }

    /** Per part, the window of its rows that the page holds; whether more rows follow the page. */
    public record Plan(List<Window> windows, boolean hasMore) {
        public Plan {
            windows = List.copyOf(windows);
        }
    }

    /**
     * Which rows of each part make the page {@code [skip, skip + pageSize)} of their merge, from the parts' first
     * {@code skip + pageSize} rows as keys in {@code order}: part {@code i}'s window skips its rows that come before
     * the page and holds those in it. Ties between parts go to the earlier part, as in {@link #page}.
     */
    public static <K> Plan plan(List<Part<K>> keys, Comparator<? super K> order, int skip, int pageSize) {
        record Tagged<K>(K key, int part) {
        }
        List<Tagged<K>> all = new ArrayList<>();
        boolean anyHasMore = false;
        for (int i = 0; i < keys.size(); i++) {
            for (K key : keys.get(i).rows()) {
                all.add(new Tagged<>(key, i));
            }
            anyHasMore |= keys.get(i).hasMore();
        }
        all.sort(Comparator.comparing(Tagged::key, order)); // stable: parts in their order on ties
        int[] before = new int[keys.size()];
        int[] within = new int[keys.size()];
        long end = (long) skip + pageSize;
        for (int position = 0; position < all.size() && position < end; position++) {
            int part = all.get(position).part();
            if (position < skip) {
                before[part]++;
            } else {
                within[part]++;
            }
        }
        List<Window> windows = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            windows.add(new Window(before[i], within[i]));
        }
        return new Plan(windows, anyHasMore || all.size() > end);
    }

    /**
     * The page {@code [skip, skip + pageSize)} of the merge; it has more when any part had, or more rows remain. A
     * single part is in order already: {@code order} is used only to merge two or more.
     */
    public static <T> Part<T> page(List<Part<T>> parts, Comparator<? super T> order, int skip, int pageSize) {
        List<T> all = new ArrayList<>();
        boolean anyHasMore = false;
        for (Part<T> part : parts) {
            all.addAll(part.rows());
            anyHasMore |= part.hasMore();
        }
        if (parts.size() > 1) {
            all.sort(order);
        }
        long end = (long) skip + pageSize;
        int from = (int) Math.min(skip, all.size());
        int to = (int) Math.min(end, all.size());
        return new Part<>(all.subList(from, to), anyHasMore || all.size() > end);
    }
}
