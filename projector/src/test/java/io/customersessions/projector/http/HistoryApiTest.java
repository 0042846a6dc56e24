package io.customersessions.projector.http;

import io.customersessions.domain.CartItem;
import io.customersessions.domain.ReturnedItem;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import io.customersessions.projector.routing.QueryRouter;
import io.customersessions.projector.streams.TopologyFixture;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** History, the application-wide event listing and as-of reads, over HTTP on the stores of a real topology. */
@MicronautTest
class HistoryApiTest {

    private static final String MANAGEMENT_1 = "ManagementKey-v1 management-key-app-1";
    private static final String INTEGRATION_1 = "ApiKey-v1 integration-key-app-1";
    private static final String S1_EVENTS = "/v1/applications/1/customer_sessions/s-1/events";

    @Inject
    TopologyFixture fixture;
    @Inject
    TestClient client;
    @Inject
    JsonMapper json;

    /** cmd-1..cmd-4 on s-1 at T0+1s..T0+4s, cmd-5 creates s-2 at T0+5s, cmd-6 is in application 2. */
    @BeforeEach
    void sessions() {
        fixture.reset();
        SessionKey s1 = new SessionKey(1, "s-1");
        SessionChanges socks = SessionChanges.NONE.withProfileId("customer-1")
                .withCartItems(List.of(CartItem.of("SOCK", 2, new BigDecimal("12.50"))))
                .withAttributes(new TreeMap<>(Map.of("city", "\"Berlin\"")));
        fixture.send(fixture.upsert(s1, Optional.of(SessionState.OPEN), socks));
        fixture.send(fixture.setDiscounts(s1, Map.of("10% off", new BigDecimal("2.50"))));
        fixture.send(fixture.upsert(s1, Optional.of(SessionState.CLOSED), SessionChanges.NONE));
        fixture.send(fixture.returnItems(s1, "return-1", new ReturnedItem(0, 1)));
        fixture.send(fixture.upsert(new SessionKey(1, "s-2"), Optional.of(SessionState.CLOSED), SessionChanges.NONE));
        fixture.send(fixture.upsert(new SessionKey(2, "s-1"), Optional.of(SessionState.OPEN), SessionChanges.NONE));
    }

    @Test
    void a_sessions_history_lists_every_event_in_order_with_position_changes_and_state_after() {
        // when
        TestClient.Reply reply = client.get(S1_EVENTS, MANAGEMENT_1);

        // then
        assertThat(reply.status()).isEqualTo(200);
        JsonNode page = tree(reply.body());
        assertThat(page.get("hasMore").getBooleanValue()).isFalse();
        assertThat(types(page)).containsExactly("talon_session_created", "talon_session_discounts_set",
                "talon_session_closed", "talon_session_partially_returned");
        JsonNode created = page.get("data").get(0);
        assertThat(names(created)).containsExactly("type", "created", "partition", "offset", "commandId", "eventId",
                "changes", "stateAfter");
        assertThat(created.get("created").getStringValue()).isEqualTo("2026-11-01T10:00:01.000Z");
        assertThat(created.get("partition").getIntValue()).isZero();
        assertThat(created.get("commandId").getStringValue()).isEqualTo("cmd-1");
        assertThat(created.get("eventId").getStringValue()).isEqualTo("cmd-1/0");
        JsonNode changes = created.get("changes");
        assertThat(changes.get("state").getStringValue()).isEqualTo("open");
        assertThat(changes.get("profileId").getStringValue()).isEqualTo("customer-1");
        assertThat(changes.get("cartItems").get(0).get("sku").getStringValue()).isEqualTo("SOCK");
        assertThat(changes.get("cartItems").get(0).get("price").getBigDecimalValue()).isEqualByComparingTo("12.50");
        assertThat(changes.get("attributes").get("city").getStringValue()).isEqualTo("Berlin");
        assertThat(created.get("stateAfter").get("total").getBigDecimalValue()).isEqualByComparingTo("25.00");
        assertThat(page.get("data").get(1).get("changes").get("discounts").get("10% off").getBigDecimalValue())
                .isEqualByComparingTo("2.50");
        List<Long> offsets = new ArrayList<>();
        page.get("data").values().forEach(entry -> offsets.add(entry.get("offset").getLongValue()));
        assertThat(offsets).isSorted().doesNotHaveDuplicates();
        JsonNode returned = page.get("data").get(3);
        assertThat(returned.get("changes").get("returnedCartItems").get(0).get("quantity").getIntValue()).isEqualTo(1);
        assertThat(returned.get("changes").get("idempotencyKey").getStringValue()).isEqualTo("return-1");
        JsonNode after = returned.get("stateAfter");
        assertThat(names(after)).containsExactly("updateCount", "state", "cartItemTotal", "additionalCostTotal",
                "total");
        assertThat(after.get("updateCount").getIntValue()).isEqualTo(4);
        assertThat(after.get("state").getStringValue()).isEqualTo("partially_returned");
        assertThat(after.get("cartItemTotal").getBigDecimalValue()).isEqualByComparingTo("12.50");
        assertThat(after.get("total").getBigDecimalValue()).isEqualByComparingTo("12.50");
    }

