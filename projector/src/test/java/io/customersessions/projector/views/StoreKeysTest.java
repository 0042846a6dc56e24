package io.customersessions.projector.views;

import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class StoreKeysTest {

    @Test
    void keys_are_readable_for_ordinary_ids() {
        assertThat(StoreKeys.byProfile(1, "customer-1", "s-1")).isEqualTo("1|customer-1|s-1");
        assertThat(StoreKeys.byState(1, SessionState.PARTIALLY_RETURNED, "s-1")).isEqualTo("1|partially_returned|s-1");
        assertThat(StoreKeys.byCreated(1, Instant.ofEpochMilli(1_700_000_000_123L), "s-1"))
                .isEqualTo("1|0001700000000123|s-1");
        assertThat(StoreKeys.byId(7, 1_099_511_627_777L)).isEqualTo("7|0001099511627777");
        assertThat(StoreKeys.idempotency(new SessionKey(1, "s-1"), "return-1")).isEqualTo("1:s-1|return-1");
    }

    @Test
    void a_profile_range_holds_exactly_that_profiles_keys_whatever_the_ids_contain() {
        // given
        List<String> keys = List.of(
                StoreKeys.byProfile(1, "p", "a"),
                StoreKeys.byProfile(1, "p", "b|c"),
                StoreKeys.byProfile(1, "p|x", "d"),
                StoreKeys.byProfile(1, "p\\", "e"),
                StoreKeys.byProfile(1, "p}", "f"),
                StoreKeys.byProfile(1, "pq", "g"),
                StoreKeys.byProfile(12, "p", "h"),
                StoreKeys.byProfile(1, "", "i"));

        // when
        List<String> inRange = within(keys, StoreKeys.profile(1, "p"));

        // then
        assertThat(inRange).containsExactly(StoreKeys.byProfile(1, "p", "a"), StoreKeys.byProfile(1, "p", "b|c"));
    }

    @Test
    void a_session_history_range_holds_exactly_that_sessions_events_in_update_count_order() {
        // given
        List<String> keys = List.of(
                StoreKeys.history(1, "s", 10),
                StoreKeys.history(1, "s", 2),
                StoreKeys.history(1, "s", 1),
                StoreKeys.history(1, "s|1", 1),
                StoreKeys.history(1, "s\\", 1),
                StoreKeys.history(1, "st", 1),
                StoreKeys.history(2, "s", 1));

        // when
        List<String> all = within(keys, StoreKeys.sessionHistory(1, "s"));
        List<String> upTo2 = within(keys, StoreKeys.sessionHistoryUpTo(1, "s", 2));

        // then
        assertThat(StoreKeys.history(1, "s", 2)).isEqualTo("1|s|0000000002");
        assertThat(all).containsExactly(StoreKeys.history(1, "s", 1), StoreKeys.history(1, "s", 2),
                StoreKeys.history(1, "s", 10));
        assertThat(upTo2).containsExactly(StoreKeys.history(1, "s", 1), StoreKeys.history(1, "s", 2));
    }

    @Test
    void idempotency_keys_of_different_sessions_never_collide() {
        assertThat(StoreKeys.idempotency(new SessionKey(1, "a|b"), "c"))
                .isNotEqualTo(StoreKeys.idempotency(new SessionKey(1, "a"), "b|c"));
    }

    @Test
    void creation_ranges_are_inclusive_and_in_numeric_order() {
        // given
        List<String> keys = List.of(
                StoreKeys.byCreated(1, Instant.ofEpochMilli(99), "a"),
                StoreKeys.byCreated(1, Instant.ofEpochMilli(100), "b"),
                StoreKeys.byCreated(1, Instant.ofEpochMilli(1000), "c"),
                StoreKeys.byCreated(1, Instant.ofEpochMilli(1001), "d"),
                StoreKeys.byCreated(2, Instant.ofEpochMilli(500), "e"));

        // when
        List<String> inRange = within(keys, StoreKeys.created(1, 100, 1000));

        // then
        assertThat(inRange).containsExactly(keys.get(1), keys.get(2));
        assertThat(within(keys, StoreKeys.application(1))).hasSize(4);
    }

    /** What a RocksDB range scan returns: keys compare as UTF-8 bytes, which for these keys is String order. */
    private static List<String> within(List<String> keys, StoreKeys.Range range) {
        return List.copyOf(new TreeSet<>(keys).subSet(range.from(), true, range.to(), true));
    }
}
