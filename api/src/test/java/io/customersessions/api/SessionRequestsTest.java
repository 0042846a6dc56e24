package io.customersessions.api;

import io.customersessions.api.model.IntegrationRequestV2;
import io.customersessions.domain.CartItem;
import io.customersessions.domain.Rejection;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.customersessions.api.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

class SessionRequestsTest {

    private static final SessionKey KEY = new SessionKey(7, "session-1");
    private static final Instant TIME = Instant.parse("2026-11-22T10:15:30.123Z");

    private static Validated<SessionCommand.UpsertSession> parse(String singleQuotedBody) {
        return parse(singleQuotedBody, null);
    }

    private static Validated<SessionCommand.UpsertSession> parse(String singleQuotedBody, Integer ifMatch) {
        IntegrationRequestV2 request = Json.read(json(singleQuotedBody), IntegrationRequestV2.class);
        return SessionRequests.parseUpsert("cmd-1", KEY, TIME, ifMatch, request);
    }

    private static SessionCommand.UpsertSession valid(String singleQuotedBody) {
        return valid(singleQuotedBody, null);
    }

    private static SessionCommand.UpsertSession valid(String singleQuotedBody, Integer ifMatch) {
        Validated<SessionCommand.UpsertSession> parsed = parse(singleQuotedBody, ifMatch);
        assertThat(parsed).isInstanceOf(Validated.Valid.class);
        return ((Validated.Valid<SessionCommand.UpsertSession>) parsed).value();
    }

    private static List<Rejection.Violation> violations(String singleQuotedBody) {
        return violations(parse(singleQuotedBody));
    }

    private static List<Rejection.Violation> violations(Validated<SessionCommand.UpsertSession> parsed) {
        return assertThat(parsed).asInstanceOf(type(Validated.Invalid.class)).actual().violations();
    }

    private static List<String> pointers(List<Rejection.Violation> violations) {
        return violations.stream().map(Rejection.Violation::pointer).toList();
    }

    @Test
    void a_body_with_every_field_becomes_a_command_with_every_field() {
        // when
        SessionCommand.UpsertSession command = valid("""
                {'customerSession': {
                  'profileId': 'customer-42', 'storeIntegrationId': 'store-1',
                  'evaluableCampaignIds': [10, 3000000000], 'couponCodes': ['SPRING', 'VIP'],
                  'referralCode': 'FRIEND-1', 'loyaltyCards': ['card-9'], 'state': 'closed',
                  'cartItems': [{
                    'name': 'Shoe', 'sku': 'SKU-1', 'quantity': 2, 'price': 12.50, 'category': 'shoes',
                    'product': {'name': 'Runner'}, 'weight': 0.8, 'height': 12, 'width': 30.5, 'length': 11.25,
                    'attributes': {'color': 'red', 'size': {'eu': 42, 'us': 9}},
                    'additionalCosts': {'gift-wrap': {'price': 1.5}}
                  }],
                  'additionalCosts': {'shipping': {'price': 4.95}},
                  'identifiers': ['10.0.0.1'],
                  'attributes': {'city': 'Berlin', 'express': true}
                }, 'responseContent': ['customerSession']}""", 3);

        // then
        assertThat(command.commandId()).isEqualTo("cmd-1");
        assertThat(command.key()).isEqualTo(KEY);
        assertThat(command.time()).isEqualTo(TIME);
        assertThat(command.expectedUpdateCount()).isEqualTo(3);
        assertThat(command.requestedState()).contains(SessionState.CLOSED);
        SessionChanges changes = command.changes();
        assertThat(changes.profileId()).isEqualTo("customer-42");
        assertThat(changes.storeIntegrationId()).isEqualTo("store-1");
        assertThat(changes.evaluableCampaignIds()).containsExactly(10L, 3_000_000_000L);
        assertThat(changes.couponCodes()).containsExactly("SPRING", "VIP");
        assertThat(changes.referralCode()).isEqualTo("FRIEND-1");
        assertThat(changes.loyaltyCards()).containsExactly("card-9");
        assertThat(changes.additionalCosts()).containsExactly(Map.entry("shipping", new BigDecimal("4.95")));
        assertThat(changes.identifiers()).containsExactly("10.0.0.1");
        assertThat(changes.attributes()).containsExactly(
                Map.entry("city", "\"Berlin\""), Map.entry("express", "true"));
        assertThat(changes.firstSession()).isNull();
        assertThat(changes.cartItems()).containsExactly(new CartItem("Shoe", "SKU-1", 2, 0,
                new BigDecimal("12.50"), "shoes", "Runner", new BigDecimal("0.8"), new BigDecimal("12"),
                new BigDecimal("30.5"), new BigDecimal("11.25"),
                new TreeMap<>(Map.of("color", "\"red\"", "size", "{\"eu\":42,\"us\":9}")),
                new TreeMap<>(Map.of("gift-wrap", new BigDecimal("1.5")))));
    }

