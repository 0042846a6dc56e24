package io.customersessions.domain;

import io.customersessions.domain.Rejection.Reason;
import io.customersessions.domain.Rejection.Violation;
import io.customersessions.domain.SessionEvent.SessionDiscountsSet;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static io.customersessions.domain.Commands.costs;
import static io.customersessions.domain.Commands.item;
import static io.customersessions.domain.Commands.minute;
import static io.customersessions.domain.Commands.reopen;
import static io.customersessions.domain.Commands.repeat;
import static io.customersessions.domain.Commands.returnItems;
import static io.customersessions.domain.Commands.returned;
import static io.customersessions.domain.Commands.setDiscounts;
import static io.customersessions.domain.Commands.upsert;
import static io.customersessions.domain.Sessions.decide;
import static io.customersessions.domain.Sessions.event;
import static io.customersessions.domain.Sessions.given;
import static io.customersessions.domain.Sessions.rejection;
import static io.customersessions.domain.SessionState.CLOSED;
import static org.assertj.core.api.Assertions.assertThat;

/** Discounts recorded from the promotion engine: how they fold, and what a SetDiscounts command may carry. */
class DiscountsTest {

    /** 2 × A at 10.00 and 3 × B at 0.10, open: total 20.30. */
    private final CustomerSession open = Sessions.open();

    private static SortedMap<String, BigDecimal> discountsOf(int count) {
        SortedMap<String, BigDecimal> discounts = new TreeMap<>();
        IntStream.range(0, count).forEach(i -> discounts.put("discount-" + i, BigDecimal.ONE));
        return discounts;
    }

    // ---------------------------------------------------------------- fold

    @Test
    void a_new_session_has_no_discounts_and_totalDiscounts_0() {
        // then
        assertThat(open.discounts()).isEmpty();
        assertThat(open.totalDiscounts()).isEqualByComparingTo("0");
    }

    @Test
    void discounts_replace_the_whole_map() {
        // given
        CustomerSession discounted = given(open, setDiscounts("10% off", "2.03", "free shipping", "4.90"));

        // when
        CustomerSession after = given(discounted, setDiscounts("loyalty", "1.00"));

        // then
        assertThat(after.discounts()).isEqualTo(costs("loyalty", "1.00"));
    }

    @Test
    void an_empty_map_clears_the_discounts() {
        // given
        CustomerSession discounted = given(open, setDiscounts("10% off", "2.03"));

        // when
        CustomerSession after = given(discounted, setDiscounts());

        // then
        assertThat(after.discounts()).isEmpty();
        assertThat(after.totalDiscounts()).isEqualByComparingTo("0");
    }

    @Test
    void totalDiscounts_is_the_exact_sum_of_the_values() {
        // when 0.1 + 0.2 in binary floating point would be 0.30000000000000004
        CustomerSession after = given(open, setDiscounts("a", "0.1", "b", "0.2", "c", "0"));

        // then
        assertThat(after.totalDiscounts()).isEqualTo(new BigDecimal("0.3"));
    }

    @Test
    void total_stays_the_pre_discount_value() {
        // when
        CustomerSession after = given(open, setDiscounts("10% off", "2.03"));

        // then
        assertThat(after.cartItemTotal()).isEqualTo(open.cartItemTotal());
        assertThat(after.total()).isEqualTo(open.total()).isEqualByComparingTo("20.30");
    }

    @Test
    void setting_discounts_changes_nothing_but_the_discounts_updateCount_and_updated() {
        // when
        SessionEvent event = event(decide(open, setDiscounts(null, minute(5), "10% off", "2.03")));
        CustomerSession after = Sessions.evolve(open, event);

        // then
        assertThat(after.updateCount()).isEqualTo(open.updateCount() + 1);
        assertThat(after.updated()).isEqualTo(minute(5));
        CustomerSession expected = new CustomerSession(open.key(), open.id(), open.profileId(),
                open.storeIntegrationId(), open.evaluableCampaignIds(), open.couponCodes(), open.referralCode(),
                open.loyaltyCards(), open.state(), open.cartItems(), open.additionalCosts(), open.identifiers(),
                open.attributes(), open.firstSession(), open.updateCount() + 1, open.created(), minute(5),
                costs("10% off", "2.03"));
        assertThat(after).isEqualTo(expected);
    }

    @Test
    void the_event_carries_the_discounts_as_given() {
        // when
        SessionEvent event = event(decide(open, setDiscounts("free shipping", "4.90", "10% off", "2.03")));

        // then
        assertThat(event.meta().key()).isEqualTo(Commands.KEY);
        assertThat(((SessionDiscountsSet) event).discounts()).containsExactly(
                Map.entry("10% off", new BigDecimal("2.03")),
                Map.entry("free shipping", new BigDecimal("4.90")));
    }

    @Test
    void setting_the_same_discounts_again_is_still_an_accepted_command() {
        // given
        CustomerSession discounted = given(open, setDiscounts("10% off", "2.03"));

        // when
        CustomerSession after = given(discounted, setDiscounts("10% off", "2.03"));

        // then
        assertThat(after.updateCount()).isEqualTo(discounted.updateCount() + 1);
        assertThat(after.discounts()).isEqualTo(discounted.discounts());
    }

