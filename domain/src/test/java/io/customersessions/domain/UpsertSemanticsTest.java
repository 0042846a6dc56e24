package io.customersessions.domain;

import io.customersessions.domain.SessionEvent.SessionCreated;
import io.customersessions.domain.SessionEvent.SessionUpdated;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.customersessions.domain.Commands.attributes;
import static io.customersessions.domain.Commands.costs;
import static io.customersessions.domain.Commands.item;
import static io.customersessions.domain.Commands.upsert;
import static io.customersessions.domain.Sessions.decide;
import static io.customersessions.domain.Sessions.decideNew;
import static io.customersessions.domain.Sessions.event;
import static io.customersessions.domain.Sessions.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Talon.One's upsert semantics, and events that hold only what actually changed. */
class UpsertSemanticsTest {

    private static SessionChanges changesOf(CustomerSession session, Commands.Upsert command) {
        return ((SessionUpdated) event(decide(session, command.build()))).changes();
    }

    @Test
    void omitted_fields_keep_their_values() {
        // given
        CustomerSession session = given(upsert().profile("p").cart(item("A", 1, "2")).coupons("C").referral("R")
                .identifiers("id").attributes(attributes("a", "1")).additionalCosts(costs("ship", "3")).build());

        // when
        CustomerSession after = given(session, upsert().store("s1").build());

        // then
        assertThat(after.storeIntegrationId()).isEqualTo("s1");
        assertThat(after.profileId()).isEqualTo("p");
        assertThat(after.cartItems()).isEqualTo(session.cartItems());
        assertThat(after.couponCodes()).containsExactly("C");
        assertThat(after.referralCode()).isEqualTo("R");
        assertThat(after.identifiers()).containsExactly("id");
        assertThat(after.attributes()).isEqualTo(session.attributes());
        assertThat(after.additionalCosts()).isEqualTo(session.additionalCosts());
    }

    @Test
    void an_empty_coupon_list_discards_the_coupons() {
        // given
        CustomerSession session = given(upsert().coupons("C1", "C2").build());

        // when
        SessionChanges changes = changesOf(session, upsert().coupons(List.of()));

        // then
        assertThat(changes.couponCodes()).isEmpty();
        assertThat(given(session, upsert().coupons(List.of()).build()).couponCodes()).isEmpty();
    }

    @Test
    void an_empty_coupon_list_without_coupons_is_no_change() {
        // given
        CustomerSession session = given(upsert().build());

        // when
        SessionChanges changes = changesOf(session, upsert().coupons(List.of()));

        // then
        assertThat(changes).isEqualTo(SessionChanges.NONE);
    }

    @Test
    void an_empty_referral_code_discards_the_referral() {
        // given
        CustomerSession session = given(upsert().referral("FRIEND").build());

        // when
        SessionChanges changes = changesOf(session, upsert().referral(""));

        // then
        assertThat(changes.referralCode()).isEmpty();
        assertThat(given(session, upsert().referral("").build()).referralCode()).isEmpty();
    }

    @Test
    void an_empty_referral_code_without_referral_is_no_change() {
        // given
        CustomerSession session = given(upsert().build());

        // then
        assertThat(changesOf(session, upsert().referral(""))).isEqualTo(SessionChanges.NONE);
    }

    @Test
    void attributes_merge_key_by_key() {
        // given
        CustomerSession session = given(upsert().attributes(attributes("city", "\"Berlin\"", "vip", "true")).build());

        // when
        CustomerSession after = given(session, upsert().attributes(attributes("city", "\"Paris\"", "zip", "75001"))
                .build());

        // then
        assertThat(after.attributes()).containsExactlyEntriesOf(
                attributes("city", "\"Paris\"", "vip", "true", "zip", "75001"));
    }

    @Test
    void the_attribute_diff_holds_only_keys_whose_value_differs() {
        // given
        CustomerSession session = given(upsert().attributes(attributes("city", "\"Berlin\"", "vip", "true")).build());

        // when
        SessionChanges changes = changesOf(session,
                upsert().attributes(attributes("city", "\"Berlin\"", "vip", "false", "zip", "1")));

        // then
        assertThat(changes.attributes()).containsExactlyEntriesOf(attributes("vip", "false", "zip", "1"));
    }

