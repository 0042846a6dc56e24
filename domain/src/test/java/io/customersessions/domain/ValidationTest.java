package io.customersessions.domain;

import io.customersessions.domain.Rejection.Reason;
import io.customersessions.domain.Rejection.Violation;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static io.customersessions.domain.Commands.T0;
import static io.customersessions.domain.Commands.costs;
import static io.customersessions.domain.Commands.item;
import static io.customersessions.domain.Commands.repeat;
import static io.customersessions.domain.Commands.returned;
import static io.customersessions.domain.Commands.upsert;
import static io.customersessions.domain.Sessions.decide;
import static io.customersessions.domain.Sessions.decideNew;
import static io.customersessions.domain.Sessions.event;
import static io.customersessions.domain.Sessions.rejection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Stateless checks: every limit on both sides of its boundary, and every violation reported at once. */
class ValidationTest {

    private static List<Violation> validate(Commands.Upsert command) {
        return SessionDecider.validate(command.build());
    }

    private static List<CartItem> items(int count, int quantityEach) {
        return IntStream.range(0, count).mapToObj(i -> item("sku-" + i, quantityEach, "1")).toList();
    }

    private static void assertValidAndAccepted(Commands.Upsert command) {
        assertThat(validate(command)).isEmpty();
        assertThat(event(decideNew(command.build()))).isInstanceOf(SessionEvent.SessionCreated.class);
    }

    private static Violation onlyViolation(Commands.Upsert command) {
        List<Violation> violations = validate(command);
        assertThat(violations).hasSize(1);
        return violations.get(0);
    }

    @Test
    void a_plain_request_is_valid() {
        assertValidAndAccepted(upsert().profile("p").cart(item("A", 1, "0")).coupons("C").referral("R"));
    }

    @Test
    void an_invalid_command_is_rejected_by_decide_with_every_violation() {
        // given
        var command = upsert().cart(item("", 0, "-1")).coupons("").build();

        // when
        Rejection rejection = rejection(decideNew(command));

        // then
        assertThat(rejection.reason()).isEqualTo(Reason.INVALID_INPUT);
        assertThat(rejection.message()).isEqualTo("invalid request");
        assertThat(rejection.violations()).extracting(Violation::pointer).containsExactly(
                "/customerSession/couponCodes/0",
                "/customerSession/cartItems/0/sku",
                "/customerSession/cartItems/0/quantity",
                "/customerSession/cartItems/0/price");
    }

    @Test
    void decide_rejects_invalid_input_for_an_existing_session_too_before_looking_at_its_version() {
        // when
        Rejection rejection = rejection(decide(Sessions.open(), upsert().ifMatch(99).cart(item("A", 0, "1")).build()));

        // then
        assertThat(rejection.reason()).isEqualTo(Reason.INVALID_INPUT);
    }

    @Test
    void one_thousand_cart_items_are_allowed() {
        assertValidAndAccepted(upsert().cart(items(SessionLimits.MAX_CART_ITEMS, 1)));
    }

    @Test
    void one_thousand_and_one_cart_items_are_rejected() {
        // when
        Violation violation = onlyViolation(upsert().cart(items(1001, 1)));

        // then
        assertThat(violation).isEqualTo(new Violation("/customerSession/cartItems", "too many cart items",
                "at most 1000 cart items per request; got 1001"));
    }

    @Test
    void ten_thousand_units_in_total_are_allowed() {
        assertValidAndAccepted(upsert().cart(items(10, 1000)));
    }

    @Test
    void ten_thousand_and_one_units_in_total_are_rejected() {
        // given
        List<CartItem> cart = new ArrayList<>(items(10, 1000));
        cart.add(item("extra", 1, "1"));

        // when
        Violation violation = onlyViolation(upsert().cart(cart));

        // then
        assertThat(violation).isEqualTo(new Violation("/customerSession/cartItems", "too many units",
                "the quantities of all cart items must add up to at most 10000; they add up to 10001"));
    }

    @Test
    void huge_quantities_do_not_overflow_the_unit_limit() {
        // when
        List<Violation> violations = validate(upsert().cart(items(3, Integer.MAX_VALUE)));

        // then
        assertThat(violations).extracting(Violation::title).containsExactly("too many units");
    }

    @Test
    void a_quantity_of_zero_is_rejected() {
        assertThat(onlyViolation(upsert().cart(item("A", 1, "1"), item("B", 0, "1")))).isEqualTo(new Violation(
                "/customerSession/cartItems/1/quantity", "invalid quantity", "the quantity must be at least 1; got 0"));
    }