    @Test
    void discounts_survive_updates_closing_reopening_and_returns() {
        // given
        CustomerSession discounted = given(open, setDiscounts("10% off", "2.03"));

        // when
        CustomerSession after = given(discounted, upsert().cart(item("C", 2, "5.00")).build(),
                upsert().state(CLOSED).build(), reopen(), upsert().state(CLOSED).build(),
                returnItems(returned(0, 1)));

        // then
        assertThat(after.discounts()).isEqualTo(costs("10% off", "2.03"));
        assertThat(after.total()).isEqualByComparingTo("5.00");
    }

    @Test
    void the_engine_may_settle_the_discounts_of_a_session_it_closed() {
        // given
        CustomerSession closed = given(open, setDiscounts("estimate", "1.00"), upsert().state(CLOSED).build());

        // when
        CustomerSession settled = given(closed, setDiscounts("final", "2.50"));

        // then
        assertThat(settled.state()).isEqualTo(CLOSED);
        assertThat(settled.discounts()).isEqualTo(costs("final", "2.50"));
    }

    @Test
    void set_discounts_honours_if_match() {
        // when
        Rejection stale = rejection(decide(open, setDiscounts(open.updateCount() + 1, minute(1), "a", "1")));
        SessionEvent fresh = event(decide(open, setDiscounts(open.updateCount(), minute(1), "a", "1")));

        // then
        assertThat(stale.reason()).isEqualTo(Reason.VERSION_MISMATCH);
        assertThat(fresh).isInstanceOf(SessionDiscountsSet.class);
    }

    @Test
    void an_older_command_time_never_moves_updated_backwards() {
        // given
        CustomerSession later = given(open, upsert().at(minute(10)).coupons("X").build());

        // when
        CustomerSession after = given(later, setDiscounts(null, minute(2), "a", "1"));

        // then
        assertThat(after.updated()).isEqualTo(minute(10));
    }

    // ---------------------------------------------------------------- validation

    @Test
    void one_thousand_discounts_are_allowed_and_one_more_is_rejected() {
        // when
        List<Violation> atLimit = SessionDecider.validate(setDiscounts(discountsOf(1000)));
        List<Violation> overLimit = SessionDecider.validate(setDiscounts(discountsOf(1001)));

        // then
        assertThat(atLimit).isEmpty();
        assertThat(overLimit).containsExactly(new Violation("/discounts", "too many discounts",
                "at most 1000 discounts per session; got 1001"));
    }

    @Test
    void a_label_of_1000_characters_is_allowed_and_1001_rejected() {
        // given
        String longest = repeat('d', 1000);
        String tooLong = repeat('d', 1001);

        // when
        List<Violation> atLimit = SessionDecider.validate(setDiscounts(longest, "1"));
        List<Violation> overLimit = SessionDecider.validate(setDiscounts(tooLong, "1"));

        // then
        assertThat(atLimit).isEmpty();
        assertThat(overLimit).containsExactly(new Violation("/discounts/" + tooLong, "discount label too long",
                "the discount label has 1001 characters; at most 1000 are allowed"));
    }

    @Test
    void a_blank_label_is_rejected() {
        // when
        List<Violation> violations = SessionDecider.validate(setDiscounts(" ", "1"));

        // then
        assertThat(violations).containsExactly(new Violation("/discounts/ ", "blank discount label",
                "discount labels must not be blank"));
    }

    @Test
    void a_negative_discount_is_rejected_but_zero_is_allowed() {
        // when
        List<Violation> negative = SessionDecider.validate(setDiscounts("refund", "-0.01"));
        List<Violation> zero = SessionDecider.validate(setDiscounts("nothing", "0.00"));

        // then
        assertThat(negative).containsExactly(new Violation("/discounts/refund", "negative discount",
                "discount 'refund' must not be negative; got -0.01"));
        assertThat(zero).isEmpty();
    }

    @Test
    void a_discount_without_value_is_rejected() {
        // when
        List<Violation> violations = SessionDecider.validate(
                setDiscounts(new TreeMap<>(Collections.singletonMap("promo", null))));

        // then
        assertThat(violations).containsExactly(new Violation("/discounts/promo", "missing discount value",
                "discount 'promo' needs a value"));
    }

    @Test
    void a_label_with_a_slash_or_tilde_is_escaped_in_the_pointer() {
        // when
        List<Violation> violations = SessionDecider.validate(setDiscounts("a/b~c", "-1"));

        // then
        assertThat(violations).extracting(Violation::pointer).containsExactly("/discounts/a~1b~0c");
    }

    @Test
    void every_problem_of_a_discounts_map_is_reported_at_once() {
        // when
        List<Violation> violations = SessionDecider.validate(setDiscounts("", "-1", "ok", "1", "refund", "-2"));

        // then
        assertThat(violations).extracting(Violation::title).containsExactly(
                "blank discount label", "negative discount", "negative discount");
    }

    @Test
    void invalid_discounts_are_rejected_by_decide_as_invalid_input_before_the_state_machine() {
        // given a session that would refuse discounts anyway
        CustomerSession partiallyReturned = Sessions.partiallyReturned();

        // when
        Rejection rejection = rejection(decide(partiallyReturned, setDiscounts("refund", "-2")));

        // then
        assertThat(rejection.reason()).isEqualTo(Reason.INVALID_INPUT);
        assertThat(rejection.message()).isEqualTo("invalid request");
        assertThat(rejection.violations()).extracting(Violation::pointer).containsExactly("/discounts/refund");
    }
}
