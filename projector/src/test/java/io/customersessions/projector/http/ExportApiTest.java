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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The NDJSON exports over HTTP, on the stores of a real topology. */
@MicronautTest
class ExportApiTest {

    private static final String MANAGEMENT_1 = "ManagementKey-v1 management-key-app-1";
    private static final String SESSIONS = "/v1/applications/1/export/sessions";
    private static final String EVENTS = "/v1/applications/1/export/events";

    @Inject
    TopologyFixture fixture;
    @Inject
    TestClient client;
    @Inject
    JsonMapper json;

    /**
     * cmd-1 creates s-c at T0+1s, cmd-2 s-b at T0+2s, cmd-3 s-a at T0+3s, cmd-4 closes s-c at T0+4s, cmd-5 is in
     * application 2: creation order is the reverse of integration-id order.
     */
    @BeforeEach
    void sessions() {
        fixture.reset();
        fixture.send(fixture.upsert(new SessionKey(1, "s-c"), Optional.of(SessionState.OPEN),
                SessionChanges.NONE.withProfileId("customer-1")
                        .withCartItems(List.of(CartItem.of("SOCK", 2, new BigDecimal("12.50"))))));
        fixture.send(fixture.upsert(new SessionKey(1, "s-b"), Optional.of(SessionState.OPEN), SessionChanges.NONE));
        fixture.send(fixture.upsert(new SessionKey(1, "s-a"), Optional.of(SessionState.OPEN), SessionChanges.NONE));
        fixture.send(fixture.upsert(new SessionKey(1, "s-c"), Optional.of(SessionState.CLOSED), SessionChanges.NONE));
        fixture.send(fixture.upsert(new SessionKey(2, "s-z"), Optional.of(SessionState.OPEN), SessionChanges.NONE));
    }

    @Test
    void the_session_export_has_one_complete_session_per_line_in_creation_order() {
        // when
        TestClient.Reply reply = client.get(SESSIONS, MANAGEMENT_1);

        // then
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/x-ndjson");
        assertThat(reply.body()).endsWith("\n");
        List<JsonNode> lines = lines(reply.body());
        assertThat(field(lines, "integrationId")).containsExactly("s-c", "s-b", "s-a");
        JsonNode closed = lines.get(0);
        assertThat(names(closed)).contains("id", "created", "integrationId", "applicationId", "profileId",
                "couponCodes", "state", "cartItems", "additionalCosts", "attributes", "total", "cartItemTotal",
                "updated", "updateCount");
        assertThat(closed.get("state").getStringValue()).isEqualTo("closed");
        assertThat(closed.get("profileId").getStringValue()).isEqualTo("customer-1");
        assertThat(closed.get("created").getStringValue()).isEqualTo("2026-11-01T10:00:01.000Z");
        assertThat(closed.get("total").getBigDecimalValue()).isEqualByComparingTo("25.00");
        assertThat(closed.get("updateCount").getIntValue()).isEqualTo(2);
    }

    @Test
    void the_session_export_keeps_sessions_created_strictly_between_the_bounds() {
        // when
        List<JsonNode> lines = lines(client.get(SESSIONS
                + "?createdAfter=2026-11-01T10:00:01Z&createdBefore=2026-11-01T10:00:03Z", MANAGEMENT_1).body());

        // then
        assertThat(field(lines, "integrationId")).containsExactly("s-b");
    }

    @Test
    void the_event_export_has_every_event_of_the_application_in_time_order_shaped_like_the_listing() {
        // when
        TestClient.Reply reply = client.get(EVENTS, MANAGEMENT_1);

        // then
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/x-ndjson");
        List<JsonNode> lines = lines(reply.body());
        assertThat(field(lines, "commandId")).containsExactly("cmd-1", "cmd-2", "cmd-3", "cmd-4");
        assertThat(field(lines, "sessionIntegrationId")).containsExactly("s-c", "s-b", "s-a", "s-c");
        JsonNode first = lines.get(0);
        assertThat(names(first)).containsExactly("type", "created", "sessionIntegrationId", "profileId", "partition",
                "offset", "commandId", "eventId", "changes", "stateAfter");
        assertThat(first.get("type").getStringValue()).isEqualTo("talon_session_created");
        assertThat(first.get("profileId").getStringValue()).isEqualTo("customer-1");
        assertThat(lines.get(3).get("type").getStringValue()).isEqualTo("talon_session_closed");
        assertThat(lines.get(3).get("stateAfter").get("updateCount").getIntValue()).isEqualTo(2);
    }

    @Test
    void the_event_export_keeps_events_strictly_between_the_bounds() {
        // when
        List<JsonNode> lines = lines(client.get(EVENTS + "?createdAfter=2026-11-01T10:00:02Z", MANAGEMENT_1).body());
        List<JsonNode> none = lines(client.get(EVENTS + "?createdBefore=2026-11-01T10:00:01Z", MANAGEMENT_1).body());

        // then
        assertThat(field(lines, "commandId")).containsExactly("cmd-3", "cmd-4");
        assertThat(none).isEmpty();
    }

    @Test
    void exports_need_a_management_key_for_the_application_and_valid_bounds() {
        for (String export : List.of(SESSIONS, EVENTS)) {
            assertThat(client.get(export, null).status()).isEqualTo(401);
            assertThat(client.get(export, "ApiKey-v1 integration-key-app-1").status()).isEqualTo(401);
            assertThat(client.get(export, "ManagementKey-v1 management-key-app-2").status()).isEqualTo(404);
            TestClient.Reply bad = client.get(export + "?createdAfter=yesterday", MANAGEMENT_1);
            assertThat(bad.status()).isEqualTo(400);
            JsonNode error = tree(bad.body());
            assertThat(error.get("errors").get(0).get("source").get("parameter").getStringValue())
                    .isEqualTo("createdAfter");
        }
    }

    private List<JsonNode> lines(String body) {
        List<JsonNode> lines = new ArrayList<>();
        body.lines().forEach(line -> lines.add(tree(line)));
        return lines;
    }

    private JsonNode tree(String body) {
        try {
            return json.readValue(body, JsonNode.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> field(List<JsonNode> lines, String name) {
        return lines.stream().map(line -> line.get(name).getStringValue()).toList();
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.entries().forEach(entry -> names.add(entry.getKey()));
        return names;
    }
}