    @Test
    void a_sessions_history_pages_with_page_size_and_skip() {
        // when
        JsonNode first = tree(client.get(S1_EVENTS + "?pageSize=3", MANAGEMENT_1).body());
        JsonNode rest = tree(client.get(S1_EVENTS + "?pageSize=3&skip=3", MANAGEMENT_1).body());

        // then
        assertThat(first.get("hasMore").getBooleanValue()).isTrue();
        assertThat(types(first)).hasSize(3);
        assertThat(rest.get("hasMore").getBooleanValue()).isFalse();
        assertThat(types(rest)).containsExactly("talon_session_partially_returned");
    }

    @Test
    void history_needs_a_management_key_for_the_application_and_an_existing_session() {
        assertThat(client.get("/v1/applications/1/customer_sessions/unknown/events", MANAGEMENT_1).status())
                .isEqualTo(404);
        assertThat(client.get("/v1/applications/2/customer_sessions/s-1/events", MANAGEMENT_1).status())
                .isEqualTo(404);
        assertThat(client.get(S1_EVENTS, INTEGRATION_1).status()).isEqualTo(401);
        assertThat(client.get(S1_EVENTS, null).status()).isEqualTo(401);
        assertThat(client.get("/v1/applications/1/events/no_total", "ManagementKey-v1 management-key-app-2").status())
                .isEqualTo(404);
        assertThat(client.get(S1_EVENTS + "?pageSize=0", MANAGEMENT_1).status()).isEqualTo(400);
    }

    @Test
    void the_application_listing_has_every_event_of_the_application_in_time_order_with_its_session() {
        // when
        JsonNode page = tree(client.get("/v1/applications/1/events/no_total", MANAGEMENT_1).body());

        // then
        assertThat(commandIds(page)).containsExactly("cmd-1", "cmd-2", "cmd-3", "cmd-4", "cmd-5");
        JsonNode last = page.get("data").get(4);
        assertThat(names(last)).containsExactly("type", "created", "sessionIntegrationId", "profileId", "partition",
                "offset", "commandId", "eventId", "changes", "stateAfter");
        assertThat(last.get("sessionIntegrationId").getStringValue()).isEqualTo("s-2");
        assertThat(last.get("profileId").getStringValue()).isEmpty();
        assertThat(page.get("data").get(0).get("profileId").getStringValue()).isEqualTo("customer-1");
    }

    @Test
    void every_deeper_page_is_the_slice_of_the_whole_listing_in_either_order() {
        for (String sort : List.of("created", "-created")) {
            // given
            List<String> all = commandIds(tree(client.get("/v1/applications/1/events/no_total?sort=" + sort,
                    MANAGEMENT_1).body()));

            for (int skip = 1; skip < all.size(); skip++) {
                // when
                JsonNode page = tree(client.get("/v1/applications/1/events/no_total?sort=" + sort + "&pageSize=2&skip="
                        + skip, MANAGEMENT_1).body());

                // then
                assertThat(commandIds(page)).as("sort %s, skip %d", sort, skip)
                        .containsExactlyElementsOf(all.subList(skip, Math.min(skip + 2, all.size())));
                assertThat(page.get("hasMore").getBooleanValue()).isEqualTo(skip + 2 < all.size());
            }
        }
    }

