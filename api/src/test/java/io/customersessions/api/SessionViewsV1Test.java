package io.customersessions.api;

import io.customersessions.api.model.IntegrationState;
import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.customersessions.api.Json.tree;
import static io.customersessions.api.Json.write;
import static org.assertj.core.api.Assertions.assertThat;

class SessionViewsV1Test {

    private final SessionViewsV1 views = new SessionViewsV1(new SessionViews(Json.MAPPER));

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.entries().forEach(e -> names.add(e.getKey()));
        return names;
    }

    @Test
    void a_v1_session_has_talon_ones_v1_fields_and_types() {
        // when
        JsonNode session = tree(write(views.toV1(Sessions.discounted())));

        // then
        assertThat(names(session)).containsExactly("integrationId", "created", "applicationId", "profileId", "coupon",
                "referral", "state", "cartItems", "identifiers", "total", "attributes", "firstSession", "discounts",
                "updateCount", "updated");
        assertThat(session.get("integrationId").getStringValue()).isEqualTo("session-1");
        assertThat(session.get("created").getStringValue()).isEqualTo("2026-11-22T10:15:30.123Z");
        assertThat(session.get("updated").getStringValue()).isEqualTo("2026-11-22T10:16:00.000Z");
        assertThat(session.get("applicationId").isNumber()).isTrue();
        assertThat(session.get("coupon").getStringValue()).isEqualTo("SPRING");
        assertThat(session.get("referral").getStringValue()).isEqualTo("FRIEND-1");
        assertThat(session.get("state").getStringValue()).isEqualTo("partially_returned");
        assertThat(session.get("cartItems").get(0).get("returnedQuantity").getIntValue()).isEqualTo(1);
        assertThat(session.get("attributes").get("city").getStringValue()).isEqualTo("Berlin");
        assertThat(session.get("updateCount").getIntValue()).isEqualTo(3);
        assertThat(session.get("firstSession").isBoolean()).isTrue();
    }

    @Test
    void total_is_before_discounts_and_discounts_are_numbers_by_label() {
        // when
        JsonNode session = tree(write(views.toV1(Sessions.discounted())));

        // then: the same pre-discount total as the v2 view
        assertThat(session.get("total").isNumber()).isTrue();
        assertThat(session.get("total").getBigDecimalValue()).isEqualByComparingTo("33.05");
        assertThat(session.get("discounts").get("10% off shoes").isNumber()).isTrue();
        assertThat(session.get("discounts").get("10% off shoes").getBigDecimalValue()).isEqualByComparingTo("2.50");
        assertThat(session.get("discounts").get("free shipping").getBigDecimalValue()).isEqualByComparingTo("4.95");
    }

    @Test
    void without_coupons_or_discounts_coupon_is_empty_and_discounts_an_empty_object() {
        // when
        JsonNode session = tree(write(views.toV1(Sessions.empty())));

        // then
        assertThat(session.get("coupon").getStringValue()).isEmpty();
        assertThat(session.get("referral").getStringValue()).isEmpty();
        assertThat(session.get("discounts").isObject()).isTrue();
        assertThat(session.get("discounts").size()).isZero();
    }

    @Test
    void the_integration_state_has_the_session_profile_and_event() {
        // when
        IntegrationState state = views.integrationState(Sessions.full(), List.of("talon_session_updated"));
        JsonNode written = tree(write(state));

        // then
        assertThat(names(written)).containsExactly("session", "profile", "event", "loyalty", "referral");
        assertThat(written.get("profile").get("integrationId").getStringValue()).isEqualTo("customer-42");
        JsonNode event = written.get("event");
        assertThat(event.get("type").getStringValue()).isEqualTo("talon_session_updated");
        assertThat(event.get("sessionId").getStringValue()).isEqualTo("session-1");
        assertThat(event.get("created").getStringValue()).isEqualTo("2026-11-22T10:16:00.000Z");
        assertThat(event.get("effects").isArray()).isTrue();
        assertThat(written.get("loyalty").isNull()).isTrue();
        assertThat(written.get("referral").isNull()).isTrue();
    }

    @Test
    void an_anonymous_session_has_no_profile() {
        // when
        JsonNode written = tree(write(views.integrationState(Sessions.empty(), List.of("talon_session_created"))));

        // then
        assertThat(written.get("profile").isNull()).isTrue();
        assertThat(written.get("event").get("profileId").getStringValue()).isEmpty();
    }
}
