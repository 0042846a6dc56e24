package io.customersessions.service.http;

import io.customersessions.domain.Rejection;
import io.customersessions.domain.ReturnedItem;
import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionLimits;
import io.customersessions.domain.SessionState;
import io.customersessions.service.commands.CommandGateway;
import io.customersessions.service.commands.CommandResult;
import io.customersessions.service.kafka.CommandNotAppendedException;
import io.customersessions.service.projector.ProjectorClient;
import io.customersessions.service.projector.ProjectorRefusedException;
import io.customersessions.service.projector.ProjectorUnavailableException;
import io.customersessions.service.projector.RelayedResponse;
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

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The HTTP adapter alone: requests become commands, outcomes become Talon.One responses. The log, the processor and
 * the projector are replaced by {@link FakeProcessor}, which decides with the real domain core and records what
 * would be appended. Keys (src/test/resources/application-test.yml): test-integration-key → application 42,
 * dev-integration-key-0001 → application 1.
 */
@MicronautTest
class CustomerSessionControllerTest {

    static final String KEY_42 = "ApiKey-v1 test-integration-key";
    static final String DEV_KEY = "ApiKey-v1 dev-integration-key-0001";
    private static final String CLOSED_CART = "{\"customerSession\": {\"profileId\": \"c-1\", \"state\": \"closed\","
            + " \"cartItems\": [{\"sku\": \"a\", \"quantity\": 2, \"price\": 1.25}, {\"sku\": \"b\", \"quantity\": 1, \"price\": 10}]}}";

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

    private HttpResponse<JsonNode> call(MutableHttpRequest<?> request) {
        if (request.getHeaders().get("Authorization") == null) {
            request.header("Authorization", KEY_42);
        }
        return client.toBlocking().exchange(request, JsonNode.class);
    }

    private HttpClientResponseException refused(MutableHttpRequest<?> request) {
        HttpClientResponseException error = catchThrowableOfType(HttpClientResponseException.class, () -> call(request));
        assertThat(error).as("the request should be refused").isNotNull();
        return error;
    }

    private static JsonNode body(HttpClientResponseException error) {
        return error.getResponse().getBody(JsonNode.class).orElseThrow();
    }

    private static List<String> pointers(JsonNode error) {
        List<String> pointers = new ArrayList<>();
        error.get("errors").values().forEach(e -> pointers.add(e.get("source").get("pointer").getStringValue()));
        return pointers;
    }

    private static String parameter(JsonNode error) {
        return error.get("errors").get(0).get("source").get("parameter").getStringValue();
    }

    /** A session of application 42 that exists before the test's request; the log is empty again afterwards. */
    private void given(String id, String body) {
        call(HttpRequest.PUT("/v2/customer_sessions/" + id, body));
        processor.appended.clear();
        processor.events.clear();
    }

    // --- PUT /v2/customer_sessions/{id} ---

    @Test
    void an_accepted_update_answers_with_the_folded_session_of_the_keys_application() {
        // when
        HttpResponse<JsonNode> response = call(HttpRequest.PUT("/v2/customer_sessions/s-1",
                "{\"customerSession\": {\"profileId\": \"c-1\", \"cartItems\": [{\"sku\": \"a\", \"quantity\": 2, \"price\": 1.25}]}}"));

        // then
        assertThat(response.code()).isEqualTo(200);
        JsonNode session = response.body().get("customerSession");
        assertThat(session.get("integrationId").getStringValue()).isEqualTo("s-1");
        assertThat(session.get("applicationId").getLongValue()).isEqualTo(42);
        assertThat(session.get("updateCount").getIntValue()).isEqualTo(1);
        assertThat(session.get("total").getBigDecimalValue()).isEqualByComparingTo("2.50");
        assertThat(response.body().get("effects").size()).isZero();
        assertThat(response.body().get("customerProfile")).isNull();
        assertThat(processor.appended).singleElement()
                .satisfies(command -> assertThat(command.key()).isEqualTo(new SessionKey(42, "s-1")));
    }

    @Test
    void the_application_comes_from_the_key_whatever_the_body_says() {
        // when
        HttpResponse<JsonNode> response = call(HttpRequest.PUT("/v2/customer_sessions/s-1",
                "{\"customerSession\": {\"applicationId\": 42}}").header("Authorization", DEV_KEY));

        // then
        assertThat(response.body().get("customerSession").get("applicationId").getLongValue()).isEqualTo(1);
        assertThat(processor.appended.get(0).key()).isEqualTo(new SessionKey(1, "s-1"));
    }

