package io.customersessions.service.http;

import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionKey;
import io.customersessions.service.commands.CommandGateway;
import io.customersessions.service.projector.ProjectorClient;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.annotation.MockBean;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Talon.One's v1 update, over the same commands as v2; see {@link CustomerSessionControllerTest} for the setup. */
@MicronautTest
class CustomerSessionV1ControllerTest {

    private final FakeProcessor processor = new FakeProcessor();

    @Inject
    @Client("/")
    HttpClient client;

    @MockBean(CommandGateway.class)
    CommandGateway gateway() {
        return processor.gateway();
    }

    @MockBean(ProjectorClient.class)
    ProjectorClient projector() {
        return processor.projector();
    }

    private HttpResponse<JsonNode> put(String id, String body) {
        return client.toBlocking().exchange(HttpRequest.PUT("/v1/customer_sessions/" + id, body)
                .header("Authorization", CustomerSessionControllerTest.KEY_42), JsonNode.class);
    }

    private HttpClientResponseException refused(MutableHttpRequest<?> request) {
        HttpClientResponseException error = catchThrowableOfType(HttpClientResponseException.class,
                () -> client.toBlocking().exchange(request, JsonNode.class));
        assertThat(error).as("the request should be refused").isNotNull();
        return error;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.entries().forEach(e -> names.add(e.getKey()));
        return names;
    }

