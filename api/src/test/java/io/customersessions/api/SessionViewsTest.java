package io.customersessions.api;

import io.customersessions.api.model.CustomerSessionV2;
import io.customersessions.api.model.IntegrationCustomerSessionResponse;
import io.customersessions.api.model.IntegrationStateV2;
import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static io.customersessions.api.Json.json;
import static io.customersessions.api.Json.tree;
import static io.customersessions.api.Json.write;
import static org.assertj.core.api.Assertions.assertThat;

class SessionViewsTest {

    private final SessionViews views = new SessionViews(Json.MAPPER);

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.entries().forEach(e -> names.add(e.getKey()));
        return names;
    }

    @Test
    void a_session_is_written_with_talon_one_field_names_and_types() {
        // when
        JsonNode session = tree(write(views.toV2(Sessions.full())));

        // then
        assertThat(names(session)).containsExactly("id", "created", "integrationId", "applicationId", "profileId",
                "storeIntegrationId", "evaluableCampaignIds", "couponCodes", "referralCode", "loyaltyCards", "state",
                "cartItems", "additionalCosts", "identifiers", "attributes", "firstSession", "total", "cartItemTotal",
                "additionalCostTotal", "updated", "updateCount");
        assertThat(session.get("id").getLongValue()).isEqualTo(42);
        assertThat(session.get("created").getStringValue()).isEqualTo("2026-11-22T10:15:30.123Z");
        assertThat(session.get("updated").getStringValue()).isEqualTo("2026-11-22T10:16:00.000Z");
        assertThat(session.get("integrationId").getStringValue()).isEqualTo("session-1");
        assertThat(session.get("applicationId").isNumber()).isTrue();
        assertThat(session.get("state").getStringValue()).isEqualTo("partially_returned");
        assertThat(session.get("evaluableCampaignIds").get(0).isNumber()).isTrue();
        assertThat(session.get("firstSession").isBoolean()).isTrue();
        assertThat(session.get("updateCount").getIntValue()).isEqualTo(3);
        assertThat(session.get("additionalCosts").get("shipping").get("price").getBigDecimalValue())
                .isEqualByComparingTo("4.95");
    }

    @Test
    void totals_are_json_numbers_computed_over_the_remaining_quantities() {
        // when
        JsonNode session = tree(write(views.toV2(Sessions.full())));

        // then: 2 remaining shoes × 12.50 + 1 sock × 0.1 = 25.1; + shipping 4.95 + 2 × gift-wrap 1.5
        assertThat(session.get("cartItemTotal").isNumber()).isTrue();
        assertThat(session.get("cartItemTotal").getBigDecimalValue()).isEqualByComparingTo("25.1");
        assertThat(session.get("additionalCostTotal").getBigDecimalValue()).isEqualByComparingTo("4.95");
        assertThat(session.get("total").getBigDecimalValue()).isEqualByComparingTo("33.05");
    }

    @Test
    void cart_items_show_position_returned_and_remaining_quantity_and_product() {
        // when
        JsonNode items = tree(write(views.toV2(Sessions.full()))).get("cartItems");

        // then
        JsonNode shoe = items.get(0);
        assertThat(shoe.get("position").getIntValue()).isZero();
        assertThat(shoe.get("quantity").getIntValue()).isEqualTo(3);
        assertThat(shoe.get("returnedQuantity").getIntValue()).isEqualTo(1);
        assertThat(shoe.get("remainingQuantity").getIntValue()).isEqualTo(2);
        assertThat(shoe.get("price").isNumber()).isTrue();
        assertThat(shoe.get("product").get("name").getStringValue()).isEqualTo("Runner");
        assertThat(shoe.get("attributes").get("size").get("eu").getIntValue()).isEqualTo(42);
        assertThat(shoe.get("additionalCosts").get("gift-wrap").get("price").getBigDecimalValue())
                .isEqualByComparingTo("1.5");
        JsonNode sock = items.get(1);
        assertThat(sock.get("position").getIntValue()).isEqualTo(1);
        assertThat(names(sock)).doesNotContain("product", "name", "category", "weight");
    }

    @Test
    void attributes_are_json_values_again_not_strings() {
        // when
        JsonNode attributes = tree(write(views.toV2(Sessions.full()))).get("attributes");

        // then
        assertThat(attributes.get("city").getStringValue()).isEqualTo("Berlin");
        assertThat(attributes.get("express").isBoolean()).isTrue();
    }

    @Test
    void empty_lists_and_empty_strings_are_written_not_omitted() {
        // when
        JsonNode session = tree(write(views.toV2(Sessions.empty())));

        // then
        assertThat(session.get("couponCodes").isArray()).isTrue();
        assertThat(session.get("couponCodes").size()).isZero();
        assertThat(session.get("cartItems").size()).isZero();
        assertThat(session.get("attributes").isObject()).isTrue();
        assertThat(session.get("profileId").getStringValue()).isEmpty();
        assertThat(session.get("referralCode").getStringValue()).isEmpty();
        assertThat(session.get("total").getBigDecimalValue()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(names(session)).doesNotContain("storeIntegrationId");
    }

    @Test
    void an_update_answer_has_the_session_and_empty_effects() {
        // when
        String written = write(views.integrationState(Sessions.full(), null));

        // then
        JsonNode state = tree(written);
        assertThat(names(state)).containsExactly("customerSession", "effects", "createdCoupons", "createdReferrals");
        assertThat(state.get("customerSession").get("integrationId").getStringValue()).isEqualTo("session-1");
        assertThat(written).contains(json("'effects':[],'createdCoupons':[],'createdReferrals':[]"));
    }

    @Test
    void responseContent_decides_whether_the_session_and_the_profile_are_included() {
        assertThat(views.integrationState(Sessions.full(), List.of()).customerSession()).isNotNull();
        assertThat(views.integrationState(Sessions.full(), List.of()).customerProfile()).isNull();
        assertThat(views.integrationState(Sessions.full(), List.of("customerSession")).customerSession()).isNotNull();
        assertThat(views.integrationState(Sessions.full(), List.of("customerProfile")).customerSession()).isNull();
        assertThat(names(tree(write(views.integrationState(Sessions.full(), List.of("customerProfile"))))))
                .containsExactly("customerProfile", "effects", "createdCoupons", "createdReferrals");
        assertThat(names(tree(write(views.integrationState(Sessions.full(), List.of("triggeredCampaigns"))))))
                .containsExactly("effects", "createdCoupons", "createdReferrals");
    }

    @Test
    void the_profile_is_the_sessions_profile_id_with_no_attributes_and_absent_when_anonymous() {
        // when
        JsonNode known = tree(write(views.integrationState(Sessions.full(), List.of("customerSession", "customerProfile"))));
        JsonNode anonymous = tree(write(views.integrationState(Sessions.empty(), List.of("customerProfile"))));

        // then
        assertThat(names(known.get("customerProfile"))).containsExactly("integrationId", "attributes");
        assertThat(known.get("customerProfile").get("integrationId").getStringValue()).isEqualTo("customer-42");
        assertThat(known.get("customerProfile").get("attributes").isObject()).isTrue();
        assertThat(known.get("customerProfile").get("attributes").size()).isZero();
        assertThat(names(anonymous)).doesNotContain("customerProfile");
    }

    @Test
    void a_read_answer_has_the_session_and_empty_effects() {
        // when
        JsonNode response = tree(write(views.customerSessionResponse(Sessions.full())));

        // then
        assertThat(names(response)).containsExactly("customerSession", "effects");
        assertThat(response.get("effects").isArray()).isTrue();
        assertThat(response.get("effects").size()).isZero();
    }

    @Test
    void a_written_answer_reads_back_into_the_same_records() {
        // given
        IntegrationStateV2 state = views.integrationState(Sessions.full(), null);
        IntegrationCustomerSessionResponse read = views.customerSessionResponse(Sessions.full());

        // when
        IntegrationStateV2 stateAgain = Json.read(write(state), IntegrationStateV2.class);
        CustomerSessionV2 sessionAgain = Json.read(write(read), IntegrationCustomerSessionResponse.class)
                .customerSession();

        // then
        assertThat(stateAgain.customerSession()).isEqualTo(state.customerSession());
        assertThat(sessionAgain).isEqualTo(read.customerSession());
    }
}