    @Test
    void a_negative_quantity_is_rejected() {
        assertThat(onlyViolation(upsert().cart(item("A", -2, "1"))).pointer())
                .isEqualTo("/customerSession/cartItems/0/quantity");
    }

    @Test
    void a_missing_sku_is_rejected() {
        assertThat(onlyViolation(upsert().cart(item(null, 1, "1")))).isEqualTo(new Violation(
                "/customerSession/cartItems/0/sku", "missing sku", "every cart item needs a non-blank sku"));
    }

    @Test
    void a_blank_sku_is_rejected() {
        assertThat(onlyViolation(upsert().cart(item("  ", 1, "1"))).pointer())
                .isEqualTo("/customerSession/cartItems/0/sku");
    }

    @Test
    void a_negative_price_is_rejected_but_zero_and_unknown_prices_are_allowed() {
        assertThat(onlyViolation(upsert().cart(item("A", 1, "-0.01")))).isEqualTo(new Violation(
                "/customerSession/cartItems/0/price", "negative price", "the price must not be negative; got -0.01"));
        assertValidAndAccepted(upsert().cart(item("A", 1, "0"), item("B", 1, null)));
    }

    @Test
    void a_text_with_half_a_surrogate_pair_is_rejected_where_it_is_and_a_whole_pair_is_allowed() {
        // given
        String high = "a" + (char) 0xd800;
        String low = (char) 0xdc00 + "b";
        CartItem item = new CartItem(null, "sku-" + low, 1, 0, new BigDecimal("1"), null, null, null, null, null, null,
                new TreeMap<>(Map.of("colour", "\"" + high + "\"")), new TreeMap<>());

        // then
        assertThat(validate(upsert().profile(high).coupons("ok", low).cart(item))).extracting(Violation::pointer)
                .containsExactly("/customerSession/profileId", "/customerSession/couponCodes/1",
                        "/customerSession/cartItems/0/sku", "/customerSession/cartItems/0/attributes/colour");
        assertThat(onlyViolation(upsert().referral(high)).details())
                .isEqualTo("the referral code holds an unpaired UTF-16 surrogate (\\ud800 at index 1), which no "
                        + "Unicode text can hold");
        assertValidAndAccepted(upsert().profile("p-\uD83D\uDE00").coupons("\uD83C\uDF81"));
    }

    @Test
    void campaign_ids_are_positive() {
        assertThat(validate(upsert().campaigns(3L, 0L, -7L))).containsExactly(
                new Violation("/customerSession/evaluableCampaignIds/1", "invalid campaign id",
                        "campaign ids are positive integers; got 0"),
                new Violation("/customerSession/evaluableCampaignIds/2", "invalid campaign id",
                        "campaign ids are positive integers; got -7"));
        assertValidAndAccepted(upsert().campaigns(1L, Long.MAX_VALUE));
    }

    @Test
    void a_client_cannot_set_a_returned_quantity() {
        // given
        CartItem alreadyReturned = item("A", 2, "1").withReturned(1);

        // then
        assertThat(onlyViolation(upsert().cart(alreadyReturned))).isEqualTo(new Violation(
                "/customerSession/cartItems/0/returnedQuantity", "returnedQuantity is read-only",
                "returned quantities change only through returns"));
    }

    @Test
    void a_negative_item_additional_cost_is_rejected_with_an_escaped_pointer() {
        // given
        CartItem line = item("A", 1, "1", Map.of("a/b~c", "-1", "ok", "0"));

        // then
        assertThat(onlyViolation(upsert().cart(line))).isEqualTo(new Violation(
                "/customerSession/cartItems/0/additionalCosts/a~1b~0c/price", "negative additional cost",
                "additional cost 'a/b~c' must not be negative; got -1"));
    }

    @Test
    void a_negative_session_additional_cost_is_rejected() {
        assertThat(onlyViolation(upsert().additionalCosts(costs("shipping", "-4.95", "free", "0")))).isEqualTo(
                new Violation("/customerSession/additionalCosts/shipping/price", "negative additional cost",
                        "additional cost 'shipping' must not be negative; got -4.95"));
    }

    @Test
    void an_additional_cost_without_price_is_rejected() {
        // given
        SortedMap<String, BigDecimal> costs = new TreeMap<>();
        costs.put("shipping", null);

        // then
        assertThat(onlyViolation(upsert().additionalCosts(costs)).title()).isEqualTo("missing additional cost price");
    }

    @Test
    void five_identifiers_are_allowed_and_six_are_rejected() {
        assertValidAndAccepted(upsert().identifiers("1", "2", "3", "4", "5"));
        assertThat(onlyViolation(upsert().identifiers("1", "2", "3", "4", "5", "6"))).isEqualTo(new Violation(
                "/customerSession/identifiers", "too many identifiers", "at most 5 identifiers per session; got 6"));
    }

