package io.customersessions.projector.http;

import io.customersessions.domain.CartItem;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import io.customersessions.projector.streams.TopologyFixture;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

@MicronautTest
class ManagementApiTest {

    private static final String APP_1 = "ManagementKey-v1 management-key-app-1";
    private static final String APP_2 = "ManagementKey-v1 management-key-app-2";

    @Inject
    TopologyFixture fixture;
    @Inject
    TestClient client;
    @Inject
    JsonMapper json;

    @BeforeEach
    void sessions() {
        fixture.reset();
        SessionChanges first = new SessionChanges("customer-1", "store-1", List.of(10L), List.of("SPRING", "EXTRA"),
                "FRIEND-1", null, List.of(new CartItem("Sock", "SOCK-1", 2, 0, new BigDecimal("12.50"), "apparel",
                null, null, null, null, null, new TreeMap<>(Map.of("colour", "\"red\"")), null)),
                null, null, new TreeMap<>(Map.of("city", "\"Berlin\"")), null);
        fixture.send(fixture.upsert(new SessionKey(1, "s-1"), Optional.of(SessionState.OPEN), first));
        fixture.send(fixture.setDiscounts(new SessionKey(1, "s-1"),
                Map.of("10% off", new BigDecimal("2.50"), "free socks", new BigDecimal("1"))));
        fixture.send(fixture.upsert(new SessionKey(1, "s-2"), Optional.of(SessionState.CLOSED),
                SessionChanges.NONE.withProfileId("customer-1")));
        fixture.send(fixture.upsert(new SessionKey(1, "s-3"), Optional.of(SessionState.OPEN), SessionChanges.NONE));
        fixture.send(fixture.upsert(new SessionKey(2, "other-app"), Optional.empty(),
                SessionChanges.NONE.withProfileId("customer-1")));
    }

    @Test
    void a_listed_session_has_talon_ones_application_session_fields_and_types() {
        // when
        TestClient.Reply reply = client.get("/v1/applications/1/sessions?integrationId=s-1", APP_1);

        // then
        assertThat(reply.status()).isEqualTo(200);
        JsonNode page = tree(reply.body());
        assertThat(names(page)).containsExactly("hasMore", "data");
        assertThat(page.get("hasMore").isBoolean()).isTrue();
        JsonNode session = page.get("data").get(0);
        assertThat(names(session)).containsExactly("id", "created", "integrationId", "storeIntegrationId",
                "applicationId", "profileintegrationid", "coupon", "referral", "state", "cartItems", "discounts",
                "totalDiscounts", "total", "attributes");
        assertThat(session.get("id").getLongValue()).isEqualTo(fixture.session(new SessionKey(1, "s-1")).getId());
        assertThat(session.get("created").getStringValue()).isEqualTo("2026-11-01T10:00:01.000Z");
        assertThat(session.get("integrationId").getStringValue()).isEqualTo("s-1");
        assertThat(session.get("storeIntegrationId").getStringValue()).isEqualTo("store-1");
        assertThat(session.get("applicationId").isNumber()).isTrue();
        assertThat(session.get("applicationId").getLongValue()).isEqualTo(1);
        assertThat(session.get("profileintegrationid").getStringValue()).isEqualTo("customer-1");
        assertThat(session.get("coupon").getStringValue()).isEqualTo("SPRING");
        assertThat(session.get("referral").getStringValue()).isEqualTo("FRIEND-1");
        assertThat(session.get("state").getStringValue()).isEqualTo("open");
        JsonNode item = session.get("cartItems").get(0);
        assertThat(item.get("sku").getStringValue()).isEqualTo("SOCK-1");
        assertThat(item.get("price").isNumber()).isTrue();
        assertThat(item.get("attributes").get("colour").getStringValue()).isEqualTo("red");
        assertThat(session.get("discounts").get("10% off").isNumber()).isTrue();
        assertThat(session.get("discounts").get("10% off").getBigDecimalValue()).isEqualByComparingTo("2.50");
        assertThat(session.get("totalDiscounts").isNumber()).isTrue();
        assertThat(session.get("totalDiscounts").getBigDecimalValue()).isEqualByComparingTo("3.50");
        assertThat(session.get("total").isNumber()).isTrue();
        assertThat(session.get("total").getBigDecimalValue()).isEqualByComparingTo("25.00");
        assertThat(session.get("attributes").get("city").getStringValue()).isEqualTo("Berlin");
    }

    @Test
    void a_session_without_coupon_or_store_shows_empty_coupon_and_no_store() {
        // when
        JsonNode session = tree(client.get("/v1/applications/1/sessions?integrationId=s-3", APP_1).body())
                .get("data").get(0);

        // then
        assertThat(session.get("coupon").getStringValue()).isEmpty();
        assertThat(session.get("referral").getStringValue()).isEmpty();
        assertThat(session.get("profileintegrationid").getStringValue()).isEmpty();
        assertThat(session.get("storeIntegrationId")).isNull();
        assertThat(session.get("discounts").size()).isZero();
        assertThat(session.get("totalDiscounts").getBigDecimalValue()).isEqualByComparingTo("0");
    }

