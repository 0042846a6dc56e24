package io.customersessions.projector.views;

import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class StoreKeysTest {

    private static final Instant T = Instant.parse("2026-11-01T10:00:00Z");

    @Test
    void keys_are_readable_for_ordinary_ids() {
        Instant created = Instant.ofEpochMilli(1_700_000_000_123L);
        assertThat(StoreKeys.byProfile(1, "customer-1", created, 42))
                .isEqualTo("p|1|customer-1|0001700000000123|0000000000000042");
        assertThat(StoreKeys.byState(1, SessionState.PARTIALLY_RETURNED, created, 42))
                .isEqualTo("s|1|partially_returned|0001700000000123|0000000000000042");
        assertThat(StoreKeys.byCreated(1, created, 42)).isEqualTo("c|1|0001700000000123|0000000000000042");
        assertThat(StoreKeys.byId(7, 1_099_511_627_777L)).isEqualTo("i|7|0001099511627777");
        assertThat(StoreKeys.idempotency(new SessionKey(1, "s-1"), "return-1")).isEqualTo("1:s-1|return-1");
    }

    @Test
    void a_profile_range_holds_exactly_that_profiles_keys_whatever_the_ids_contain() {
        // given
        List<String> keys = List.of(
                StoreKeys.byProfile(1, "p", T, 1),
                StoreKeys.byProfile(1, "p", T.plusMillis(1), 2),
                StoreKeys.byProfile(1, "p|x", T, 3),
                StoreKeys.byProfile(1, "p\\", T, 4),
                StoreKeys.byProfile(1, "p}", T, 5),
                StoreKeys.byProfile(1, "pq", T, 6),
                StoreKeys.byProfile(12, "p", T, 7),
                StoreKeys.byProfile(1, "", T, 8));

        // when
        List<String> inRange = within(keys, StoreKeys.profile(1, "p"));

        // then
        assertThat(inRange).containsExactly(keys.get(0), keys.get(1));
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
                StoreKeys.byCreated(1, Instant.ofEpochMilli(99), 1),
                StoreKeys.byCreated(1, Instant.ofEpochMilli(100), 2),
                StoreKeys.byCreated(1, Instant.ofEpochMilli(1000), 3),
                StoreKeys.byCreated(1, Instant.ofEpochMilli(1001), 4),
                StoreKeys.byCreated(2, Instant.ofEpochMilli(500), 5));

        // when
        List<String> inRange = within(keys, StoreKeys.created(1, 100, 1000));

        // then
        assertThat(inRange).containsExactly(keys.get(1), keys.get(2));
        assertThat(within(keys, StoreKeys.created(1, 0, Long.MAX_VALUE))).hasSize(4);
    }

    /** The four views share one store: a range of one view must never hold a key of another. */
    @Test
    void the_ranges_of_one_view_never_hold_keys_of_another() {
        // given: one session in every view, with a profile id that reads like a state and like a creation time
        Instant created = Instant.ofEpochMilli(100);
        for (String profileId : List.of("open", "0000000000000100", "1")) {
            String byProfile = StoreKeys.byProfile(1, profileId, created, 1);
            String byState = StoreKeys.byState(1, SessionState.OPEN, created, 1);
            String byCreated = StoreKeys.byCreated(1, created, 1);
            String byId = StoreKeys.byId(1, 1);
            List<String> keys = List.of(byProfile, byState, byCreated, byId);

            // then
            assertThat(within(keys, StoreKeys.profile(1, profileId))).containsExactly(byProfile);
            assertThat(within(keys, StoreKeys.profile(1, profileId, 0, Long.MAX_VALUE))).containsExactly(byProfile);
            assertThat(within(keys, StoreKeys.state(1, SessionState.OPEN))).containsExactly(byState);
            assertThat(within(keys, StoreKeys.state(1, SessionState.OPEN, 0, Long.MAX_VALUE))).containsExactly(byState);
            assertThat(within(keys, StoreKeys.created(1, 0, Long.MAX_VALUE))).containsExactly(byCreated);
            assertThat(within(keys, StoreKeys.ids(1))).containsExactly(byId);
        }
    }

    @Test
    void a_state_or_profile_range_narrowed_by_creation_time_holds_exactly_those_keys() {
        // given
        List<String> keys = List.of(
                StoreKeys.byState(1, SessionState.OPEN, Instant.ofEpochMilli(99), 1),
                StoreKeys.byState(1, SessionState.OPEN, Instant.ofEpochMilli(100), 2),
                StoreKeys.byState(1, SessionState.OPEN, Instant.ofEpochMilli(1000), 3),
                StoreKeys.byState(1, SessionState.OPEN, Instant.ofEpochMilli(1001), 4),
                StoreKeys.byState(1, SessionState.CLOSED, Instant.ofEpochMilli(500), 5),
                StoreKeys.byProfile(1, "p", Instant.ofEpochMilli(100), 6),
                StoreKeys.byProfile(1, "p", Instant.ofEpochMilli(1001), 7),
                StoreKeys.byProfile(1, "p|0000000000000100", Instant.ofEpochMilli(100), 8));

        // then
        assertThat(within(keys, StoreKeys.state(1, SessionState.OPEN, 100, 1000)))
                .containsExactly(keys.get(1), keys.get(2));
        assertThat(within(keys, StoreKeys.profile(1, "p", 100, 1000))).containsExactly(keys.get(5));
        assertThat(within(keys, StoreKeys.profile(1, "p", 0, Long.MAX_VALUE)))
                .containsExactlyElementsOf(within(keys, StoreKeys.profile(1, "p")));
    }

    /** The listing relies on it: a view's keys of one prefix sort like (created, id), the default listing order. */
    @Test
    void view_keys_sort_like_creation_time_then_id() {
        Random random = new Random(20261122);
        for (int run = 0; run < 200; run++) {
            // given: sessions with few distinct creation times (ties) and ids across partitions
            List<long[]> sessions = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                long created = random.nextInt(5) * (random.nextBoolean() ? 1L : 1_000_000_000_000L);
                long id = ((long) random.nextInt(6) << 40) + random.nextInt(1_000_000) + 1;
                sessions.add(new long[]{created, id});
            }
            String profile = randomText(random);

            // when
            Comparator<long[]> createdThenId = Comparator.<long[]>comparingLong(s -> s[0]).thenComparingLong(s -> s[1]);
            List<long[]> expected = sessions.stream().sorted(createdThenId).toList();

            // then
            for (Function<long[], String> key : List.<Function<long[], String>>of(
                    s -> StoreKeys.byState(3, SessionState.OPEN, Instant.ofEpochMilli(s[0]), s[1]),
                    s -> StoreKeys.byProfile(3, profile, Instant.ofEpochMilli(s[0]), s[1]),
                    s -> StoreKeys.byCreated(3, Instant.ofEpochMilli(s[0]), s[1]))) {
                List<String> inKeyOrder = sessions.stream().map(key).sorted(StoreKeys.ORDER).toList();
                assertThat(inKeyOrder).isEqualTo(expected.stream().map(key).toList());
            }
            List<Long> ids = sessions.stream().map(s -> s[1]).distinct().toList();
            assertThat(ids.stream().map(id -> StoreKeys.byId(3, id)).sorted(StoreKeys.ORDER).toList())
                    .isEqualTo(ids.stream().sorted().map(id -> StoreKeys.byId(3, id)).toList());
        }
    }

    @Test
    void a_profile_range_holds_exactly_that_profiles_keys_for_any_profile_text() {
        Random random = new Random(7);
        for (int run = 0; run < 300; run++) {
            // given: profiles made of separators, escapes and their neighbours, in two applications
            List<String> profiles = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                profiles.add(randomText(random));
            }
            List<String[]> entries = new ArrayList<>();
            TreeSet<String> keys = new TreeSet<>(StoreKeys.ORDER);
            for (int i = 0; i < 40; i++) {
                long app = 1 + random.nextInt(2);
                String profile = profiles.get(random.nextInt(profiles.size()));
                String key = StoreKeys.byProfile(app, profile, Instant.ofEpochMilli(random.nextInt(3)), i + 1);
                entries.add(new String[]{Long.toString(app), profile, key});
                keys.add(key);
            }
            String wanted = profiles.get(0);

            // when
            StoreKeys.Range range = StoreKeys.profile(1, wanted);
            List<String> inRange = List.copyOf(keys.subSet(range.from(), true, range.to(), true));

            // then
            assertThat(inRange).containsExactlyInAnyOrderElementsOf(entries.stream()
                    .filter(e -> e[0].equals("1") && e[1].equals(wanted)).map(e -> e[2]).toList());
        }
    }

    @Test
    void key_order_is_the_order_of_utf8_bytes() {
        Random random = new Random(11);
        for (int run = 0; run < 2000; run++) {
            // given
            String a = randomText(random);
            String b = randomText(random);

            // when
            int byKeys = Integer.signum(StoreKeys.ORDER.compare(a, b));

            // then
            assertThat(byKeys).isEqualTo(Integer.signum(Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
                    b.getBytes(StandardCharsets.UTF_8))));
        }
    }

    /** Short text of characters that matter to keys: separators, escapes, digits, and characters beyond U+FFFF. */
    private static String randomText(Random random) {
        String[] pieces = {"|", "\\", "}", "p", "0", "9", "\uFFFD", "\uD83D\uDE00", "\u00E9", ""};
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(5);
        for (int i = 0; i < length; i++) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.toString();
    }

    /** What a RocksDB range scan returns: the keys within the bounds, compared as UTF-8 bytes. */
    private static List<String> within(List<String> keys, StoreKeys.Range range) {
        TreeSet<String> sorted = new TreeSet<>(StoreKeys.ORDER);
        sorted.addAll(keys);
        return List.copyOf(sorted.subSet(range.from(), true, range.to(), true));
    }
}
