package io.customersessions.replay;

import io.customersessions.avro.CustomerSessionState;
import io.customersessions.replay.Comparison.Difference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every case with the default number of sessions kept as objects ({@link VerifierWithoutHotSessionsTest}: none). */
class VerifierTest {

    private final TestCodec codec = TestCodec.withFastPath();
    private final Verifier verifier = verifier(Optional.empty(), codec);

    /** How many of the sessions folded last keep their state as an object, the others keep it in wire form. */
    int hotSessions() {
        return Verifier.HOT_SESSIONS;
    }

    private Verifier verifier(Optional<Instant> since, StateCodec codec) {
        return new Verifier(since, codec, hotSessions());
    }

    @Test
    void a_projection_that_matches_the_log_has_no_differences() {
        // given
        SessionHistory a = SessionHistory.checkout("a");
        SessionHistory b = SessionHistory.created("b");
        verifier.live(a.key(), codec.wire(a.finalState()));
        verifier.live(b.key(), codec.wire(b.finalState()));
        a.feedAll(verifier);
        b.feedAll(verifier);

        // when
        Comparison comparison = verifier.compare();

        // then
        assertThat(comparison.differences()).isEmpty();
        assertThat(comparison.consistent()).isTrue();
        assertThat(comparison.sessionsChecked()).isEqualTo(2);
        assertThat(comparison.eventsFolded()).isEqualTo(4);
    }

    @Test
    void a_redacted_session_is_rebuilt_redacted_although_the_log_still_holds_its_personal_data() {
        // given
        SessionHistory a = SessionHistory.checkout("a").redacted();
        CustomerSessionState live = a.finalState();
        verifier.live(a.key(), codec.wire(live));
        a.feedAll(verifier);

        // when
        Comparison comparison = verifier.compare();

        // then
        assertThat(comparison.differences()).isEmpty();
        assertThat(comparison.eventsFolded()).isEqualTo(4);
        assertThat(live.getProfileId()).isEmpty();
        assertThat(live.getAttributes()).isEmpty();
        assertThat(a.event(1).toString()).contains("customer-a", "Berlin");
    }

    @Test
    void a_live_state_that_still_shows_personal_data_after_a_redaction_is_a_difference() {
        // given
        SessionHistory a = SessionHistory.checkout("a");
        CustomerSessionState unredacted = CustomerSessionState.newBuilder(a.finalState())
                .setUpdateCount(a.size() + 1).build();
        a.redacted();
        verifier.live(a.key(), codec.wire(CustomerSessionState.newBuilder(unredacted)
                .setUpdated(a.time(a.size())).build()));
        a.feedAll(verifier);

        // when
        Comparison comparison = verifier.compare();

        // then
        assertThat(comparison.sessionsWithDifferences()).containsExactly("1:a");
        assertThat(comparison.differences()).anySatisfy(difference -> {
            assertThat(difference.field()).isEqualTo("profileId");
            assertThat(difference.live()).contains("customer-a");
        });
    }

    @Test
    void a_live_state_equal_to_the_rebuilt_one_byte_for_byte_is_not_even_decoded() {
        // given
        SessionHistory a = SessionHistory.checkout("a");
        SessionHistory b = SessionHistory.checkout("b");
        verifier.live(a.key(), codec.wire(a.finalState()));
        verifier.live(b.key(), codec.wire(CustomerSessionState.newBuilder(b.finalState()).setTotal("1").build()));
        a.feedAll(verifier);
        b.feedAll(verifier);

        // when
        Comparison comparison = verifier.compare();

        // then: of the live states, only the tampered one was decoded (without hot sessions, the fold also reads
        // its own state back before each later event of a session, two per session here, and b's rebuilt state
        // for the field comparison)
        assertThat(comparison.sessionsWithDifferences()).containsExactly("1:b");
        assertThat(codec.decoded()).isEqualTo(1 + (hotSessions() == 0 ? 2 * 2 + 1 : 0));
    }