    @Test
    void money_reaches_the_domain_exactly_with_its_scale() {
        // when
        SessionCommand.UpsertSession command = valid("""
                {'customerSession': {'cartItems': [
                  {'sku': 'a', 'quantity': 1, 'price': 0.1},
                  {'sku': 'b', 'quantity': 1, 'price': 12.50},
                  {'sku': 'c', 'quantity': 1, 'price': 0.30000000000000000001}]}}""");

        // then
        assertThat(command.changes().cartItems()).extracting(CartItem::price).containsExactly(
                new BigDecimal("0.1"), new BigDecimal("12.50"), new BigDecimal("0.30000000000000000001"));
        assertThat(command.changes().cartItems().get(1).price().scale()).isEqualTo(2);
    }

    @Test
    void omitted_fields_are_null_so_the_session_keeps_its_values() {
        // when
        SessionCommand.UpsertSession command = valid("{'customerSession': {}}");

        // then
        assertThat(command.changes()).isEqualTo(SessionChanges.NONE);
        assertThat(command.requestedState()).isEmpty();
        assertThat(command.expectedUpdateCount()).isNull();
    }

    @Test
    void explicit_nulls_mean_not_given_too() {
        // when
        SessionCommand.UpsertSession command = valid("""
                {'customerSession': {'couponCodes': null, 'referralCode': null, 'attributes': null,
                  'cartItems': null, 'state': null}}""");

        // then
        assertThat(command.changes()).isEqualTo(SessionChanges.NONE);
        assertThat(command.requestedState()).isEmpty();
    }

    @Test
    void empty_coupon_codes_and_empty_referral_code_are_values_that_clear() {
        // when
        SessionChanges changes = valid("{'customerSession': {'couponCodes': [], 'referralCode': ''}}").changes();

        // then
        assertThat(changes.couponCodes()).isNotNull().isEmpty();
        assertThat(changes.referralCode()).isEqualTo("");
    }

    @Test
    void attributes_in_different_key_orders_give_the_same_canonical_text() {
        // when
        SessionChanges one = valid("""
                {'customerSession': {'attributes': {'address': {'zip': '10115', 'city': 'Berlin'}, 'n': 1.0}}}""")
                .changes();
        SessionChanges other = valid("""
                {'customerSession': {'attributes': {'n': 1, 'address': {'city': 'Berlin', 'zip': '10115'}}}}""")
                .changes();

        // then
        assertThat(one.attributes()).isEqualTo(other.attributes());
        assertThat(one.attributes()).containsEntry("address", "{\"city\":\"Berlin\",\"zip\":\"10115\"}");
    }

    @Test
    void read_only_cart_item_fields_that_clients_echo_are_accepted_and_ignored() {
        // when
        SessionCommand.UpsertSession command = valid("""
                {'customerSession': {'cartItems': [{'sku': 'a', 'quantity': 3, 'position': 0,
                  'returnedQuantity': 2, 'remainingQuantity': 1}]}}""");

        // then
        assertThat(command.changes().cartItems().get(0).returnedQuantity()).isZero();
        assertThat(command.changes().cartItems().get(0).quantity()).isEqualTo(3);
    }