    @Test
    void identifiers_are_counted_without_their_exact_duplicates_as_the_session_keeps_them() {
        // when seven identifiers are sent, five of them distinct
        CustomerSession session = Sessions.given(upsert().identifiers("1", "2", "3", "4", "5", "1", "2").build());

        // then
        assertThat(validate(upsert().identifiers("1", "2", "3", "4", "5", "1", "2"))).isEmpty();
        assertThat(session.identifiers()).containsExactly("1", "2", "3", "4", "5");
        assertThat(onlyViolation(upsert().identifiers("1", "2", "3", "4", "5", "6", "6")).details())
                .isEqualTo("at most 5 identifiers per session; got 6");
    }

    @Test
    void identifiers_must_not_be_blank_nor_longer_than_100_characters() {
        assertValidAndAccepted(upsert().identifiers(repeat('i', 100)));
        assertThat(validate(upsert().identifiers("ok", " ", repeat('i', 101)))).containsExactly(
                new Violation("/customerSession/identifiers/1", "blank identifier", "identifiers must not be blank"),
                new Violation("/customerSession/identifiers/2", "identifier too long",
                        "the identifier has 101 characters; at most 100 are allowed"));
    }

    @Test
    void coupon_codes_of_100_characters_are_allowed_and_101_rejected() {
        assertValidAndAccepted(upsert().coupons(repeat('c', 100)));
        assertThat(onlyViolation(upsert().coupons("ok", repeat('c', 101)))).isEqualTo(new Violation(
                "/customerSession/couponCodes/1", "coupon code too long",
                "the coupon code has 101 characters; at most 100 are allowed"));
    }

    @Test
    void a_blank_coupon_code_is_rejected() {
        assertThat(onlyViolation(upsert().coupons(""))).isEqualTo(new Violation(
                "/customerSession/couponCodes/0", "blank coupon code", "coupon codes must not be blank"));
    }

    @Test
    void referral_codes_of_100_characters_are_allowed_101_rejected_and_empty_means_discard() {
        assertValidAndAccepted(upsert().referral(repeat('r', 100)));
        assertValidAndAccepted(upsert().referral(""));
        assertThat(onlyViolation(upsert().referral(repeat('r', 101)))).isEqualTo(new Violation(
                "/customerSession/referralCode", "referral code too long",
                "the referral code has 101 characters; at most 100 are allowed"));
    }

    @Test
    void a_blank_referral_code_is_rejected_while_an_empty_one_discards_the_referral() {
        assertThat(onlyViolation(upsert().referral("   "))).isEqualTo(new Violation(
                "/customerSession/referralCode", "blank referral code",
                "a referral code must not be blank; an empty one (\"\") discards the referral"));
    }

    @Test
    void one_loyalty_card_is_allowed_and_two_are_rejected() {
        assertValidAndAccepted(upsert().loyaltyCards(repeat('l', 100)));
        assertThat(onlyViolation(upsert().loyaltyCards("card-1", "card-2"))).isEqualTo(new Violation(
                "/customerSession/loyaltyCards", "too many loyalty cards",
                "at most 1 loyalty card per session; got 2"));
    }

    @Test
    void a_loyalty_card_longer_than_100_characters_is_rejected() {
        assertThat(onlyViolation(upsert().loyaltyCards(repeat('l', 101))).pointer())
                .isEqualTo("/customerSession/loyaltyCards/0");
    }

    @Test
    void a_profile_id_of_1000_characters_is_allowed_and_1001_rejected() {
        assertValidAndAccepted(upsert().profile(repeat('p', 1000)));
        assertThat(onlyViolation(upsert().profile(repeat('p', 1001)))).isEqualTo(new Violation(
                "/customerSession/profileId", "profileId too long",
                "the profileId has 1001 characters; at most 1000 are allowed"));
    }

    @Test
    void a_store_integration_id_longer_than_1000_characters_is_rejected() {
        assertThat(onlyViolation(upsert().store(repeat('s', 1001))).pointer())
                .isEqualTo("/customerSession/storeIntegrationId");
    }

    @Test
    void a_client_cannot_set_firstSession() {
        assertThat(onlyViolation(upsert().firstSession(false))).isEqualTo(new Violation(
                "/customerSession/firstSession", "firstSession is read-only",
                "firstSession is derived from the profile's sessions and cannot be set"));
    }