    @Test
    void a_keys_scope_event_listing_answers_the_sort_keys_of_the_rows_a_local_scope_one_renders() {
        for (String sort : List.of("created", "-created")) {
            // given
            String uri = "/v1/applications/1/events/no_total?sort=" + sort + "&pageSize=2&skip=2";
            JsonNode rows = tree(client.get(uri, MANAGEMENT_1,
                    Map.of(QueryRouter.SCOPE, QueryRouter.LOCAL_SCOPE)).body());

            // when
            JsonNode keys = tree(client.get(uri, MANAGEMENT_1,
                    Map.of(QueryRouter.SCOPE, QueryRouter.KEYS_SCOPE)).body());

            // then: the first four rows' time, session and updateCount, in the listing's order
            List<String> expected = new ArrayList<>();
            rows.get("data").values().forEach(row -> expected.add(sortKey(row)));
            List<String> actual = new ArrayList<>();
            keys.get("keys").values().forEach(key -> actual.add(sortKey(key)));
            assertThat(expected).as(sort).hasSize(4);
            assertThat(actual).as(sort).containsExactlyElementsOf(expected);
            assertThat(keys.get("hasMore").getBooleanValue()).isEqualTo(rows.get("hasMore").getBooleanValue())
                    .isTrue();
        }
    }

    /** Times compared as instants, as the merge compares them. */
    private static String sortKey(JsonNode row) {
        return Instant.parse(row.get("created").getStringValue()) + " " + row.get("sessionIntegrationId").getStringValue() + " "
                + row.get("stateAfter").get("updateCount").getIntValue();
    }

    @Test
    void the_application_listing_filters_sorts_and_pages() {
        // when
        JsonNode descending = tree(client.get("/v1/applications/1/events/no_total?sort=-created&pageSize=2",
                MANAGEMENT_1).body());
        JsonNode created = tree(client.get("/v1/applications/1/events/no_total?type=talon_session_created",
                MANAGEMENT_1).body());
        JsonNode createdOrClosed = tree(client.get("/v1/applications/1/events/no_total"
                + "?type=talon_session_created,%20talon_session_closed", MANAGEMENT_1).body());
        JsonNode ofSession = tree(client.get("/v1/applications/1/events/no_total?session=s-2", MANAGEMENT_1).body());
        JsonNode ofProfile = tree(client.get("/v1/applications/1/events/no_total?profile=customer-1&skip=1",
                MANAGEMENT_1).body());
        JsonNode between = tree(client.get("/v1/applications/1/events/no_total"
                + "?createdAfter=2026-11-01T10:00:02Z&createdBefore=2026-11-01T11:00:05%2B01:00", MANAGEMENT_1).body());

        // then
        assertThat(commandIds(descending)).containsExactly("cmd-5", "cmd-4");
        assertThat(descending.get("hasMore").getBooleanValue()).isTrue();
        assertThat(commandIds(created)).containsExactly("cmd-1", "cmd-5");
        assertThat(commandIds(createdOrClosed)).containsExactly("cmd-1", "cmd-3", "cmd-5");
        assertThat(commandIds(ofSession)).containsExactly("cmd-5");
        assertThat(commandIds(ofProfile)).containsExactly("cmd-2", "cmd-3", "cmd-4");
        assertThat(commandIds(between)).containsExactly("cmd-3", "cmd-4");
    }