    @Test
    void filters_paging_and_sort_come_from_the_query() {
        // when
        JsonNode byProfile = tree(client.get("/v1/applications/1/sessions?profile=customer-1&sort=-created", APP_1)
                .body());
        JsonNode firstPage = tree(client.get("/v1/applications/1/sessions?pageSize=2", APP_1).body());
        JsonNode lastPage = tree(client.get("/v1/applications/1/sessions?pageSize=2&skip=2", APP_1).body());
        JsonNode closed = tree(client.get("/v1/applications/1/sessions?state=closed", APP_1).body());
        JsonNode recent = tree(client.get(
                "/v1/applications/1/sessions?createdAfter=2026-11-01T11:00:02%2B01:00", APP_1).body());
        JsonNode partial = tree(client.get("/v1/applications/1/sessions?coupon=XTR&partialMatch=true", APP_1).body());

        // then
        assertThat(ids(byProfile)).containsExactly("s-2", "s-1");
        assertThat(ids(firstPage)).containsExactly("s-1", "s-2");
        assertThat(firstPage.get("hasMore").getBooleanValue()).isTrue();
        assertThat(ids(lastPage)).containsExactly("s-3");
        assertThat(lastPage.get("hasMore").getBooleanValue()).isFalse();
        assertThat(ids(closed)).containsExactly("s-2");
        assertThat(ids(recent)).containsExactly("s-2", "s-3");
        assertThat(ids(partial)).containsExactly("s-1");
    }

    @Test
    void bad_parameters_are_400_naming_each_parameter() {
        // when
        TestClient.Reply reply = client.get(
                "/v1/applications/1/sessions?pageSize=0&state=shipped&sort=colour&createdBefore=today", APP_1);

        // then
        assertThat(reply.status()).isEqualTo(400);
        JsonNode body = tree(reply.body());
        assertThat(body.get("message").getStringValue()).isNotBlank();
        List<String> parameters = new ArrayList<>();
        body.get("errors").values().forEach(error -> parameters.add(error.get("source").get("parameter")
                .getStringValue()));
        assertThat(parameters).containsExactlyInAnyOrder("pageSize", "state", "sort", "createdBefore");
    }

    @Test
    void a_session_is_read_by_its_numeric_id() {
        // given
        long id = fixture.session(new SessionKey(1, "s-2")).getId();

        // when
        TestClient.Reply found = client.get("/v1/applications/1/sessions/" + id, APP_1);
        TestClient.Reply missing = client.get("/v1/applications/1/sessions/999999", APP_1);

        // then
        assertThat(found.status()).isEqualTo(200);
        assertThat(tree(found.body()).get("integrationId").getStringValue()).isEqualTo("s-2");
        assertThat(tree(found.body()).get("id").getLongValue()).isEqualTo(id);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(tree(missing.body()).get("errors").size()).isEqualTo(1);
    }

    @Test
    void another_applications_data_is_not_found_never_shown() {
        // given
        long id = fixture.session(new SessionKey(1, "s-1")).getId();

        // when
        TestClient.Reply list = client.get("/v1/applications/1/sessions", APP_2);
        TestClient.Reply one = client.get("/v1/applications/1/sessions/" + id, APP_2);
        TestClient.Reply ownById = client.get("/v1/applications/2/sessions/" + id, APP_2);

        // then
        assertThat(list.status()).isEqualTo(404);
        assertThat(list.body()).doesNotContain("s-1");
        assertThat(one.status()).isEqualTo(404);
        assertThat(one.body()).doesNotContain("s-1");
        assertThat(ownById.status()).isEqualTo(404);
        assertThat(ids(tree(client.get("/v1/applications/2/sessions", APP_2).body()))).containsExactly("other-app");
    }

    @Test
    void without_a_management_key_the_answer_is_401() {
        assertThat(client.get("/v1/applications/1/sessions", null).status()).isEqualTo(401);
        assertThat(client.get("/v1/applications/1/sessions", "ManagementKey-v1 wrong").status())
                .isEqualTo(401);
        assertThat(client.get("/v1/applications/1/sessions", "ApiKey-v1 integration-key-app-1").status())
                .isEqualTo(401);
    }

    @Test
    void a_bearer_token_is_a_management_key() {
        assertThat(client.get("/v1/applications/1/sessions", "Bearer management-key-app-1").status())
                .isEqualTo(200);
    }

    private JsonNode tree(String body) {
        try {
            return json.readValue(body, JsonNode.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.entries().forEach(entry -> names.add(entry.getKey()));
        return names;
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("data").values().forEach(session -> ids.add(session.get("integrationId").getStringValue()));
        return ids;
    }
}