    @Test
    void an_attribute_without_value_is_rejected() {
        // given
        SortedMap<String, String> attributes = new TreeMap<>();
        attributes.put("city", null);

        // then
        assertThat(onlyViolation(upsert().attributes(attributes))).isEqualTo(new Violation(
                "/customerSession/attributes/city", "missing attribute value", "attribute 'city' has no value"));
    }

    @Test
    void the_session_id_must_not_be_blank() {
        assertThat(onlyViolation(upsert().key(new SessionKey(7, " ")))).isEqualTo(new Violation(
                "", "invalid customerSessionId", "the customer session id must not be blank"));
    }

    @Test
    void a_session_id_of_1000_characters_is_allowed_and_1001_rejected() {
        assertValidAndAccepted(upsert().key(new SessionKey(7, repeat('s', 1000))));
        assertThat(onlyViolation(upsert().key(new SessionKey(7, repeat('s', 1001))))).isEqualTo(new Violation(
                "", "invalid customerSessionId",
                "the customer session id has 1001 characters; at most 1000 are allowed"));
    }

    @Test
    void the_command_id_and_time_are_required() {
        assertThat(validate(upsert().commandId(" ").at(null))).containsExactly(
                new Violation("", "missing commandId", "every command needs a non-blank command id"),
                new Violation("", "missing time", "every command needs the time it was accepted"));
        assertThat(onlyViolation(upsert().commandId(null)).title()).isEqualTo("missing commandId");
    }

    @Test
    void every_violation_is_reported_not_just_the_first() {
        // given
        List<CartItem> cart = new ArrayList<>(Collections.nCopies(2, item("", 0, "1")));

        // when
        List<Violation> violations = validate(upsert().cart(cart).identifiers("1", "2", "3", "4", "5", "6")
                .loyaltyCards("a", "b").profile(repeat('p', 1001)).firstSession(true));

        // then
        assertThat(violations).extracting(Violation::pointer).containsExactly(
                "/customerSession/profileId",
                "/customerSession/loyaltyCards",
                "/customerSession/identifiers",
                "/customerSession/cartItems/0/sku",
                "/customerSession/cartItems/0/quantity",
                "/customerSession/cartItems/1/sku",
                "/customerSession/cartItems/1/quantity",
                "/customerSession/firstSession");
    }

    @Test
    void a_return_needs_at_least_one_item() {
        // when
        List<Violation> violations = SessionDecider.validate(Commands.returnItems());

        // then
        assertThat(violations).containsExactly(new Violation("/return/returnedCartItems", "nothing to return",
                "a return needs at least one returned cart item"));
    }

    @Test
    void a_returned_item_needs_a_position_of_at_least_0_and_a_quantity_of_at_least_1() {
        // when
        List<Violation> violations = SessionDecider.validate(
                Commands.returnItems(returned(0, 1), returned(-1, 0)));

        // then
        assertThat(violations).containsExactly(
                new Violation("/return/returnedCartItems/1/position", "invalid position",
                        "the position is a 0-based cart item index; got -1"),
                new Violation("/return/returnedCartItems/1/quantity", "invalid quantity",
                        "at least 1 unit must be returned (or none named, for the whole item); got 0"));
    }

    @Test
    void an_invalid_return_is_rejected_by_decide_as_invalid_input() {
        // when
        Rejection rejection = rejection(decide(Sessions.closed(), Commands.returnItems(returned(0, 0))));

        // then
        assertThat(rejection.reason()).isEqualTo(Reason.INVALID_INPUT);
        assertThat(rejection.message()).isEqualTo("invalid request");
    }

    @Test
    void a_reopen_needs_a_valid_envelope() {
        // given
        var command = new SessionCommand.ReopenSession("", new SessionKey(7, ""), T0, null);

        // then
        assertThat(SessionDecider.validate(command)).extracting(Violation::title)
                .containsExactly("invalid customerSessionId", "missing commandId");
        assertThat(SessionDecider.validate(Commands.reopen())).isEmpty();
    }

    @Test
    void a_return_without_idempotency_key_or_with_one_of_255_characters_is_valid() {
        // then
        assertThat(SessionDecider.validate(Commands.returnItems(returned(0, 1)))).isEmpty();
        assertThat(SessionDecider.validate(Commands.returnItems(repeat('k', 255), returned(0, 1)))).isEmpty();
    }

    @Test
    void an_idempotency_key_of_256_characters_is_rejected() {
        // when
        List<Violation> violations = SessionDecider.validate(Commands.returnItems(repeat('k', 256), returned(0, 1)));

        // then
        assertThat(violations).containsExactly(new Violation("", "invalid Idempotency-Key",
                "the Idempotency-Key has 256 characters; at most 255 are allowed"));
    }

