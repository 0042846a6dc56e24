package io.customersessions.api.http;

import io.customersessions.api.model.IntegrationRequestV2;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.ClientFilter;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static io.customersessions.api.Json.json;
import static io.customersessions.api.Json.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Requests that fail before a controller runs get Talon.One's error body, not Micronaut's {@code _embedded}. */
@MicronautTest(environments = ErrorHandlersTest.ENVIRONMENT)
class ErrorHandlersTest {

    static final String ENVIRONMENT = "error-handlers-test";

    @Controller("/v2/customer_sessions")
    @Requires(env = ENVIRONMENT)
    static class SessionsController {

        @Put("/{customerSessionId}")
        HttpResponse<String> update(String customerSessionId, @Header("If-Match") Integer ifMatch,
                                    @Body IntegrationRequestV2 request) {
            return HttpResponse.ok("accepted");
        }

        @Get("/{customerSessionId}/broken")
        HttpResponse<String> broken(String customerSessionId) {
            throw new IllegalStateException("could not render CustomerSession[profileId=jane.doe@example.com]");
        }
    }

    /** Authentication runs first (see AuthenticationFilterTest); these requests carry a valid key. */
    @ClientFilter
    @Requires(env = ENVIRONMENT)
    static class WithApiKey {

        @RequestFilter
        void authorize(MutableHttpRequest<?> request) {
            request.header("Authorization", "ApiKey-v1 test-integration-key");
        }
    }

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    EmbeddedServer server;

    private HttpClientResponseException put(String body, String ifMatch) {
        HttpRequest<String> request = HttpRequest.PUT("/v2/customer_sessions/s-1", body)
                .contentType(MediaType.APPLICATION_JSON_TYPE).header("If-Match", ifMatch);
        return catchThrowableOfType(HttpClientResponseException.class, () -> client.toBlocking().exchange(request));
    }

    private static JsonNode error(HttpClientResponseException failure) {
        assertThat(failure).as("the request should fail").isNotNull();
        assertThat(failure.getStatus().getCode()).isEqualTo(400);
        JsonNode body = tree(failure.getResponse().getBody(String.class).orElseThrow());
        assertThat(body.get("_embedded")).isNull();
        assertThat(body.get("message").isString()).isTrue();
        assertThat(body.get("errors").size()).isEqualTo(1);
        assertThat(body.get("StatusCode").getIntValue()).isEqualTo(400);
        return body.get("errors").get(0);
    }

    @Test
    void a_well_formed_request_reaches_the_controller() {
        // when
        HttpResponse<String> response = client.toBlocking().exchange(
                HttpRequest.PUT("/v2/customer_sessions/s-1", json("{'customerSession': {}}")).header("If-Match", "1"),
                String.class);

        // then
        assertThat(response.body()).isEqualTo("accepted");
    }

    @Test
    void a_path_with_malformed_percent_encoding_is_a_400_naming_the_path_and_not_a_401() throws IOException {
        // when: a client that sends the path as it is (Micronaut's client would refuse to)
        String answer = raw("PUT /v2/customer_sessions/a%zz HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: ApiKey-v1 test-integration-key\r\nContent-Type: application/json\r\n"
                + "Content-Length: 2\r\nConnection: close\r\n\r\n{}");

        // then
        assertThat(answer).startsWith("HTTP/1.1 400 ");
        JsonNode body = tree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertThat(body.get("message").getStringValue()).isEqualTo("Malformed URI");
        assertThat(body.get("errors").size()).isEqualTo(1);
    }

    @Test
    void a_request_for_the_root_still_needs_a_key_and_one_without_any_header_finds_nothing() throws IOException {
        // when
        String withHeaders = raw("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        String withoutHeaders = raw("GET / HTTP/1.0\r\n\r\n");

        // then
        assertThat(withHeaders).startsWith("HTTP/1.1 401 ");
        assertThat(withoutHeaders).startsWith("HTTP/1.0 404 ");
    }

    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("localhost", server.getPort())) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void malformed_json_is_a_400_pointing_at_the_body_with_line_and_column() {
        // when
        JsonNode error = error(put("{\"customerSession\":", "1"));

        // then
        assertThat(error.get("title").getStringValue()).isEqualTo("invalid JSON");
        assertThat(error.get("source").get("pointer").getStringValue()).isEmpty();
        assertThat(error.get("details").getStringValue()).contains("end-of-input", "(line 1, column 20)")
                .doesNotContain("Source:");
    }

    @Test
    void a_value_of_the_wrong_type_is_a_400_pointing_at_that_value() {
        // when
        JsonNode error = error(put(json(
                "{'customerSession': {'cartItems': [{'sku': 'a', 'quantity': 1}, {'sku': 'b', 'quantity': 'abc'}]}}"),
                "1"));

        // then
        assertThat(error.get("source").get("pointer").getStringValue())
                .isEqualTo("/customerSession/cartItems/1/quantity");
        assertThat(error.get("details").getStringValue()).contains("must be a number");
    }

    @Test
    void a_string_where_an_object_is_expected_points_at_that_field() {
        // when
        JsonNode error = error(put(json("{'customerSession': {'profileId': {'id': 1}}}"), "1"));

        // then
        assertThat(error.get("source").get("pointer").getStringValue()).isEqualTo("/customerSession/profileId");
        assertThat(error.get("details").getStringValue()).contains("must be a string");
    }

    @Test
    void a_wrong_type_inside_a_map_points_at_the_map_entry() {
        // when
        JsonNode error = error(put(json("{'customerSession': {'additionalCosts': {'ship/ping': {'price': 'x'}}}}"), "1"));

        // then
        assertThat(error.get("source").get("pointer").getStringValue())
                .isEqualTo("/customerSession/additionalCosts/ship~1ping/price");
    }

