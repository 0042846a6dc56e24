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