    @Test
    void a_blank_idempotency_key_is_rejected() {
        for (String blank : List.of("", "   ")) {
            // when
            List<Violation> violations = SessionDecider.validate(Commands.returnItems(blank, returned(0, 1)));

            // then
            assertThat(violations).containsExactly(new Violation("", "invalid Idempotency-Key",
                    "the Idempotency-Key must not be blank"));
        }
    }

    @Test
    void an_invalid_idempotency_key_is_rejected_by_decide_as_invalid_input() {
        // when
        Rejection rejection = rejection(decide(Sessions.closed(), Commands.returnItems(" ", returned(0, 1))));

        // then
        assertThat(rejection.reason()).isEqualTo(Reason.INVALID_INPUT);
        assertThat(rejection.violations()).extracting(Violation::title).containsExactly("invalid Idempotency-Key");
    }

    @Test
    void an_updates_idempotency_key_is_checked_as_a_returns_is() {
        // given
        SessionCommand.UpsertSession update = Commands.upsert().build();

        // then
        assertThat(SessionDecider.validate(update.withIdempotencyKey(repeat('k', 255)))).isEmpty();
        assertThat(SessionDecider.validate(update.withIdempotencyKey(" "))).extracting(Violation::details)
                .containsExactly("the Idempotency-Key must not be blank");
        assertThat(SessionDecider.validate(update.withIdempotencyKey(repeat('k', 256)))).extracting(Violation::details)
                .containsExactly("the Idempotency-Key has 256 characters; at most 255 are allowed");
        assertThat(rejection(decide(Sessions.open(), update.withIdempotencyKey(""))).reason())
                .isEqualTo(Reason.INVALID_INPUT);
    }

    @Test
    void decimals_have_at_most_twenty_digits_before_the_point_and_thirty_after() {
        // given
        BigDecimal largest = new BigDecimal("99999999999999999999.999999999999999999999999999999");
        BigDecimal huge = new BigDecimal("1E+999999999");

        // when
        List<Violation> fitting = validate(upsert().cart(item("A", 1, largest.toPlainString()))
                .additionalCosts(costs("shipping", "0.000000000000000000000000000001",
                        "gift", "1.500000000000000000000000000000")));
        List<Violation> beyond = validate(upsert()
                .cart(item("A", 1, "100000000000000000000"),
                        new CartItem(null, "B", 1, 0, BigDecimal.ONE, null, null, new BigDecimal("1E-31"), null,
                                null, null, null, null),
                        item("C", 1, huge.toString()))
                .additionalCosts(costs("shipping", "-1E+5000", "gift", "1.500000000000000000000000000000000",
                        "free", "0E-390000")));
        List<Violation> discounts = SessionDecider.validate(Commands.setDiscounts("promo", "1E+21"));

        // then
        assertThat(fitting).isEmpty();
        assertThat(beyond).extracting(Violation::pointer, Violation::title).contains(
                tuple("/customerSession/cartItems/0/price", "number out of range"),
                tuple("/customerSession/cartItems/1/weight", "number out of range"),
                tuple("/customerSession/cartItems/2/price", "number out of range"),
                tuple("/customerSession/additionalCosts/shipping/price", "number out of range"),
                // trailing zeros count: each is kept in the log and carried into the totals
                tuple("/customerSession/additionalCosts/gift/price", "number out of range"),
                tuple("/customerSession/additionalCosts/free/price", "number out of range"));
        // a number of a billion digits is shown as written, never expanded
        assertThat(beyond).extracting(Violation::details).anySatisfy(details -> assertThat(details)
                .endsWith("got 1E+999999999"));
        assertThat(beyond).extracting(Violation::details)
                .allSatisfy(details -> assertThat(details).hasSizeLessThan(200));
        assertThat(discounts).extracting(Violation::pointer, Violation::title)
                .containsExactly(tuple("/discounts/promo", "number out of range"));
    }

    @Test
    void an_additional_cost_needs_a_name() {
        // when
        List<Violation> session = validate(upsert().additionalCosts(costs("", "1", " ", "2", "shipping", "3")));
        List<Violation> item = validate(upsert().cart(item("A", 1, "1", Map.of("", "1"))));

        // then
        assertThat(session).extracting(Violation::pointer, Violation::title).containsExactly(
                tuple("/customerSession/additionalCosts/", "blank additional cost name"),
                tuple("/customerSession/additionalCosts/ ", "blank additional cost name"));
        assertThat(item).extracting(Violation::pointer)
                .containsExactly("/customerSession/cartItems/0/additionalCosts/");
    }
}