    @Test
    void a_v1_update_answers_talon_ones_v1_integration_state() {
        // when
        HttpResponse<JsonNode> response = put("s-v1", "{\"profileId\": \"c-1\", \"coupon\": \"SPRING\","
                + " \"referral\": \"FRIEND\", \"total\": 1000, \"identifiers\": [\"10.0.0.1\"],"
                + " \"cartItems\": [{\"sku\": \"a\", \"quantity\": 2, \"price\": 1.25}], \"attributes\": {\"city\": \"Berlin\"}}");

        // then
        assertThat(response.code()).isEqualTo(200);
        JsonNode state = response.body();
        assertThat(names(state)).containsExactly("session", "profile", "event", "loyalty", "referral");
        JsonNode session = state.get("session");
        assertThat(names(session)).containsExactly("integrationId", "created", "applicationId", "profileId", "coupon",
                "referral", "state", "cartItems", "identifiers", "total", "attributes", "firstSession", "discounts",
                "updateCount", "updated");
        assertThat(session.get("integrationId").getStringValue()).isEqualTo("s-v1");
        assertThat(session.get("applicationId").getLongValue()).isEqualTo(42);
        assertThat(session.get("coupon").getStringValue()).isEqualTo("SPRING");
        assertThat(session.get("referral").getStringValue()).isEqualTo("FRIEND");
        assertThat(session.get("state").getStringValue()).isEqualTo("open");
        assertThat(session.get("total").isNumber()).isTrue();
        assertThat(session.get("total").getBigDecimalValue()).isEqualByComparingTo("2.50");
        assertThat(session.get("discounts").isObject()).isTrue();
        assertThat(session.get("updateCount").getIntValue()).isEqualTo(1);
        assertThat(session.get("firstSession").isBoolean()).isTrue();
        assertThat(session.get("created").getStringValue()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(state.get("profile").get("integrationId").getStringValue()).isEqualTo("c-1");
        assertThat(state.get("event").get("type").getStringValue()).isEqualTo("talon_session_created");
        assertThat(state.get("event").get("sessionId").getStringValue()).isEqualTo("s-v1");
        assertThat(state.get("loyalty").isNull()).isTrue();
        assertThat(processor.appended).singleElement().isInstanceOfSatisfying(SessionCommand.UpsertSession.class,
                command -> {
                    assertThat(command.key()).isEqualTo(new SessionKey(42, "s-v1"));
                    assertThat(command.changes().couponCodes()).containsExactly("SPRING");
                    assertThat(command.changes().referralCode()).isEqualTo("FRIEND");
                });
    }

    @Test
    void an_empty_coupon_discards_the_coupons_and_v1_shows_recorded_discounts() {
        // given
        put("s-v1c", "{\"coupon\": \"SPRING\", \"cartItems\": [{\"sku\": \"a\", \"quantity\": 1, \"price\": 20}]}");
        client.toBlocking().exchange(HttpRequest.PUT("/v2/customer_sessions/s-v1c/discounts", "{\"discounts\": {\"spring\": 2}}")
                .header("Authorization", CustomerSessionControllerTest.KEY_42), JsonNode.class);

        // when
        JsonNode session = put("s-v1c", "{\"coupon\": \"\"}").body().get("session");

        // then
        assertThat(session.get("coupon").getStringValue()).isEmpty();
        assertThat(session.get("discounts").get("spring").getBigDecimalValue()).isEqualByComparingTo("2");
        assertThat(session.get("total").getBigDecimalValue()).isEqualByComparingTo("20");
        assertThat(session.get("updateCount").getIntValue()).isEqualTo(3);
    }

    @Test
    void an_invalid_v1_body_is_a_400_pointing_into_it_and_nothing_is_appended() {
        // when
        HttpClientResponseException error = refused(HttpRequest.PUT("/v1/customer_sessions/s-bad",
                "{\"coupon\": \"" + "x".repeat(101) + "\", \"state\": \"paid\", \"cartItems\": [{\"sku\": \"\", \"quantity\": 1}]}")
                .header("Authorization", CustomerSessionControllerTest.KEY_42));

        // then
        assertThat(error.getStatus().getCode()).isEqualTo(400);
        List<String> pointers = new ArrayList<>();
        error.getResponse().getBody(JsonNode.class).orElseThrow().get("errors").values()
                .forEach(e -> pointers.add(e.get("source").get("pointer").getStringValue()));
        assertThat(pointers).containsExactlyInAnyOrder("/coupon", "/state", "/cartItems/0/sku");
        assertThat(processor.appended).isEmpty();
    }

    @Test
    void a_rejection_the_processor_decides_points_into_the_v1_body() {
        // given a session holding three attributes of 100 KiB, each added by its own update
        String chunk = "x".repeat(100 * 1024);
        for (String name : List.of("a", "b", "c")) {
            put("s-large", "{\"attributes\": {\"" + name + "\": \"" + chunk + "\"}}");
        }

        // when a fourth would make the session larger than a session may be
        HttpClientResponseException error = refused(HttpRequest.PUT("/v1/customer_sessions/s-large",
                "{\"attributes\": {\"d\": \"" + chunk + "\"}}")
                .header("Authorization", CustomerSessionControllerTest.KEY_42));

        // then the error points at the whole v1 body, not at v2's /customerSession
        assertThat(error.getStatus().getCode()).isEqualTo(400);
        JsonNode only = error.getResponse().getBody(JsonNode.class).orElseThrow().get("errors").get(0);
        assertThat(only.get("title").getStringValue()).isEqualTo("session too large");
        assertThat(only.get("source").get("pointer").getStringValue()).isEmpty();
    }

    @Test
    void a_v1_updates_idempotency_key_is_appended_with_it() {
        // when
        HttpResponse<JsonNode> response = client.toBlocking().exchange(HttpRequest.PUT("/v1/customer_sessions/s-key",
                "{\"state\": \"closed\"}").header("Authorization", CustomerSessionControllerTest.KEY_42)
                .header("Idempotency-Key", "close-s-key-1"), JsonNode.class);

        // then
        assertThat(response.code()).isEqualTo(200);
        assertThat(processor.appended).singleElement().isInstanceOfSatisfying(SessionCommand.UpsertSession.class,
                command -> assertThat(command.idempotencyKey()).isEqualTo("close-s-key-1"));
    }

    @Test
    void a_v1_coupon_given_as_an_array_is_a_400_and_nothing_is_appended() {
        // when
        HttpClientResponseException error = refused(HttpRequest.PUT("/v1/customer_sessions/s-bad",
                "{\"coupon\": [\"SPRING\"]}").header("Authorization", CustomerSessionControllerTest.KEY_42));

        // then
        assertThat(error.getStatus().getCode()).isEqualTo(400);
        JsonNode problem = error.getResponse().getBody(JsonNode.class).orElseThrow().get("errors").get(0);
        assertThat(problem.get("source").get("pointer").getStringValue()).isEqualTo("/coupon");
        assertThat(problem.get("details").getStringValue()).contains("must be a string", "not an array");
        assertThat(processor.appended).isEmpty();
    }

    @Test
    void a_forbidden_v1_transition_is_a_409_and_a_stale_if_match_a_412_without_events() {
        // given
        put("s-v1x", "{}");
        put("s-v1x", "{\"state\": \"cancelled\"}");
        processor.events.clear();

        // when
        HttpClientResponseException forbidden = refused(HttpRequest.PUT("/v1/customer_sessions/s-v1x", "{\"state\": \"open\"}")
                .header("Authorization", CustomerSessionControllerTest.KEY_42));
        HttpClientResponseException stale = refused(HttpRequest.PUT("/v1/customer_sessions/s-v1x", "{}")
                .header("Authorization", CustomerSessionControllerTest.KEY_42).header("If-Match", "1"));

        // then
        assertThat(forbidden.getStatus().getCode()).isEqualTo(409);
        assertThat(stale.getStatus().getCode()).isEqualTo(412);
        assertThat(processor.events).isEmpty();
    }

    @Test
    void a_v1_update_without_a_key_is_a_401() {
        // when
        HttpClientResponseException error = refused(HttpRequest.PUT("/v1/customer_sessions/s-v1", "{}"));

        // then
        assertThat(error.getStatus().getCode()).isEqualTo(401);
        assertThat(processor.appended).isEmpty();
    }

    @Test
    void a_v1_dry_run_answers_the_would_be_state_and_appends_nothing() {
        // given
        put("s-v1-dry", "{\"cartItems\": [{\"sku\": \"a\", \"quantity\": 1, \"price\": 2}]}");
        processor.appended.clear();

        // when
        HttpResponse<JsonNode> response = client.toBlocking().exchange(HttpRequest.PUT(
                        "/v1/customer_sessions/s-v1-dry?dry=true", "{\"state\": \"closed\"}")
                .header("Authorization", CustomerSessionControllerTest.KEY_42), JsonNode.class);
        HttpClientResponseException typo = refused(HttpRequest.PUT("/v1/customer_sessions/s-v1-dry?dry=1",
                "{\"state\": \"closed\"}").header("Authorization", CustomerSessionControllerTest.KEY_42));

        // then
        assertThat(response.body().get("session").get("state").getStringValue()).isEqualTo("closed");
        assertThat(response.body().get("session").get("updateCount").getIntValue()).isEqualTo(2);
        assertThat(typo.getStatus().getCode()).isEqualTo(400);
        assertThat(processor.appended).isEmpty();
        assertThat(processor.dryRuns).singleElement().isInstanceOf(SessionCommand.UpsertSession.class);
    }
}