    @Test
    void an_unknown_state_is_reported_with_the_state_names() {
        // when
        List<Rejection.Violation> violations = violations("{'customerSession': {'state': 'paid'}}");

        // then
        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.pointer()).isEqualTo("/customerSession/state");
            assertThat(v.details()).contains("'paid'", "open", "closed", "partially_returned", "cancelled");
        });
    }

    @Test
    void a_request_without_customerSession_is_reported_at_customerSession() {
        // when
        List<Rejection.Violation> violations = violations("{'responseContent': ['customerSession']}");

        // then
        assertThat(pointers(violations)).containsExactly("/customerSession");
    }

    @Test
    void a_missing_request_is_reported_like_a_missing_customerSession() {
        // when
        Validated<SessionCommand.UpsertSession> parsed =
                SessionRequests.parseUpsert("cmd-1", KEY, TIME, null, null);

        // then
        assertThat(pointers(violations(parsed))).containsExactly("/customerSession");
    }

    @Test
    void a_fractional_or_missing_quantity_is_reported_once_not_truncated() {
        // when
        List<Rejection.Violation> violations = violations("""
                {'customerSession': {'cartItems': [{'sku': 'a', 'quantity': 1.7}, {'sku': 'b'}]}}""");

        // then
        assertThat(violations).extracting(Rejection.Violation::pointer, Rejection.Violation::title).containsExactly(
                tuple("/customerSession/cartItems/0/quantity", "invalid quantity"),
                tuple("/customerSession/cartItems/1/quantity", "missing quantity"));
        assertThat(violations.get(0).details()).contains("1.7");
    }

    @Test
    void a_fractional_or_out_of_range_campaign_id_is_reported_not_truncated() {
        // when
        List<Rejection.Violation> violations = violations("""
                {'customerSession': {'evaluableCampaignIds': [7, 1.5, 1e30, null]}}""");

        // then
        assertThat(violations).extracting(Rejection.Violation::pointer, Rejection.Violation::title).containsExactly(
                tuple("/customerSession/evaluableCampaignIds/3", "missing value"),
                tuple("/customerSession/evaluableCampaignIds/1", "invalid campaign id"),
                tuple("/customerSession/evaluableCampaignIds/2", "invalid campaign id"));
        assertThat(violations.get(1).details()).contains("1.5");
    }

    @Test
    void a_whole_quantity_written_with_a_fraction_is_accepted() {
        assertThat(valid("{'customerSession': {'cartItems': [{'sku': 'a', 'quantity': 2.0}]}}")
                .changes().cartItems().get(0).quantity()).isEqualTo(2);
    }

    @Test
    void nulls_inside_lists_are_reported_where_they_are() {
        // when
        List<Rejection.Violation> violations = violations("""
                {'customerSession': {'couponCodes': ['A', null], 'identifiers': [null],
                  'cartItems': [{'sku': 'a', 'quantity': 1}, null]}}""");

        // then
        assertThat(pointers(violations)).containsExactlyInAnyOrder("/customerSession/couponCodes/1",
                "/customerSession/identifiers/0", "/customerSession/cartItems/1");
    }

    @Test
    void attributes_must_be_an_object_and_values_must_not_be_null() {
        // when
        List<Rejection.Violation> violations = violations("""
                {'customerSession': {'attributes': {'a/b': null, 'ok': 1},
                  'cartItems': [{'sku': 'a', 'quantity': 1, 'attributes': ['not', 'an', 'object']}]}}""");

        // then
        assertThat(pointers(violations)).containsExactlyInAnyOrder("/customerSession/attributes/a~1b",
                "/customerSession/cartItems/0/attributes");
    }

    @Test
    void the_domain_limits_come_through_with_their_pointers() {
        // given
        String identifiers = IntStream.range(0, 6).mapToObj(i -> "'id-" + i + "'").collect(Collectors.joining(","));
        String longCode = "x".repeat(101);

        // when
        List<Rejection.Violation> violations = violations("{'customerSession': {'identifiers': [" + identifiers
                + "], 'couponCodes': ['" + longCode + "'], 'cartItems': [{'quantity': 1}, {'sku': 'b', 'quantity': 0}]}}");

        // then
        assertThat(pointers(violations)).contains("/customerSession/identifiers", "/customerSession/couponCodes/0",
                "/customerSession/cartItems/0/sku", "/customerSession/cartItems/1/quantity");
    }

    @Test
    void too_many_units_are_reported_at_cartItems() {
        // when
        List<Rejection.Violation> violations = violations(
                "{'customerSession': {'cartItems': [{'sku': 'a', 'quantity': 6000}, {'sku': 'b', 'quantity': 4001}]}}");

        // then
        assertThat(pointers(violations)).containsExactly("/customerSession/cartItems");
    }

    @Test
    void json_layer_and_domain_violations_are_reported_together() {
        // when
        List<Rejection.Violation> violations = violations(
                "{'customerSession': {'state': 'paid', 'cartItems': [{'quantity': 1}]}}");

        // then
        assertThat(pointers(violations)).containsExactly("/customerSession/state", "/customerSession/cartItems/0/sku");
    }

    @Test
    void a_known_state_name_is_the_requested_state() {
        assertThat(valid("{'customerSession': {'state': 'open'}}").requestedState()).isEqualTo(Optional.of(SessionState.OPEN));
    }
}