    @Test
    void an_object_where_a_list_is_expected_points_at_the_list() {
        // when
        JsonNode coupons = error(put(json("{'customerSession': {'couponCodes': {'a': 1}}}"), "1"));
        JsonNode items = error(put(json("{'customerSession': {'cartItems': {'sku': 'a'}}}"), "1"));

        // then
        assertThat(coupons.get("source").get("pointer").getStringValue()).isEqualTo("/customerSession/couponCodes");
        assertThat(items.get("source").get("pointer").getStringValue()).isEqualTo("/customerSession/cartItems");
        assertThat(items.get("details").getStringValue()).contains("must be an array");
    }

    @Test
    void a_wrong_type_inside_a_list_points_at_the_element() {
        // when
        JsonNode error = error(put(json("{'customerSession': {'couponCodes': ['A', {'code': 'B'}]}}"), "1"));

        // then
        assertThat(error.get("source").get("pointer").getStringValue()).isEqualTo("/customerSession/couponCodes/1");
        assertThat(error.get("details").getStringValue()).contains("must be a string");
    }

    @Test
    void a_syntax_error_inside_a_nested_value_is_invalid_json_at_that_value() {
        // when
        JsonNode error = error(put("{\"customerSession\": {,}}", "1"));

        // then
        assertThat(error.get("title").getStringValue()).isEqualTo("invalid JSON");
        assertThat(error.get("source").get("pointer").getStringValue()).isEqualTo("/customerSession");
        assertThat(error.get("details").getStringValue()).contains("(line 1, column 22)");
    }

    @Test
    void a_missing_body_is_a_400() {
        // when
        JsonNode error = error(put("", "1"));

        // then
        assertThat(error.get("title").getStringValue()).isEqualTo("missing body");
        assertThat(error.get("source").get("pointer").getStringValue()).isEmpty();
    }

    @Test
    void a_header_that_does_not_convert_names_the_header() {
        // when
        JsonNode error = error(put(json("{'customerSession': {}}"), "abc"));

        // then
        assertThat(error.get("source").get("parameter").getStringValue()).isEqualTo("If-Match");
        assertThat(error.get("details").getStringValue()).contains("must be a whole number");
    }

    @Test
    void a_missing_required_header_names_the_header() {
        // when
        HttpClientResponseException failure = catchThrowableOfType(HttpClientResponseException.class,
                () -> client.toBlocking().exchange(HttpRequest.PUT("/v2/customer_sessions/s-1",
                        json("{'customerSession': {}}"))));

        // then
        assertThat(error(failure).get("source").get("parameter").getStringValue()).isEqualTo("If-Match");
    }

    @Test
    void the_errors_micronaut_answers_itself_have_talon_ones_shape_too() {
        // when
        HttpClientResponseException notJson = catchThrowableOfType(HttpClientResponseException.class,
                () -> client.toBlocking().exchange(HttpRequest.PUT("/v2/customer_sessions/s-1", "{}")
                        .contentType(MediaType.TEXT_PLAIN_TYPE).header("If-Match", "1")));
        HttpClientResponseException unknownPath = catchThrowableOfType(HttpClientResponseException.class,
                () -> client.toBlocking().exchange(HttpRequest.GET("/v2/no_such_thing")));
        HttpClientResponseException wrongMethod = catchThrowableOfType(HttpClientResponseException.class,
                () -> client.toBlocking().exchange(HttpRequest.DELETE("/v2/customer_sessions/s-1")));

        // then
        assertThat(talonOneError(notJson, 415).get("title").getStringValue()).isEqualTo("unsupported media type");
        assertThat(talonOneError(notJson, 415).get("details").getStringValue()).contains("text/plain");
        assertThat(talonOneError(unknownPath, 404).get("title").getStringValue()).isEqualTo("not found");
        assertThat(talonOneError(wrongMethod, 405).get("title").getStringValue()).isEqualTo("method not allowed");
    }

    @Test
    void a_browser_that_accepts_html_gets_the_same_json_errors() {
        // when
        HttpClientResponseException unknownPath = catchThrowableOfType(HttpClientResponseException.class,
                () -> client.toBlocking().exchange(HttpRequest.GET("/v2/no_such_thing")
                        .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")));

        // then
        assertThat(unknownPath.getResponse().getContentType()).contains(MediaType.APPLICATION_JSON_TYPE);
        assertThat(talonOneError(unknownPath, 404).get("title").getStringValue()).isEqualTo("not found");
    }

    @Test
    void an_unexpected_failure_is_a_500_that_does_not_repeat_its_cause() {
        // when the code behind a route fails with a message holding a session's personal data
        HttpClientResponseException failure = catchThrowableOfType(HttpClientResponseException.class,
                () -> client.toBlocking().exchange(HttpRequest.GET("/v2/customer_sessions/s-1/broken")));

        // then
        JsonNode error = talonOneError(failure, 500);
        assertThat(error.get("title").getStringValue()).isEqualTo("internal server error");
        assertThat(failure.getResponse().getBody(String.class).orElseThrow()).doesNotContain("jane.doe")
                .contains("its cause is logged");
    }

    private static JsonNode talonOneError(HttpClientResponseException failure, int status) {
        assertThat(failure).as("the request should fail").isNotNull();
        assertThat(failure.getStatus().getCode()).isEqualTo(status);
        JsonNode body = tree(failure.getResponse().getBody(String.class).orElseThrow());
        assertThat(body.get("_embedded")).isNull();
        assertThat(body.get("_links")).isNull();
        assertThat(body.get("message").getStringValue()).isNotBlank();
        assertThat(body.get("errors").size()).isEqualTo(1);
        assertThat(body.get("StatusCode").getIntValue()).isEqualTo(status);
        return body.get("errors").get(0);
    }
}
