package io.customersessions.domain;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Immutable, deterministic copies: lists keep order, maps are sorted by key. */
final class Collections2 {

    private Collections2() {
    }

    static <V> SortedMap<String, V> sortedCopy(Map<String, V> map) {
        return map == null || map.isEmpty()
                ? Collections.emptySortedMap()
                : Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }

    /** Null stays null: in {@link SessionChanges} null means "not given". */
    static <V> SortedMap<String, V> sortedCopyOrNull(Map<String, V> map) {
        return map == null ? null : sortedCopy(map);
    }

    static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    static <T> List<T> copyOrNull(List<T> list) {
        return list == null ? null : List.copyOf(list);
    }
}