    @Test
    void malformed_listing_parameters_are_a_400_naming_the_parameter() {
        // when
        TestClient.Reply reply = client.get("/v1/applications/1/events/no_total?sort=total&pageSize=1001&createdAfter=x",
                MANAGEMENT_1);

        // then
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).contains("\"parameter\":\"sort\"", "\"parameter\":\"pageSize\"",
                "\"parameter\":\"createdAfter\"");
    }

    @Test
    void as_of_an_update_count_is_the_session_right_after_that_event() {
        // when
        JsonNode session = tree(client.get("/v2/customer_sessions/s-1?asOfUpdateCount=1", INTEGRATION_1).body())
                .get("customerSession");

        // then
        assertThat(session.get("updateCount").getIntValue()).isEqualTo(1);
        assertThat(session.get("state").getStringValue()).isEqualTo("open");
        assertThat(session.get("total").getBigDecimalValue()).isEqualByComparingTo("25.00");
        assertThat(session.get("cartItems").get(0).get("returnedQuantity").getIntValue()).isZero();
    }

    @Test
    void as_of_an_instant_is_the_session_after_its_last_event_until_then() {
        // when
        JsonNode closed = tree(client.get("/v2/customer_sessions/s-1?asOf=2026-11-01T10:00:03.500Z", INTEGRATION_1)
                .body()).get("customerSession");
        TestClient.Reply later = client.get("/v2/customer_sessions/s-1?asOf=2030-01-01T00:00:00Z", INTEGRATION_1);
        TestClient.Reply current = client.get("/v2/customer_sessions/s-1", INTEGRATION_1);

        // then
        assertThat(closed.get("state").getStringValue()).isEqualTo("closed");
        assertThat(closed.get("updateCount").getIntValue()).isEqualTo(3);
        assertThat(closed.get("updated").getStringValue()).isEqualTo("2026-11-01T10:00:03.000Z");
        assertThat(later.status()).isEqualTo(200);
        assertThat(tree(later.body())).isEqualTo(tree(current.body()));
    }

    @Test
    void as_of_before_the_session_existed_is_a_404_and_bad_parameters_a_400() {
        assertThat(client.get("/v2/customer_sessions/s-1?asOf=2026-11-01T10:00:00.999Z", INTEGRATION_1).status())
                .isEqualTo(404);
        assertThat(client.get("/v2/customer_sessions/s-1?asOfUpdateCount=5", INTEGRATION_1).status())
                .isEqualTo(404);
        assertThat(client.get("/v2/customer_sessions/s-1?asOfUpdateCount=0", INTEGRATION_1).status())
                .isEqualTo(400);
        assertThat(client.get("/v2/customer_sessions/s-1?asOf=yesterday", INTEGRATION_1).status()).isEqualTo(400);
        assertThat(client.get("/v2/customer_sessions/s-1?asOf=2026-11-01T10:00:03Z&asOfUpdateCount=1", INTEGRATION_1)
                .status()).isEqualTo(400);
    }

    @Test
    void an_empty_as_of_is_a_400_not_the_current_state() {
        // given: the session exists, so the current state would be a 200
        assertThat(client.get("/v2/customer_sessions/s-1", INTEGRATION_1).status()).isEqualTo(200);

        // when
        TestClient.Reply emptyInstant = client.get("/v2/customer_sessions/s-1?asOf=", INTEGRATION_1);
        TestClient.Reply emptyCount = client.get("/v2/customer_sessions/s-1?asOfUpdateCount=", INTEGRATION_1);

        // then
        assertThat(emptyInstant.status()).isEqualTo(400);
        assertThat(emptyInstant.body()).contains("asOf", "must not be empty");
        assertThat(emptyCount.status()).isEqualTo(400);
        assertThat(emptyCount.body()).contains("asOfUpdateCount", "must not be empty");
    }

    private JsonNode tree(String body) {
        try {
            return json.readValue(body, JsonNode.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.entries().forEach(entry -> names.add(entry.getKey()));
        return names;
    }

    private static List<String> types(JsonNode page) {
        List<String> types = new ArrayList<>();
        page.get("data").values().forEach(entry -> types.add(entry.get("type").getStringValue()));
        return types;
    }

    private static List<String> commandIds(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("data").values().forEach(entry -> ids.add(entry.get("commandId").getStringValue()));
        return ids;
    }
}
