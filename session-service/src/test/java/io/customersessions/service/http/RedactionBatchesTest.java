package io.customersessions.service.http;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** A DELETE of a profile with many sessions submits its redactions a batch at a time, never all at once. */
class RedactionBatchesTest {

    private final Map<Integer, CompletableFuture<String>> submitted = new ConcurrentHashMap<>();

    private CompletableFuture<String> submit(int item) {
        CompletableFuture<String> result = new CompletableFuture<>();
        submitted.put(item, result);
        return result;
    }

    @Test
    void the_next_batch_is_submitted_only_once_the_one_before_has_its_results() {
        // when
        CompletableFuture<List<String>> all = CustomerDataController.inBatches(List.of(0, 1, 2, 3, 4), 2,
                this::submit, result -> true);

        // then the first batch alone is submitted
        assertThat(submitted.keySet()).containsExactlyInAnyOrder(0, 1);
        submitted.get(1).complete("r1");
        assertThat(submitted.keySet()).containsExactlyInAnyOrder(0, 1);
        submitted.get(0).complete("r0");
        assertThat(submitted.keySet()).containsExactlyInAnyOrder(0, 1, 2, 3);
        submitted.get(2).complete("r2");
        submitted.get(3).complete("r3");
        submitted.get(4).complete("r4");
        assertThat(all).isCompletedWithValue(List.of("r0", "r1", "r2", "r3", "r4"));
    }

    @Test
    void a_failure_stops_the_batches_after_it() {
        // given
        CompletableFuture<List<String>> all = CustomerDataController.inBatches(List.of(0, 1, 2), 2, this::submit,
                result -> true);

        // when
        submitted.get(0).complete("r0");
        submitted.get(1).completeExceptionally(new IllegalStateException("not appended"));

        // then
        assertThat(all).isCompletedExceptionally();
        assertThat(submitted.keySet()).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void nothing_to_submit_is_an_empty_result_at_once() {
        assertThat(CustomerDataController.inBatches(List.<Integer>of(), 2, this::submit, result -> true))
                .isCompletedWithValue(new ArrayList<>());
    }

    @Test
    void a_batch_with_a_result_not_to_go_on_from_is_the_last() {
        // given
        CompletableFuture<List<String>> all = CustomerDataController.inBatches(List.of(0, 1, 2), 2, this::submit,
                result -> !result.equals("pending"));

        // when
        submitted.get(0).complete("pending");
        submitted.get(1).complete("r1");

        // then
        assertThat(all).isCompletedWithValue(List.of("pending", "r1"));
        assertThat(submitted.keySet()).containsExactlyInAnyOrder(0, 1);
    }
}
