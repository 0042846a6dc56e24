package io.customersessions.projector.routing;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PageMergeTest {

    @Test
    void the_page_is_the_slice_of_the_instances_first_rows_merged_in_order() {
        // given: each instance answers its first skip + pageSize = 4 rows
        List<PageMerge.Part<Integer>> parts = List.of(
                new PageMerge.Part<>(List.of(1, 4, 6, 9), true),
                new PageMerge.Part<>(List.of(2, 3, 5), false));

        // when
        PageMerge.Part<Integer> page = PageMerge.page(parts, Comparator.naturalOrder(), 2, 2);

        // then
        assertThat(page.rows()).containsExactly(3, 4);
        assertThat(page.hasMore()).isTrue();
    }

    @Test
    void the_last_page_has_no_more() {
        List<PageMerge.Part<Integer>> parts = List.of(
                new PageMerge.Part<>(List.of(1, 4), false),
                new PageMerge.Part<>(List.of(2), false));

        PageMerge.Part<Integer> page = PageMerge.page(parts, Comparator.naturalOrder(), 1, 5);

        assertThat(page.rows()).containsExactly(2, 4);
        assertThat(page.hasMore()).isFalse();
    }

    @Test
    void a_page_beyond_the_rows_is_empty() {
        PageMerge.Part<Integer> page = PageMerge.page(List.of(new PageMerge.Part<>(List.of(1), false)),
                Comparator.naturalOrder(), 5, 5);

        assertThat(page.rows()).isEmpty();
        assertThat(page.hasMore()).isFalse();
    }

    /** Splitting rows over instances in any way and merging their first rows gives the page of the whole. */
    @Test
    void merging_the_instances_parts_gives_the_page_of_all_rows() {
        Random random = new Random(20261101);
        for (int run = 0; run < 500; run++) {
            // given: rows with duplicates spread over three instances, a random page
            List<Integer> rows = random.ints(random.nextInt(40), 0, 50).boxed().toList();
            int skip = random.nextInt(20);
            int pageSize = 1 + random.nextInt(10);
            List<List<Integer>> held = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            rows.forEach(row -> held.get(random.nextInt(3)).add(row));
            int keep = skip + pageSize;
            List<PageMerge.Part<Integer>> parts = held.stream().map(own -> {
                List<Integer> sorted = own.stream().sorted().toList();
                return new PageMerge.Part<>(sorted.subList(0, Math.min(keep, sorted.size())), sorted.size() > keep);
            }).toList();

            // when
            PageMerge.Part<Integer> page = PageMerge.page(parts, Comparator.naturalOrder(), skip, pageSize);

            // then
            List<Integer> all = rows.stream().sorted().toList();
            assertThat(page.rows()).isEqualTo(all.subList(Math.min(skip, all.size()), Math.min(keep, all.size())));
            assertThat(page.hasMore()).isEqualTo(all.size() > keep);
        }
    }

    /**
     * Planning from the parts' first rows as keys, then merging only the rows of each part's window, gives the same
     * page as merging the parts' first rows.
     */
    @Test
    void the_rows_of_the_planned_windows_merged_are_the_page() {
        Random random = new Random(20261124);
        for (int run = 0; run < 500; run++) {
            // given: distinct rows spread over three instances, a random page
            List<Integer> rows = random.ints(0, 200).distinct().limit(random.nextInt(60)).boxed().toList();
            int skip = random.nextInt(40);
            int pageSize = 1 + random.nextInt(10);
            List<List<Integer>> held = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            rows.forEach(row -> held.get(random.nextInt(3)).add(row));
            List<List<Integer>> sorted = held.stream().map(own -> own.stream().sorted().toList()).toList();
            PageMerge.Window first = PageMerge.Window.upToEndOf(skip, pageSize);
            List<PageMerge.Part<Integer>> parts = sorted.stream().map(own -> window(own, first)).toList();

            // when
            PageMerge.Plan plan = PageMerge.plan(parts, Comparator.naturalOrder(), skip, pageSize);
            List<PageMerge.Part<Integer>> windows = new ArrayList<>();
            for (int i = 0; i < sorted.size(); i++) {
                windows.add(window(sorted.get(i), plan.windows().get(i)));
            }
            PageMerge.Part<Integer> planned = PageMerge.page(windows, Comparator.naturalOrder(), 0, pageSize);

            // then
            PageMerge.Part<Integer> page = PageMerge.page(parts, Comparator.naturalOrder(), skip, pageSize);
            assertThat(planned.rows()).isEqualTo(page.rows());
            assertThat(plan.hasMore()).isEqualTo(page.hasMore());
            assertThat(plan.windows().stream().mapToInt(PageMerge.Window::pageSize).sum())
                    .isEqualTo(page.rows().size());
        }
    }

    /** An instance's answer for a window of its sorted rows. */
    private static PageMerge.Part<Integer> window(List<Integer> sorted, PageMerge.Window window) {
        int from = Math.min(window.skip(), sorted.size());
        int to = (int) Math.min((long) window.skip() + window.pageSize(), sorted.size());
        return new PageMerge.Part<>(sorted.subList(from, to), sorted.size() > to);
    }
}