    @Test
    void attributes_equal_to_the_current_ones_are_no_change() {
        // given
        CustomerSession session = given(upsert().attributes(attributes("city", "\"Berlin\"")).build());

        // then
        assertThat(changesOf(session, upsert().attributes(attributes("city", "\"Berlin\""))))
                .isEqualTo(SessionChanges.NONE);
        assertThat(changesOf(session, upsert().attributes(attributes()))).isEqualTo(SessionChanges.NONE);
    }

    @Test
    void a_given_cart_replaces_the_whole_cart() {
        // given
        CustomerSession session = given(upsert().cart(item("A", 1, "1"), item("B", 1, "1")).build());

        // when
        CustomerSession after = given(session, upsert().cart(item("C", 2, "3")).build());

        // then
        assertThat(after.cartItems()).containsExactly(item("C", 2, "3"));
        assertThat(after.cartItemTotal()).isEqualByComparingTo("6");
    }

    @Test
    void an_empty_cart_empties_the_cart() {
        // given
        CustomerSession session = given(upsert().cart(item("A", 1, "1")).build());

        // when
        CustomerSession after = given(session, upsert().cart(List.of()).build());

        // then
        assertThat(after.cartItems()).isEmpty();
        assertThat(after.total()).isZero();
    }

    @Test
    void an_unchanged_cart_is_not_repeated_in_the_event() {
        // given
        CustomerSession session = given(upsert().cart(Sessions.standardCart()).build());

        // then
        assertThat(changesOf(session, upsert().cart(Sessions.standardCart()).coupons("NEW")))
                .isEqualTo(SessionChanges.NONE.withCouponCodes(List.of("NEW")));
    }

    @Test
    void lists_and_costs_replace_when_given() {
        // given
        CustomerSession session = given(upsert().identifiers("a", "b").loyaltyCards("card-1").campaigns(1L)
                .additionalCosts(costs("ship", "1", "wrap", "2")).build());

        // when
        CustomerSession after = given(session, upsert().identifiers("c").loyaltyCards("card-2").campaigns(2L, 3L)
                .additionalCosts(costs("ship", "5")).build());

        // then
        assertThat(after.identifiers()).containsExactly("c");
        assertThat(after.loyaltyCards()).containsExactly("card-2");
        assertThat(after.evaluableCampaignIds()).containsExactly(2L, 3L);
        assertThat(after.additionalCosts()).containsExactlyEntriesOf(costs("ship", "5"));
    }

    @Test
    void coupon_codes_and_identifiers_keep_their_order_and_drop_exact_duplicates() {
        // when
        CustomerSession session = given(upsert().coupons("B", "A", "B", "a").identifiers("x", "x", "y").build());

        // then
        assertThat(session.couponCodes()).containsExactly("B", "A", "a");
        assertThat(session.identifiers()).containsExactly("x", "y");
    }

    @Test
    void coupon_codes_that_differ_only_by_duplicates_are_no_change() {
        // given
        CustomerSession session = given(upsert().coupons("A", "B").build());

        // then
        assertThat(changesOf(session, upsert().coupons("A", "B", "A"))).isEqualTo(SessionChanges.NONE);
    }

    @Test
    void reordered_coupon_codes_are_a_change() {
        // given
        CustomerSession session = given(upsert().coupons("A", "B").build());

        // then
        assertThat(changesOf(session, upsert().coupons("B", "A")).couponCodes()).containsExactly("B", "A");
    }

    @Test
    void a_creation_holds_only_values_that_differ_from_the_defaults() {
        // when
        SessionCreated created = (SessionCreated) event(decideNew(upsert().profile("").coupons(List.of()).referral("")
                .cart(List.of()).identifiers(List.of()).attributes(attributes()).store("s").build()));

        // then
        assertThat(created.changes()).isEqualTo(new SessionChanges(null, "s", null, null, null, null, null, null,
                null, null, true));
    }

    @Test
    void the_changes_of_an_update_are_exactly_the_fields_that_differ() {
        // given
        CustomerSession session = given(upsert().profile("p").store("s").coupons("C").referral("R")
                .cart(item("A", 1, "1")).build());

        // when
        SessionChanges changes = changesOf(session, upsert().profile("p").store("s2").coupons("C").referral("R2")
                .cart(item("A", 1, "1")));

        // then
        assertThat(changes).isEqualTo(new SessionChanges(null, "s2", null, null, "R2", null, null, null, null, null,
                null));
    }
}