    static Stream<TestCodec> codecs() {
        return Stream.of(TestCodec.withFastPath(), TestCodec.withoutFastPath());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codecs")
    void the_verdict_is_the_same_with_or_without_the_byte_for_byte_fast_path(TestCodec codec) {
        // given: a matching session, a tampered one, and one whose state lags by a recent event
        Verifier verifier = verifier(Optional.empty(), codec);
        SessionHistory fine = SessionHistory.checkout("fine");
        SessionHistory tampered = SessionHistory.checkout("tampered");
        SessionHistory lagging = SessionHistory.checkout("lagging");
        verifier.live(fine.key(), codec.wire(fine.finalState()));
        verifier.live(tampered.key(), codec.wire(CustomerSessionState.newBuilder(tampered.finalState())
                .setTotal("0.01").build()));
        verifier.live(lagging.key(), codec.wire(lagging.stateAfter(2)));
        fine.feedAll(verifier);
        tampered.feedAll(verifier);
        lagging.feed(verifier, 1, 2, false);
        lagging.feed(verifier, 3, 3, true);

        // when
        Comparison comparison = verifier.compare();

        // then
        assertThat(comparison.differences()).containsExactly(new Difference("1:tampered", "total", "0.01", "29.95"));
        assertThat(comparison.sessionsChecked()).isEqualTo(3);
    }

    @Test
    void a_tampered_field_is_reported_with_both_values() {
        // given
        SessionHistory a = SessionHistory.checkout("a");
        CustomerSessionState forged = CustomerSessionState.newBuilder(a.finalState()).setTotal("0.01").build();
        verifier.live(a.key(), codec.wire(forged));
        a.feedAll(verifier);

        // when
        Comparison comparison = verifier.compare();

        // then
        assertThat(comparison.differences()).containsExactly(new Difference("1:a", "total", "0.01", "29.95"));
        assertThat(comparison.differences().get(0)).hasToString("1:a total: live=0.01 rebuilt=29.95");
        assertThat(comparison.consistent()).isFalse();
    }

    @Test
    void a_tampered_cart_line_and_attribute_are_named_down_to_the_part_that_differs() {
        // given
        SessionHistory a = SessionHistory.checkout("a");
        CustomerSessionState forged = CustomerSessionState.newBuilder(a.finalState()).build();
        forged.getCartItems().get(0).setPrice("12.5");
        forged.getAttributes().put("city", "Paris");
        forged.getAttributes().put("vip", "true");
        verifier.live(a.key(), codec.wire(forged));
        a.feedAll(verifier);

        // when
        Comparison comparison = verifier.compare();

        // then: decimal text keeps its scale, so 12.5 is not what the fold gives
        assertThat(comparison.differences()).containsExactly(
                new Difference("1:a", "cartItems[0].price", "12.5", "12.50"),
                new Difference("1:a", "attributes[city]", "Paris", "Berlin"),
                new Difference("1:a", "attributes[vip]", "true", Comparison.ABSENT));
    }

    @Test
    void a_session_missing_from_the_live_projection_is_reported() {
        // given
        SessionHistory a = SessionHistory.checkout("a");
        a.feedAll(verifier);

        // when
        Comparison comparison = verifier.compare();

        // then
        assertThat(comparison.differences()).containsExactly(
                new Difference("1:a", Difference.SESSION_FIELD, Comparison.ABSENT, "updateCount 3"));
        assertThat(comparison.sessionsChecked()).isEqualTo(1);
    }

    @Test
    void a_live_session_without_any_event_is_reported() {
        // given
        SessionHistory ghost = SessionHistory.checkout("ghost");
        verifier.live(ghost.key(), codec.wire(ghost.finalState()));

        // when
        Comparison comparison = verifier.compare();

        // then
        assertThat(comparison.differences()).containsExactly(
                new Difference("1:ghost", Difference.SESSION_FIELD, "updateCount 3", Comparison.ABSENT));
    }

    @Test
    void a_tombstone_removes_the_live_session() {
        // given
        SessionHistory a = SessionHistory.created("a");
        verifier.live(a.key(), codec.wire(a.finalState()));
        verifier.live(a.key(), null);
        a.feedAll(verifier);

        // when
        Comparison comparison = verifier.compare();

        // then
        assertThat(comparison.differences()).extracting(Difference::field).containsExactly(Difference.SESSION_FIELD);
    }

    @Test
    void a_live_state_lagging_by_recent_events_only_is_compared_at_its_update_count() {
        // given: the capture saw events 2 and 3 but the state written with event 1
        SessionHistory a = SessionHistory.checkout("a");
        verifier.live(a.key(), codec.wire(a.stateAfter(1)));
        a.feed(verifier, 1, 1, false);
        a.feed(verifier, 2, 3, true);

        // when
        Comparison comparison = verifier.compare();

        // then
        assertThat(comparison.differences()).isEmpty();
        assertThat(comparison.sessionsChecked()).isEqualTo(1);
        assertThat(comparison.eventsFolded()).isEqualTo(3);
    }

    @Test
    void a_live_state_lagging_by_a_recent_event_still_shows_a_tampered_field() {
        // given
        SessionHistory a = SessionHistory.checkout("a");
        verifier.live(a.key(), codec.wire(CustomerSessionState.newBuilder(a.stateAfter(2))
                .setProfileId("someone-else").build()));
        a.feed(verifier, 1, 2, false);
        a.feed(verifier, 3, 3, true);

        // when
        Comparison comparison = verifier.compare();

        // then: compared with the fold after 2 events, where the profile is the customer's
        assertThat(comparison.differences()).containsExactly(
                new Difference("1:a", "profileId", "someone-else", "customer-a"));
    }

    @Test
    void a_live_state_behind_its_settled_events_is_a_lost_update() {
        // given: event 3 was committed before the state was captured, yet the state is that of event 2
        SessionHistory a = SessionHistory.checkout("a");
        verifier.live(a.key(), codec.wire(a.stateAfter(2)));
        a.feedAll(verifier);

        // when
        Comparison comparison = verifier.compare();

        // then
        assertThat(comparison.differences()).extracting(Difference::field)
                .contains("state", "updateCount", "updated");
        assertThat(comparison.differences()).contains(new Difference("1:a", "updateCount", "2", "3"));
    }

    @Test
    void a_live_state_ahead_of_the_log_is_a_difference() {
        // given
        SessionHistory a = SessionHistory.checkout("a");
        verifier.live(a.key(), codec.wire(a.finalState()));
        a.feed(verifier, 1, 2, false);

        // when
        Comparison comparison = verifier.compare();

        // then
        assertThat(comparison.differences()).contains(new Difference("1:a", "updateCount", "3", "2"));
    }

    @Test
    void a_session_created_by_recent_events_only_is_not_compared_before_it_is_projected() {
        // given
        SessionHistory fresh = SessionHistory.checkout("fresh");
        fresh.feed(verifier, 1, 3, true);

        // when
        Comparison comparison = verifier.compare();

        // then
        assertThat(comparison.differences()).isEmpty();
        assertThat(comparison.sessionsChecked()).isZero();
    }

    @Test
    void an_event_the_fold_rejects_is_a_difference_of_its_session_only() {
        // given: an update of a session that was never created
        SessionHistory broken = SessionHistory.checkout("broken");
        SessionHistory fine = SessionHistory.checkout("fine");
        verifier.live(broken.key(), codec.wire(broken.finalState()));
        verifier.live(fine.key(), codec.wire(fine.finalState()));
        broken.feed(verifier, 2, 3, false);
        fine.feedAll(verifier);

        // when
        Comparison comparison = verifier.compare();

        // then
        assertThat(comparison.differences()).hasSize(1);
        Difference difference = comparison.differences().get(0);
        assertThat(difference.sessionKey()).isEqualTo("1:broken");
        assertThat(difference.field()).isEqualTo(Difference.FOLD_FIELD);
        assertThat(difference.live()).isEqualTo("updateCount 3");
        assertThat(difference.rebuilt()).contains("broken-command-2/0").contains("does not exist");
        assertThat(comparison.eventsFolded()).isEqualTo(3);
    }

    @Test
    void since_compares_only_sessions_with_an_event_at_or_after_it_but_folds_their_whole_history() {
        // given: a's last event is exactly at the instant, codec.wire(b's are all before it
        SessionHistory a = SessionHistory.checkout("a");
        SessionHistory b = SessionHistory.created("b");
        Instant since = a.time(3);
        Verifier sinceVerifier = verifier(Optional.of(since), codec);
        sinceVerifier.live(a.key(), codec.wire(CustomerSessionState.newBuilder(a.finalState())
                .setCouponCodes(List.of()).build()));
        sinceVerifier.live(b.key(), codec.wire(CustomerSessionState.newBuilder(b.finalState())
                .setTotal("1000").build()));
        a.feedAll(sinceVerifier);
        b.feedAll(sinceVerifier);

        // when
        Comparison comparison = sinceVerifier.compare();

        // then: a's coupons come from an event before the instant, and are still checked
        assertThat(comparison.sessionsChecked()).isEqualTo(1);
        assertThat(comparison.differences()).containsExactly(
                new Difference("1:a", "couponCodes", "[]", "[WELCOME10]"));
        assertThat(comparison.eventsFolded()).isEqualTo(4);
    }

    @Test
    void since_compares_a_session_whose_events_are_all_before_it_when_its_live_state_changed_after_it() {
        // given: b's events are all before the instant; its live state claims an update after it
        SessionHistory b = SessionHistory.created("b");
        Instant since = b.time(1).plusSeconds(60);
        Verifier sinceVerifier = verifier(Optional.of(since), codec);
        CustomerSessionState phantom = CustomerSessionState.newBuilder(b.finalState())
                .setUpdateCount(b.finalState().getUpdateCount() + 1).setUpdated(since.plusSeconds(1)).build();
        sinceVerifier.live(b.key(), codec.wire(phantom));
        b.feedAll(sinceVerifier);

        // when
        Comparison comparison = sinceVerifier.compare();

        // then
        assertThat(comparison.sessionsChecked()).isEqualTo(1);
        assertThat(comparison.differences()).extracting(Difference::field).contains("updateCount", "updated");
    }

    @Test
    void since_compares_a_live_session_without_events_only_if_it_was_updated_at_or_after_it() {
        // given
        SessionHistory ghost = SessionHistory.checkout("ghost");
        Verifier before = verifier(Optional.of(ghost.time(3)), codec);
        Verifier after = verifier(Optional.of(ghost.time(3).plusMillis(1)), codec);
        before.live(ghost.key(), codec.wire(ghost.finalState()));
        after.live(ghost.key(), codec.wire(ghost.finalState()));

        // when / then
        assertThat(before.compare().differences()).hasSize(1);
        assertThat(after.compare().differences()).isEmpty();
        assertThat(after.compare().sessionsChecked()).isZero();
    }

    @Test
    void a_recheck_with_the_state_written_since_the_capture_clears_a_split_transaction() {
        // given: event 3 was settled, but its state record was not yet visible when the state topic was captured
        SessionHistory a = SessionHistory.checkout("a");
        SessionHistory b = SessionHistory.checkout("b");
        verifier.live(a.key(), codec.wire(a.stateAfter(2)));
        verifier.live(b.key(), codec.wire(CustomerSessionState.newBuilder(b.finalState()).setTotal("1").build()));
        a.feedAll(verifier);
        b.feedAll(verifier);
        Comparison first = verifier.compare();

        // when
        verifier.live(a.key(), codec.wire(a.finalState()));
        Comparison second = verifier.recompare(first);

        // then: only the real difference is left
        assertThat(first.sessionsWithDifferences()).containsExactly("1:a", "1:b");
        assertThat(second.differences()).containsExactly(new Difference("1:b", "total", "1", "29.95"));
        assertThat(second.sessionsChecked()).isEqualTo(2);
    }

    @Test
    void a_recheck_with_events_written_since_the_capture_clears_a_live_state_ahead_of_the_log() {
        // given
        SessionHistory a = SessionHistory.checkout("a");
        verifier.live(a.key(), codec.wire(a.finalState()));
        a.feed(verifier, 1, 2, false);
        Comparison first = verifier.compare();

        // when
        a.feed(verifier, 3, 3, true);
        Comparison second = verifier.recompare(first);

        // then
        assertThat(first.consistent()).isFalse();
        assertThat(second.consistent()).isTrue();
        assertThat(second.eventsFolded()).isEqualTo(3);
    }
}