    @Test
    void the_answer_has_talon_ones_field_names_and_json_types() {
        // when
        JsonNode session = call(HttpRequest.PUT("/v2/customer_sessions/s-types",
                "{\"customerSession\": {\"profileId\": \"c-1\", \"couponCodes\": [\"SPRING\"],"
                        + " \"cartItems\": [{\"sku\": \"a\", \"quantity\": 3, \"price\": 0.1}],"
                        + " \"additionalCosts\": {\"shipping\": {\"price\": 4.95}}, \"attributes\": {\"city\": \"Berlin\"}}}"))
                .body().get("customerSession");

        // then
        assertThat(session.get("id").isNumber()).isTrue();
        assertThat(session.get("created").getStringValue()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(session.get("updated").getStringValue()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(session.get("total").isNumber()).isTrue();
        assertThat(session.get("total").getBigDecimalValue()).isEqualByComparingTo("5.25");
        assertThat(session.get("cartItemTotal").getBigDecimalValue()).isEqualByComparingTo("0.3");
        assertThat(session.get("additionalCostTotal").isNumber()).isTrue();
        assertThat(session.get("firstSession").isBoolean()).isTrue();
        assertThat(session.get("couponCodes").get(0).getStringValue()).isEqualTo("SPRING");
        assertThat(session.get("cartItems").get(0).get("position").isNumber()).isTrue();
        assertThat(session.get("cartItems").get(0).get("remainingQuantity").getIntValue()).isEqualTo(3);
        assertThat(session.get("attributes").get("city").getStringValue()).isEqualTo("Berlin");
    }

    @Test
    void responseContent_customerProfile_adds_the_profile_and_an_anonymous_session_has_none() {
        // when
        JsonNode known = call(HttpRequest.PUT("/v2/customer_sessions/s-p1", "{\"customerSession\": {\"profileId\": \"c-9\"},"
                + " \"responseContent\": [\"customerSession\", \"customerProfile\"]}")).body();
        JsonNode anonymous = call(HttpRequest.PUT("/v2/customer_sessions/s-p2", "{\"customerSession\": {},"
                + " \"responseContent\": [\"customerProfile\"]}")).body();

        // then
        assertThat(known.get("customerProfile").get("integrationId").getStringValue()).isEqualTo("c-9");
        assertThat(known.get("customerProfile").get("attributes").isObject()).isTrue();
        assertThat(known.get("customerSession")).isNotNull();
        assertThat(anonymous.get("customerProfile")).isNull();
        assertThat(anonymous.get("customerSession")).isNull();
    }

    @Test
    void an_invalid_request_is_a_400_with_pointers_and_nothing_is_appended() {
        // when
        HttpClientResponseException error = refused(HttpRequest.PUT("/v2/customer_sessions/s-2",
                "{\"customerSession\": {\"state\": \"paid\", \"cartItems\": [{\"sku\": \"\", \"quantity\": 0}]}}"));

        // then
        assertThat(error.getStatus().getCode()).isEqualTo(400);
        assertThat(pointers(body(error))).contains("/customerSession/state", "/customerSession/cartItems/0/sku",
                "/customerSession/cartItems/0/quantity");
        assertThat(processor.appended).isEmpty();
    }

    @Test
    void a_text_field_takes_only_a_string_so_a_number_or_a_one_element_array_is_a_400_and_nothing_is_appended() {
        // when
        HttpClientResponseException number = refused(HttpRequest.PUT("/v2/customer_sessions/s-2",
                "{\"customerSession\": {\"profileId\": 42}}"));
        HttpClientResponseException wrapped = refused(HttpRequest.PUT("/v2/customer_sessions/s-2",
                "{\"customerSession\": {\"cartItems\": [{\"sku\": [\"a\"], \"quantity\": 1}]}}"));
        HttpClientResponseException element = refused(HttpRequest.PUT("/v2/customer_sessions/s-2",
                "{\"customerSession\": {\"couponCodes\": [\"SPRING\", true]}}"));
        HttpClientResponseException content = refused(HttpRequest.PUT("/v2/customer_sessions/s-2",
                "{\"customerSession\": {}, \"responseContent\": [[\"customerSession\"]]}"));

        // then
        assertThat(List.of(number, wrapped, element, content)).allSatisfy(error ->
                assertThat(error.getStatus().getCode()).isEqualTo(400));
        assertThat(pointers(body(number))).containsExactly("/customerSession/profileId");
        assertThat(body(number).get("errors").get(0).get("details").getStringValue())
                .contains("must be a string", "not a number");
        assertThat(pointers(body(wrapped))).containsExactly("/customerSession/cartItems/0/sku");
        assertThat(pointers(body(element))).containsExactly("/customerSession/couponCodes/1");
        assertThat(pointers(body(content))).containsExactly("/responseContent/0");
        assertThat(processor.appended).isEmpty();
    }

    @Test
    void a_number_field_takes_only_a_number_so_text_true_or_a_one_element_array_is_a_400_and_nothing_is_appended() {
        // when
        HttpClientResponseException text = refused(HttpRequest.PUT("/v2/customer_sessions/s-2",
                "{\"customerSession\": {\"cartItems\": [{\"sku\": \"a\", \"quantity\": \"2\", \"price\": 1}]}}"));
        HttpClientResponseException bool = refused(HttpRequest.PUT("/v2/customer_sessions/s-2",
                "{\"customerSession\": {\"cartItems\": [{\"sku\": \"a\", \"quantity\": 1, \"price\": true}]}}"));
        HttpClientResponseException wrapped = refused(HttpRequest.PUT("/v2/customer_sessions/s-2",
                "{\"customerSession\": {\"evaluableCampaignIds\": [[7]]}}"));
        HttpClientResponseException cost = refused(HttpRequest.PUT("/v2/customer_sessions/s-2",
                "{\"customerSession\": {\"additionalCosts\": {\"shipping\": {\"price\": \"4.90\"}}}}"));
        HttpClientResponseException returned = refused(HttpRequest.POST("/v2/customer_sessions/s-2/returns",
                "{\"return\": {\"returnedCartItems\": [{\"position\": 0, \"quantity\": false}]}}"));

        // then
        assertThat(List.of(text, bool, wrapped, cost, returned)).allSatisfy(error ->
                assertThat(error.getStatus().getCode()).isEqualTo(400));
        assertThat(pointers(body(text))).containsExactly("/customerSession/cartItems/0/quantity");
        assertThat(body(text).get("errors").get(0).get("details").getStringValue())
                .contains("must be a number", "not a string");
        assertThat(pointers(body(bool))).containsExactly("/customerSession/cartItems/0/price");
        assertThat(pointers(body(wrapped))).containsExactly("/customerSession/evaluableCampaignIds/0");
        assertThat(pointers(body(cost))).containsExactly("/customerSession/additionalCosts/shipping/price");
        assertThat(pointers(body(returned))).containsExactly("/return/returnedCartItems/0/quantity");
        assertThat(processor.appended).isEmpty();
    }

    @Test
    void a_body_with_anything_after_its_json_value_is_a_400_and_nothing_is_appended() {
        // when
        List<HttpClientResponseException> errors = List.of(
                refused(HttpRequest.PUT("/v2/customer_sessions/s-2", "{\"customerSession\": {}} {\"x\": 1}")),
                refused(HttpRequest.PUT("/v2/customer_sessions/s-2", "{\"customerSession\": {}}]")),
                refused(HttpRequest.PUT("/v2/customer_sessions/s-2", "{\"customerSession\": {}} garbage")
                        .contentType("application/json; charset=utf-8")),
                refused(HttpRequest.POST("/v2/customer_sessions/s-2/returns",
                        "{\"return\": {\"returnedCartItems\": [{\"position\": 0, \"quantity\": 1}]}}, 2")));

        // then
        assertThat(errors).allSatisfy(error -> {
            assertThat(error.getStatus().getCode()).isEqualTo(400);
            assertThat(body(error).get("errors").get(0).get("title").getStringValue()).isEqualTo("invalid JSON");
        });
        assertThat(processor.appended).isEmpty();
    }

    @Test
    void a_body_larger_than_any_session_is_a_413_in_talon_ones_shape_and_nothing_is_appended() {
        // given a body of 5 MiB: no session could hold it, written in the most expanding JSON escape (6 bytes each)
        String attribute = "\\u0001".repeat(5 * 1024 * 1024 / 6 + 1);

        // when
        HttpClientResponseException error = refused(HttpRequest.PUT("/v2/customer_sessions/s-huge",
                "{\"customerSession\": {\"attributes\": {\"note\": \"" + attribute + "\"}}}"));

        // then
        assertThat(error.getStatus().getCode()).isEqualTo(413);
        assertThat(body(error).get("StatusCode").getIntValue()).isEqualTo(413);
        assertThat(body(error).get("errors").get(0).get("title").getStringValue()).isEqualTo("request entity too large");
        assertThat(processor.appended).isEmpty();
    }

    @Test
    void the_largest_session_body_fits_under_the_request_size_limit() {
        // given an item name just under the largest session, each of its characters written as a 6-byte JSON escape
        String name = "\\u0001".repeat((int) SessionLimits.MAX_SESSION_BYTES - 4096);

        // when
        HttpResponse<JsonNode> response = call(HttpRequest.PUT("/v2/customer_sessions/s-escaped",
                "{\"customerSession\": {\"cartItems\": [{\"sku\": \"a\", \"quantity\": 1, \"name\": \""
                        + name + "\"}]}}"));

        // then
        assertThat(response.code()).isEqualTo(200);
        assertThat(processor.appended).hasSize(1);
    }

    @Test
    void whitespace_after_the_body_and_null_numbers_are_still_read() {
        // when
        HttpResponse<JsonNode> response = call(HttpRequest.PUT("/v2/customer_sessions/s-ws",
                "{\"customerSession\": {\"cartItems\": [{\"sku\": \"a\", \"quantity\": 2, \"price\": 1.10,"
                        + " \"weight\": null}], \"evaluableCampaignIds\": [7]}}\n \t\r\n"));

        // then
        assertThat(response.code()).isEqualTo(200);
        assertThat(response.body().get("customerSession").get("cartItemTotal").getBigDecimalValue())
                .isEqualByComparingTo("2.20");
    }

    @Test
    void lists_of_texts_are_still_read_in_full() {
        // when
        HttpResponse<JsonNode> response = call(HttpRequest.PUT("/v2/customer_sessions/s-lists",
                "{\"customerSession\": {\"couponCodes\": [\"SPRING\", \"SUMMER\"], \"loyaltyCards\": [\"card-1\"],"
                        + " \"identifiers\": [\"d-1\", \"d-2\"]}, \"responseContent\": [\"customerSession\"]}"));

        // then
        assertThat(response.code()).isEqualTo(200);
        JsonNode session = response.body().get("customerSession");
        assertThat(session.get("couponCodes").values()).extracting(JsonNode::getStringValue)
                .containsExactly("SPRING", "SUMMER");
        assertThat(session.get("loyaltyCards").values()).extracting(JsonNode::getStringValue)
                .containsExactly("card-1");
        assertThat(session.get("identifiers").values()).extracting(JsonNode::getStringValue)
                .containsExactly("d-1", "d-2");
    }

    @Test
    void a_rejection_from_the_processor_maps_to_its_status_and_error_body() {
        // given
        processor.outcome = command -> new CommandResult.Rejected(Rejection.of(Rejection.Reason.FORBIDDEN_TRANSITION,
                "the session is cancelled, and cancelled is final"));

        // when
        HttpClientResponseException error = refused(HttpRequest.PUT("/v2/customer_sessions/s-3", "{\"customerSession\": {}}"));

        // then
        assertThat(error.getStatus().getCode()).isEqualTo(409);
        assertThat(body(error).get("message").getStringValue()).contains("cancelled is final");
        assertThat(processor.events).isEmpty();
    }

    @Test
    void an_outcome_that_does_not_arrive_in_time_is_a_202_with_the_command_id() {
        // given
        processor.outcome = command -> new CommandResult.Pending(command.commandId());

        // when
        HttpResponse<JsonNode> response = call(HttpRequest.PUT("/v2/customer_sessions/s-4", "{\"customerSession\": {}}"));

        // then
        assertThat(response.code()).isEqualTo(202);
        assertThat(response.body().get("commandId").getStringValue()).isEqualTo(processor.appended.get(0).commandId());
    }

    @Test
    void a_log_that_does_not_take_the_command_is_a_503_with_retry_after() {
        // given: the producer failed, as the gateway reports it through its future
        processor.failure = new CompletionException(new CommandNotAppendedException(new IllegalStateException("broker down")));

        // when
        HttpClientResponseException error = refused(HttpRequest.PUT("/v2/customer_sessions/s-6", "{\"customerSession\": {}}"));

        // then
        assertThat(error.getStatus().getCode()).isEqualTo(503);
        assertThat(error.getResponse().getHeaders().get("Retry-After")).isEqualTo("1");
        assertThat(body(error).get("message").getStringValue()).contains("not available");
    }

    @Test
    void if_match_is_passed_on_as_the_expected_update_count_and_garbage_is_a_400() {
        // given
        processor.outcome = command -> new CommandResult.Pending(command.commandId());

        // when
        call(HttpRequest.PUT("/v2/customer_sessions/s-5", "{\"customerSession\": {}}").header("If-Match", "\"3\""));
        HttpClientResponseException error = refused(HttpRequest.PUT("/v2/customer_sessions/s-5", "{\"customerSession\": {}}")
                .header("If-Match", "soon"));

        // then
        assertThat(processor.appended).hasSize(1);
        assertThat(processor.appended.get(0).expectedUpdateCount()).isEqualTo(3);
        assertThat(error.getStatus().getCode()).isEqualTo(400);
        assertThat(parameter(body(error))).isEqualTo("If-Match");
    }

    @Test
    void if_match_any_updates_an_existing_session_and_is_a_412_for_a_missing_one() {
        // given
        given("s-any", "{\"customerSession\": {}}");

        // when
        HttpResponse<JsonNode> updated = call(HttpRequest.PUT("/v2/customer_sessions/s-any",
                "{\"customerSession\": {\"couponCodes\": [\"X\"]}}").header("If-Match", "*"));
        HttpClientResponseException missing = refused(HttpRequest.PUT("/v2/customer_sessions/s-none",
                "{\"customerSession\": {\"couponCodes\": [\"X\"]}}").header("If-Match", "*"));

        // then
        assertThat(updated.code()).isEqualTo(200);
        assertThat(updated.body().get("customerSession").get("updateCount").getIntValue()).isEqualTo(2);
        assertThat(missing.getStatus().getCode()).isEqualTo(412);
        assertThat(body(missing).get("errors").get(0).get("details").getStringValue())
                .contains("If-Match: *", "does not exist");
        assertThat(processor.events).hasSize(1);
    }

    @Test
    void if_none_match_any_creates_a_session_and_is_a_412_for_an_existing_one() {
        // given
        given("s-taken", "{\"customerSession\": {\"profileId\": \"c-1\"}}");

        // when
        HttpResponse<JsonNode> created = call(HttpRequest.PUT("/v2/customer_sessions/s-new",
                "{\"customerSession\": {\"profileId\": \"c-2\"}}").header("If-None-Match", "*"));
        HttpClientResponseException taken = refused(HttpRequest.PUT("/v2/customer_sessions/s-taken",
                "{\"customerSession\": {\"profileId\": \"c-2\"}}").header("If-None-Match", "*"));

        // then
        assertThat(created.code()).isEqualTo(200);
        assertThat(created.body().get("customerSession").get("updateCount").getIntValue()).isEqualTo(1);
        assertThat(taken.getStatus().getCode()).isEqualTo(412);
        assertThat(body(taken).get("errors").get(0).get("details").getStringValue())
                .contains("If-None-Match: *", "updateCount is 1");
        assertThat(processor.events).hasSize(1);
    }

    @Test
    void if_none_match_other_than_any_or_with_if_match_is_a_400_and_nothing_is_appended() {
        // when
        HttpClientResponseException etag = refused(HttpRequest.PUT("/v2/customer_sessions/s-6",
                "{\"customerSession\": {}}").header("If-None-Match", "\"1\""));
        HttpClientResponseException both = refused(HttpRequest.PUT("/v2/customer_sessions/s-6",
                "{\"customerSession\": {}}").header("If-None-Match", "*").header("If-Match", "*"));
        HttpClientResponseException erasure = refused(HttpRequest.DELETE("/v1/customer_data/alice")
                .header("If-None-Match", "*"));

        // then
        assertThat(List.of(etag, both, erasure)).allSatisfy(error -> {
            assertThat(error.getStatus().getCode()).isEqualTo(400);
            assertThat(parameter(body(error))).isEqualTo("If-None-Match");
        });
        assertThat(body(both).get("errors").get(0).get("title").getStringValue())
                .isEqualTo("conflicting preconditions");
        assertThat(processor.appended).isEmpty();
    }

    @Test
    void an_updates_idempotency_key_is_appended_with_it_and_a_long_one_is_a_400() {
        // when
        HttpResponse<JsonNode> keyed = call(HttpRequest.PUT("/v2/customer_sessions/s-key",
                "{\"customerSession\": {\"state\": \"closed\"}}").header("Idempotency-Key", "close-s-key-1"));
        HttpClientResponseException longKey = refused(HttpRequest.PUT("/v2/customer_sessions/s-key",
                "{\"customerSession\": {}}").header("Idempotency-Key", "k".repeat(256)));

        // then
        assertThat(keyed.code()).isEqualTo(200);
        assertThat(processor.appended).singleElement().isInstanceOfSatisfying(SessionCommand.UpsertSession.class,
                command -> assertThat(command.idempotencyKey()).isEqualTo("close-s-key-1"));
        assertThat(longKey.getStatus().getCode()).isEqualTo(400);
        assertThat(parameter(body(longKey))).isEqualTo("Idempotency-Key");
    }

    @Test
    void an_idempotency_key_on_a_reopen_or_discounts_is_a_400_and_nothing_is_appended() {
        // given
        given("s-closed-key", CLOSED_CART);

        // when
        HttpClientResponseException reopen = refused(HttpRequest.PUT("/v2/customer_sessions/s-closed-key/reopen", "")
                .header("Idempotency-Key", "reopen-1"));
        HttpClientResponseException discounts = refused(HttpRequest.PUT("/v2/customer_sessions/s-closed-key/discounts",
                "{\"discounts\": {}}").header("Idempotency-Key", "discounts-1"));

        // then
        assertThat(List.of(reopen, discounts)).allSatisfy(error -> {
            assertThat(error.getStatus().getCode()).isEqualTo(400);
            assertThat(parameter(body(error))).isEqualTo("Idempotency-Key");
        });
        assertThat(processor.appended).isEmpty();
    }

    @Test
    void a_stale_if_match_is_a_412_and_appends_no_event() {
        // given
        given("s-stale", "{\"customerSession\": {}}");

        // when
        HttpClientResponseException error = refused(HttpRequest.PUT("/v2/customer_sessions/s-stale",
                "{\"customerSession\": {\"state\": \"closed\"}}").header("If-Match", "7"));

        // then
        assertThat(error.getStatus().getCode()).isEqualTo(412);
        assertThat(body(error).get("errors").get(0).get("title").getStringValue()).isEqualTo("version mismatch");
        assertThat(processor.events).isEmpty();
    }

    // --- dry runs ---

    @Test
    void a_dry_run_answers_the_would_be_state_decided_by_the_projector_and_appends_nothing() {
        // given
        given("s-dry", "{\"customerSession\": {\"cartItems\": [{\"sku\": \"a\", \"quantity\": 1, \"price\": 2}]}}");

        // when
        HttpResponse<JsonNode> response = call(HttpRequest.PUT("/v2/customer_sessions/s-dry?dry=true",
                "{\"customerSession\": {\"state\": \"closed\"}}"));

        // then
        JsonNode session = response.body().get("customerSession");
        assertThat(response.code()).isEqualTo(200);
        assertThat(session.get("state").getStringValue()).isEqualTo("closed");
        assertThat(session.get("updateCount").getIntValue()).isEqualTo(2);
        assertThat(processor.appended).isEmpty();
        assertThat(processor.sessions.get(new SessionKey(42, "s-dry")).state()).isEqualTo(SessionState.OPEN);
        assertThat(processor.dryRuns).singleElement().isInstanceOf(SessionCommand.UpsertSession.class);
        assertThat(processor.forwardedAuthorizations).containsExactly(KEY_42);
    }

    @Test
    void a_dry_run_takes_now_as_the_command_time() {
        // when
        JsonNode session = call(HttpRequest.PUT("/v2/customer_sessions/s-now?dry=true&now=2030-01-02T03:04:05.678%2B01:00",
                "{\"customerSession\": {}}")).body().get("customerSession");

        // then
        assertThat(processor.dryRuns.get(0).time()).isEqualTo(Instant.parse("2030-01-02T02:04:05.678Z"));
        assertThat(session.get("created").getStringValue()).isEqualTo("2030-01-02T02:04:05.678Z");
        assertThat(processor.appended).isEmpty();
    }

    @Test
    void now_without_dry_run_is_a_400_naming_the_parameter_and_nothing_is_appended() {
        // when
        HttpClientResponseException withoutDry = refused(HttpRequest.PUT(
                "/v2/customer_sessions/s-now?now=2030-01-02T03:04:05Z", "{\"customerSession\": {}}"));
        HttpClientResponseException dryFalse = refused(HttpRequest.PUT(
                "/v2/customer_sessions/s-now?dry=false&now=2030-01-02T03:04:05Z", "{\"customerSession\": {}}"));
        HttpClientResponseException garbage = refused(HttpRequest.PUT(
                "/v2/customer_sessions/s-now?dry=true&now=tomorrow", "{\"customerSession\": {}}"));

        // then
        assertThat(withoutDry.getStatus().getCode()).isEqualTo(400);
        assertThat(parameter(body(withoutDry))).isEqualTo("now");
        assertThat(body(withoutDry).get("errors").get(0).get("title").getStringValue()).contains("dry=true");
        assertThat(dryFalse.getStatus().getCode()).isEqualTo(400);
        assertThat(garbage.getStatus().getCode()).isEqualTo(400);
        assertThat(body(garbage).get("errors").get(0).get("details").getStringValue()).contains("ISO-8601");
        assertThat(processor.appended).isEmpty();
        assertThat(processor.dryRuns).isEmpty();
    }

    @Test
    void a_dry_that_is_neither_true_nor_false_is_a_400_and_nothing_is_appended() {
        // when a client mistypes the flag of what it means as a dry run
        HttpClientResponseException typo = refused(HttpRequest.PUT("/v2/customer_sessions/s-typo?dry=ture",
                "{\"customerSession\": {\"state\": \"closed\"}}"));

        // then
        assertThat(typo.getStatus().getCode()).isEqualTo(400);
        assertThat(parameter(body(typo))).isEqualTo("dry");
        assertThat(body(typo).get("errors").get(0).get("details").getStringValue()).contains("'ture'");
        assertThat(processor.appended).isEmpty();
        assertThat(processor.dryRuns).isEmpty();
    }

    @Test
    void dry_is_read_in_any_case() {
        // when
        call(HttpRequest.PUT("/v2/customer_sessions/s-case?dry=TRUE", "{\"customerSession\": {}}"));
        call(HttpRequest.PUT("/v2/customer_sessions/s-case?dry=False", "{\"customerSession\": {}}"));

        // then
        assertThat(processor.dryRuns).hasSize(1);
        assertThat(processor.appended).hasSize(1);
    }

    @Test
    void a_dry_run_that_would_be_rejected_answers_the_rejection_and_appends_nothing() {
        // given a cancelled session
        given("s-dry-x", "{\"customerSession\": {}}");
        given("s-dry-x", "{\"customerSession\": {\"state\": \"cancelled\"}}");

        // when
        HttpClientResponseException error = refused(HttpRequest.PUT("/v2/customer_sessions/s-dry-x?dry=true",
                "{\"customerSession\": {\"state\": \"open\"}}"));

        // then
        assertThat(error.getStatus().getCode()).isEqualTo(409);
        assertThat(processor.appended).isEmpty();
        assertThat(processor.events).isEmpty();
    }

    @Test
    void an_invalid_dry_run_is_a_400_before_the_projector_is_asked() {
        // when
        HttpClientResponseException error = refused(HttpRequest.PUT("/v2/customer_sessions/s-dry?dry=true",
                "{\"customerSession\": {\"state\": \"paid\"}}"));

        // then
        assertThat(error.getStatus().getCode()).isEqualTo(400);
        assertThat(processor.dryRuns).isEmpty();
    }

    @Test
    void a_dry_run_without_the_projector_is_a_503_and_its_refusals_are_passed_on() {
        // given
        processor.failure = new CompletionException(new ProjectorUnavailableException("no connection", null));

        // when
        HttpClientResponseException unavailable = refused(HttpRequest.PUT("/v2/customer_sessions/s-dry?dry=true",
                "{\"customerSession\": {}}"));
        processor.failure = new CompletionException(new ProjectorRefusedException(new RelayedResponse(401,
                "application/json", "{\"message\": \"Unauthorized: the key is not valid\", \"errors\": []}".getBytes(), null)));
        HttpClientResponseException refusedThere = refused(HttpRequest.PUT("/v2/customer_sessions/s-dry?dry=true",
                "{\"customerSession\": {}}"));

        // then
        assertThat(unavailable.getStatus().getCode()).isEqualTo(503);
        assertThat(unavailable.getResponse().getHeaders().get("Retry-After")).isEqualTo("1");
        assertThat(refusedThere.getStatus().getCode()).isEqualTo(401);
        assertThat(body(refusedThere).get("message").getStringValue()).contains("not valid");
        assertThat(processor.appended).isEmpty();
    }

    // --- GET /v2/customer_sessions/{id} ---

    @Test
    void a_read_is_relayed_from_the_projector_with_the_callers_key() {
        // given
        processor.readAnswer = new RelayedResponse(200, "application/json",
                "{\"customerSession\": {\"integrationId\": \"s-r\"}, \"effects\": []}".getBytes(), null);

        // when
        HttpResponse<JsonNode> response = call(HttpRequest.GET("/v2/customer_sessions/s-r"));

        // then
        assertThat(response.code()).isEqualTo(200);
        assertThat(response.getContentType().orElseThrow().toString()).isEqualTo("application/json");
        assertThat(response.body().get("customerSession").get("integrationId").getStringValue()).isEqualTo("s-r");
        assertThat(processor.reads).containsExactly("s-r");
        assertThat(processor.forwardedAuthorizations).containsExactly(KEY_42);
    }

    @Test
    void a_read_passes_the_projectors_404_and_503_on_and_without_a_projector_it_is_a_503() {
        // given
        processor.readAnswer = new RelayedResponse(404, "application/json",
                "{\"message\": \"no customer session 's-x'\", \"errors\": []}".getBytes(), null);

        // when
        HttpClientResponseException missing = refused(HttpRequest.GET("/v2/customer_sessions/s-x"));
        processor.readAnswer = new RelayedResponse(503, "application/json", "{\"message\": \"rebalancing\"}".getBytes(), "1");
        HttpClientResponseException rebalancing = refused(HttpRequest.GET("/v2/customer_sessions/s-x"));
        processor.failure = new CompletionException(new ProjectorUnavailableException("connection refused", null));
        HttpClientResponseException down = refused(HttpRequest.GET("/v2/customer_sessions/s-x"));

        // then
        assertThat(missing.getStatus().getCode()).isEqualTo(404);
        assertThat(body(missing).get("message").getStringValue()).contains("s-x");
        assertThat(rebalancing.getStatus().getCode()).isEqualTo(503);
        assertThat(rebalancing.getResponse().getHeaders().get("Retry-After")).isEqualTo("1");
        assertThat(down.getStatus().getCode()).isEqualTo(503);
        assertThat(body(down).get("message").getStringValue()).contains("projector");
    }

    // --- POST /v2/customer_sessions/{id}/returns ---

    @Test
    void a_return_moves_a_closed_session_to_partially_returned_and_lowers_the_totals() {
        // given
        given("s-ret", CLOSED_CART);

        // when
        HttpResponse<JsonNode> response = call(HttpRequest.POST("/v2/customer_sessions/s-ret/returns",
                "{\"return\": {\"returnedCartItems\": [{\"position\": 0, \"quantity\": 1}]}}")
                .header("Idempotency-Key", "return-42"));

        // then
        JsonNode session = response.body().get("customerSession");
        assertThat(response.code()).isEqualTo(200);
        assertThat(session.get("state").getStringValue()).isEqualTo("partially_returned");
        assertThat(session.get("cartItems").get(0).get("returnedQuantity").getIntValue()).isEqualTo(1);
        assertThat(session.get("cartItems").get(0).get("remainingQuantity").getIntValue()).isEqualTo(1);
        assertThat(session.get("cartItemTotal").getBigDecimalValue()).isEqualByComparingTo("11.25");
        assertThat(session.get("updateCount").getIntValue()).isEqualTo(2);
        assertThat(processor.appended).singleElement().isInstanceOfSatisfying(SessionCommand.ReturnItems.class,
                command -> {
                    assertThat(command.returnedItems()).containsExactly(new ReturnedItem(0, 1));
                    assertThat(command.idempotencyKey()).isEqualTo("return-42");
                    assertThat(command.key()).isEqualTo(new SessionKey(42, "s-ret"));
                });
    }

    @Test
    void returns_of_an_open_or_unknown_session_or_more_than_remains_are_rejected_without_events() {
        // given
        given("s-open", "{\"customerSession\": {\"cartItems\": [{\"sku\": \"a\", \"quantity\": 1}]}}");
        given("s-ret", CLOSED_CART);
        String one = "{\"return\": {\"returnedCartItems\": [{\"position\": 0, \"quantity\": 1}]}}";

        // when
        HttpClientResponseException open = refused(HttpRequest.POST("/v2/customer_sessions/s-open/returns", one));
        HttpClientResponseException unknown = refused(HttpRequest.POST("/v2/customer_sessions/s-none/returns", one));
        HttpClientResponseException tooMany = refused(HttpRequest.POST("/v2/customer_sessions/s-ret/returns",
                "{\"return\": {\"returnedCartItems\": [{\"position\": 0, \"quantity\": 3}]}}"));

        // then
        assertThat(open.getStatus().getCode()).isEqualTo(409);
        assertThat(unknown.getStatus().getCode()).isEqualTo(404);
        assertThat(tooMany.getStatus().getCode()).isEqualTo(400);
        assertThat(processor.events).isEmpty();
    }

    @Test
    void an_invalid_return_or_idempotency_key_is_a_400_and_nothing_is_appended() {
        // when
        HttpClientResponseException invalid = refused(HttpRequest.POST("/v2/customer_sessions/s-ret/returns",
                "{\"return\": {\"returnedCartItems\": [{\"position\": 0.5, \"quantity\": 0}]}}"));
        HttpClientResponseException missing = refused(HttpRequest.POST("/v2/customer_sessions/s-ret/returns", "{}"));
        HttpClientResponseException longKey = refused(HttpRequest.POST("/v2/customer_sessions/s-ret/returns",
                "{\"return\": {\"returnedCartItems\": [{\"position\": 0, \"quantity\": 1}]}}")
                .header("Idempotency-Key", "k".repeat(256)));

        // then
        assertThat(invalid.getStatus().getCode()).isEqualTo(400);
        assertThat(pointers(body(invalid))).containsExactlyInAnyOrder("/return/returnedCartItems/0/position",
                "/return/returnedCartItems/0/quantity");
        assertThat(pointers(body(missing))).containsExactly("/return");
        assertThat(longKey.getStatus().getCode()).isEqualTo(400);
        assertThat(parameter(body(longKey))).isEqualTo("Idempotency-Key");
        assertThat(processor.appended).isEmpty();
    }

    @Test
    void every_write_takes_dry_true_as_a_dry_run_decided_by_the_projector_and_appends_nothing() {
        // given: a closed session with two items
        given("s-dry-all", CLOSED_CART);

        // when: a return, a reopen and discounts, each asked for as a dry run
        HttpResponse<JsonNode> returned = call(HttpRequest.POST("/v2/customer_sessions/s-dry-all/returns?dry=true",
                "{\"return\": {\"returnedCartItems\": [{\"position\": 0, \"quantity\": 1}]}}")
                .header("Idempotency-Key", "dry-return"));
        HttpResponse<JsonNode> reopened = call(HttpRequest.PUT("/v2/customer_sessions/s-dry-all/reopen?dry=TRUE", ""));
        HttpResponse<JsonNode> discounted = call(HttpRequest.PUT("/v2/customer_sessions/s-dry-all/discounts?dry=true",
                "{\"discounts\": {\"10% off\": 2.00}}"));

        // then: each answers the would-be session, and the log and the stored session are untouched
        assertThat(returned.body().get("customerSession").get("state").getStringValue())
                .isEqualTo("partially_returned");
        assertThat(reopened.body().get("customerSession").get("state").getStringValue()).isEqualTo("open");
        assertThat(discounted.body().get("customerSession").get("updateCount").getIntValue()).isEqualTo(2);
        assertThat(processor.appended).isEmpty();
        assertThat(processor.dryRuns).extracting(command -> command.getClass().getSimpleName())
                .containsExactly("ReturnItems", "ReopenSession", "SetDiscounts");
        assertThat(processor.sessions.get(new SessionKey(42, "s-dry-all")).state()).isEqualTo(SessionState.CLOSED);
    }

    @Test
    void dry_and_now_are_checked_on_every_write_and_a_time_beyond_epoch_milliseconds_is_a_400() {
        // given
        given("s-dry-bad", CLOSED_CART);

        // when
        HttpClientResponseException typo = refused(HttpRequest.PUT("/v2/customer_sessions/s-dry-bad/reopen?dry=yes",
                ""));
        HttpClientResponseException nowWithoutDry = refused(HttpRequest.POST(
                "/v2/customer_sessions/s-dry-bad/returns?now=2030-01-01T00:00:00Z",
                "{\"return\": {\"returnedCartItems\": [{\"position\": 0, \"quantity\": 1}]}}"));
        HttpClientResponseException farFuture = refused(HttpRequest.PUT(
                "/v2/customer_sessions/s-dry-bad?dry=true&now=%2B999999999-12-31T23:59:59Z", "{\"customerSession\": {}}"));
        HttpClientResponseException farPast = refused(HttpRequest.PUT(
                "/v2/customer_sessions/s-dry-bad?dry=true&now=-999999999-01-01T00:00:00Z", "{\"customerSession\": {}}"));

        // then
        assertThat(parameter(body(typo))).isEqualTo("dry");
        assertThat(parameter(body(nowWithoutDry))).isEqualTo("now");
        assertThat(farFuture.getStatus().getCode()).isEqualTo(400);
        assertThat(parameter(body(farFuture))).isEqualTo("now");
        assertThat(parameter(body(farPast))).isEqualTo("now");
        assertThat(processor.appended).isEmpty();
        assertThat(processor.dryRuns).isEmpty();
    }

    @Test
    void an_attribute_nested_too_deep_or_with_a_number_beyond_a_double_is_a_400_and_nothing_is_appended() {
        // given: 32 levels of arrays and objects are stored; 33 would be too deep to answer with later
        String deepest = "{\"x\":".repeat(31) + "[1]" + "}".repeat(31);
        String tooDeep = "{\"x\":".repeat(32) + "[1]" + "}".repeat(32);

        // when
        HttpResponse<JsonNode> stored = call(HttpRequest.PUT("/v2/customer_sessions/s-attr",
                "{\"customerSession\": {\"attributes\": {\"a\": " + deepest + "}}}"));
        HttpClientResponseException deep = refused(HttpRequest.PUT("/v2/customer_sessions/s-attr",
                "{\"customerSession\": {\"attributes\": {\"a\": " + tooDeep + "}}}"));
        HttpClientResponseException huge = refused(HttpRequest.PUT("/v2/customer_sessions/s-attr",
                "{\"customerSession\": {\"cartItems\": [{\"sku\": \"a\", \"quantity\": 1, \"price\": 1,"
                        + " \"attributes\": {\"b\": [-1e400]}}]}}"));
        HttpClientResponseException hugeDry = refused(HttpRequest.PUT("/v2/customer_sessions/s-attr?dry=true",
                "{\"customerSession\": {\"attributes\": {\"c\": 1e309}}}"));
        HttpClientResponseException hugeInteger = refused(HttpRequest.PUT("/v2/customer_sessions/s-attr",
                "{\"customerSession\": {\"attributes\": {\"d\": 1" + "0".repeat(309) + "}}}"));

        // then
        assertThat(stored.code()).isEqualTo(200);
        assertThat(deep.getStatus().getCode()).isEqualTo(400);
        assertThat(pointers(body(deep))).containsExactly("/customerSession/attributes/a");
        assertThat(body(deep).get("errors").get(0).get("details").getStringValue()).contains("32 levels");
        assertThat(pointers(body(huge))).containsExactly("/customerSession/cartItems/0/attributes/b");
        assertThat(pointers(body(hugeDry))).containsExactly("/customerSession/attributes/c");
        assertThat(pointers(body(hugeInteger))).containsExactly("/customerSession/attributes/d");
        assertThat(processor.appended).hasSize(1);
        assertThat(processor.dryRuns).isEmpty();
    }

    @Test
    void a_text_with_half_a_surrogate_pair_is_a_400_and_nothing_is_appended() {
        // when: JSON escapes of half a UTF-16 surrogate pair, which UTF-8 (the log) cannot hold; a whole pair can
        HttpClientResponseException profile = refused(HttpRequest.PUT("/v2/customer_sessions/s-utf",
                "{\"customerSession\": {\"profileId\": \"p-\\ud800\"}}"));
        HttpClientResponseException attribute = refused(HttpRequest.PUT("/v2/customer_sessions/s-utf",
                "{\"customerSession\": {\"attributes\": {\"a\": [\"x\\udc00\"]}}}"));
        HttpResponse<JsonNode> emoji = call(HttpRequest.PUT("/v2/customer_sessions/s-utf",
                "{\"customerSession\": {\"profileId\": \"p-\\ud83d\\ude00\"}}"));

        // then
        assertThat(profile.getStatus().getCode()).isEqualTo(400);
        assertThat(pointers(body(profile))).containsExactly("/customerSession/profileId");
        assertThat(body(profile).get("errors").get(0).get("details").getStringValue()).contains("surrogate");
        assertThat(pointers(body(attribute))).containsExactly("/customerSession/attributes/a");
        assertThat(emoji.code()).isEqualTo(200);
        assertThat(processor.appended).hasSize(1);
    }

    // --- PUT /v2/customer_sessions/{id}/reopen ---

    @Test
    void reopening_a_closed_session_opens_it() {
        // given
        given("s-reo", CLOSED_CART);

        // when
        HttpResponse<JsonNode> response = call(HttpRequest.PUT("/v2/customer_sessions/s-reo/reopen", "")
                .header("If-Match", "1"));

        // then
        assertThat(response.code()).isEqualTo(200);
        assertThat(response.body().get("customerSession").get("state").getStringValue()).isEqualTo("open");
        assertThat(response.body().get("customerSession").get("updateCount").getIntValue()).isEqualTo(2);
        assertThat(processor.appended).singleElement().isInstanceOf(SessionCommand.ReopenSession.class);
    }

    @Test
    void reopening_an_open_or_unknown_session_or_with_a_stale_if_match_is_rejected_without_events() {
        // given
        given("s-open", "{\"customerSession\": {}}");
        given("s-reo", CLOSED_CART);

        // when
        HttpClientResponseException open = refused(HttpRequest.PUT("/v2/customer_sessions/s-open/reopen", ""));
        HttpClientResponseException unknown = refused(HttpRequest.PUT("/v2/customer_sessions/s-none/reopen", ""));
        HttpClientResponseException stale = refused(HttpRequest.PUT("/v2/customer_sessions/s-reo/reopen", "")
                .header("If-Match", "5"));

        // then
        assertThat(open.getStatus().getCode()).isEqualTo(409);
        assertThat(body(open).get("message").getStringValue()).isNotBlank();
        assertThat(unknown.getStatus().getCode()).isEqualTo(404);
        assertThat(stale.getStatus().getCode()).isEqualTo(412);
        assertThat(processor.events).isEmpty();
    }

    // --- PUT /v2/customer_sessions/{id}/discounts ---

    @Test
    void discounts_are_recorded_on_the_session() {
        // given
        given("s-disc", "{\"customerSession\": {\"cartItems\": [{\"sku\": \"a\", \"quantity\": 1, \"price\": 20}]}}");

        // when
        HttpResponse<JsonNode> response = call(HttpRequest.PUT("/v2/customer_sessions/s-disc/discounts",
                "{\"discounts\": {\"10% off\": 2.00, \"free shipping\": 4.95}}"));

        // then: the v2 view has no discounts; the total stays the pre-discount value
        assertThat(response.code()).isEqualTo(200);
        assertThat(response.body().get("customerSession").get("total").getBigDecimalValue()).isEqualByComparingTo("20");
        assertThat(response.body().get("customerSession").get("updateCount").getIntValue()).isEqualTo(2);
        assertThat(processor.appended).singleElement().isInstanceOfSatisfying(SessionCommand.SetDiscounts.class,
                command -> assertThat(command.discounts()).containsOnlyKeys("10% off", "free shipping"));
        assertThat(processor.sessions.get(new SessionKey(42, "s-disc")).totalDiscounts())
                .isEqualByComparingTo(new BigDecimal("6.95"));
    }

    @Test
    void invalid_discounts_are_a_400_pointing_at_the_label_and_nothing_is_appended() {
        // when
        HttpClientResponseException negative = refused(HttpRequest.PUT("/v2/customer_sessions/s-disc/discounts",
                "{\"discounts\": {\"oops\": -1}}"));
        HttpClientResponseException missing = refused(HttpRequest.PUT("/v2/customer_sessions/s-disc/discounts", "{}"));

        // then
        assertThat(negative.getStatus().getCode()).isEqualTo(400);
        assertThat(pointers(body(negative))).containsExactly("/discounts/oops");
        assertThat(pointers(body(missing))).containsExactly("/discounts");
        assertThat(processor.appended).isEmpty();
    }

    // --- authentication ---

    @Test
    void without_a_valid_integration_key_every_endpoint_is_a_401_and_nothing_is_appended_or_forwarded() {
        // given
        List<Supplier<MutableHttpRequest<?>>> requests = List.of(
                () -> HttpRequest.PUT("/v2/customer_sessions/s-a", "{\"customerSession\": {}}"),
                () -> HttpRequest.PUT("/v2/customer_sessions/s-a?dry=true", "{\"customerSession\": {}}"),
                () -> HttpRequest.GET("/v2/customer_sessions/s-a"),
                () -> HttpRequest.POST("/v2/customer_sessions/s-a/returns", "{\"return\": {\"returnedCartItems\": []}}"),
                () -> HttpRequest.PUT("/v2/customer_sessions/s-a/reopen", ""),
                () -> HttpRequest.PUT("/v2/customer_sessions/s-a/discounts", "{\"discounts\": {}}"),
                () -> HttpRequest.PUT("/v1/customer_sessions/s-a", "{}"));
        List<String> badHeaders = List.of("", "ApiKey-v1 not-a-key", "ManagementKey-v1 dev-management-key-0001",
                "Bearer dev-integration-key-0001", "dev-integration-key-0001");

        for (Supplier<MutableHttpRequest<?>> newRequest : requests) {
            for (String header : badHeaders) {
                MutableHttpRequest<?> request = newRequest.get();
                if (!header.isEmpty()) {
                    request.header("Authorization", header);
                }

                // when
                HttpClientResponseException error = catchThrowableOfType(HttpClientResponseException.class,
                        () -> client.toBlocking().exchange(request, JsonNode.class));

                // then
                assertThat(error).as("%s %s with '%s'", request.getMethod(), request.getPath(), header).isNotNull();
                assertThat(error.getStatus().getCode()).isEqualTo(401);
                assertThat(body(error).get("message").getStringValue()).startsWith("Unauthorized");
                assertThat(body(error).get("errors").get(0).get("source").get("parameter").getStringValue())
                        .isEqualTo("Authorization");
            }
        }
        assertThat(processor.appended).isEmpty();
        assertThat(processor.dryRuns).isEmpty();
        assertThat(processor.reads).isEmpty();
    }

    @Test
    void health_needs_no_key() {
        // when
        HttpResponse<String> response = client.toBlocking().exchange(HttpRequest.GET("/health"), String.class);

        // then
        assertThat(response.code()).isEqualTo(200);
    }
}
