package io.customersessions.api.auth;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.customersessions.api.Json.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Keys from src/test/resources/application-test.yml: test-integration-key (app 42), test-management-key (42, 43). */
@MicronautTest(environments = AuthenticationFilterTest.ENVIRONMENT)
class AuthenticationFilterTest {

    static final String ENVIRONMENT = "authentication-filter-test";

    /** Stands for any endpoint: records whether it ran, and with which caller. */
    @Controller
    @Requires(env = ENVIRONMENT)
    static class Endpoints {
        final List<Caller> reached = new ArrayList<>();

        @Put("/v2/customer_sessions/{id}")
        String update(String id, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
            reached.add(caller);
            return "updated";
        }

        @Get("/internal/v1/anything")
        String internal(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
            reached.add(caller);
            return "internal";
        }

        @Get("/v1/applications/{applicationId}/sessions")
        String list(long applicationId, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
            reached.add(caller);
            return "sessions";
        }

        @Get("/health")
        String health() {
            return "UP";
        }

        /** Stands for the audit page's static files. */
        @Get("/audit/{file}")
        String auditFile(String file) {
            return "page " + file;
        }
    }

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    Endpoints endpoints;

    @BeforeEach
    void nothingReachedYet() {
        endpoints.reached.clear();
    }

    private HttpClientResponseException refused(MutableHttpRequest<?> request) {
        return catchThrowableOfType(HttpClientResponseException.class,
                () -> client.toBlocking().exchange(request, String.class));
    }

    private static JsonNode unauthorized(HttpClientResponseException error) {
        assertThat(error).as("the request should be refused").isNotNull();
        assertThat(error.getStatus().getCode()).isEqualTo(401);
        JsonNode body = tree(error.getResponse().getBody(String.class).orElseThrow());
        assertThat(body.get("message").getStringValue()).startsWith("Unauthorized");
        assertThat(body.get("errors").get(0).get("title").getStringValue()).isEqualTo("unauthorized");
        assertThat(body.get("errors").get(0).get("source").get("parameter").getStringValue()).isEqualTo("Authorization");
        return body;
    }

    private static MutableHttpRequest<String> update() {
        return HttpRequest.PUT("/v2/customer_sessions/s-1", "{}");
    }

    @Test
    void a_request_without_a_key_is_a_401_and_never_reaches_the_endpoint() {
        // when
        HttpClientResponseException error = refused(update());

        // then
        JsonNode body = unauthorized(error);
        assertThat(body.get("message").getStringValue()).contains("missing");
        assertThat(error.getResponse().getHeaders().get("WWW-Authenticate")).isEqualTo("ApiKey-v1");
        assertThat(endpoints.reached).isEmpty();
    }

    @Test
    void an_unknown_key_is_a_401_that_does_not_repeat_the_key() {
        // when
        HttpClientResponseException error = refused(update().header("Authorization", "ApiKey-v1 guessed-key"));

        // then
        JsonNode body = unauthorized(error);
        assertThat(body.get("message").getStringValue()).contains("not valid");
        assertThat(error.getResponse().getBody(String.class).orElseThrow()).doesNotContain("guessed-key");
        assertThat(endpoints.reached).isEmpty();
    }

    @Test
    void a_management_key_does_not_open_the_integration_api_and_vice_versa() {
        // when
        HttpClientResponseException managementOnIntegration =
                refused(update().header("Authorization", "ManagementKey-v1 test-management-key"));
        HttpClientResponseException integrationOnManagement = refused(HttpRequest.GET("/v1/applications/42/sessions")
                .header("Authorization", "ApiKey-v1 test-integration-key"));
        HttpClientResponseException bareKey = refused(update().header("Authorization", "test-integration-key"));

        // then
        assertThat(unauthorized(managementOnIntegration).get("message").getStringValue()).contains("ApiKey-v1");
        assertThat(unauthorized(integrationOnManagement).get("message").getStringValue())
                .contains("ManagementKey-v1 or Bearer");
        assertThat(integrationOnManagement.getResponse().getHeaders().get("WWW-Authenticate"))
                .isEqualTo("ManagementKey-v1, Bearer");
        unauthorized(bareKey);
        assertThat(endpoints.reached).isEmpty();
    }

    @Test
    void a_valid_integration_key_reaches_the_endpoint_as_its_application() {
        // when
        HttpResponse<String> response = client.toBlocking().exchange(
                update().header("Authorization", "ApiKey-v1 test-integration-key"), String.class);
        HttpResponse<String> internal = client.toBlocking().exchange(
                HttpRequest.GET("/internal/v1/anything").header("Authorization", "apikey-v1  test-integration-key "),
                String.class);

        // then
        assertThat(response.body()).isEqualTo("updated");
        assertThat(internal.body()).isEqualTo("internal");
        assertThat(endpoints.reached).containsExactly(new Caller.Integration(42), new Caller.Integration(42));
    }

    @Test
    void a_valid_management_key_reaches_the_management_api_with_its_applications() {
        // when
        client.toBlocking().exchange(HttpRequest.GET("/v1/applications/42/sessions")
                .header("Authorization", "ManagementKey-v1 test-management-key"), String.class);
        client.toBlocking().exchange(HttpRequest.GET("/v1/applications/43/sessions")
                .header("Authorization", "Bearer test-management-key"), String.class);

        // then
        assertThat(endpoints.reached).hasSize(2).allSatisfy(caller -> {
            assertThat(caller).isInstanceOf(Caller.Management.class);
            assertThat(((Caller.Management) caller).mayRead(43)).isTrue();
            assertThat(((Caller.Management) caller).mayRead(1)).isFalse();
        });
    }

    @Test
    void doubled_slashes_do_not_move_a_path_out_of_the_management_realm() {
        // when
        HttpClientResponseException error = refused(HttpRequest.GET("//v1//applications/42/sessions")
                .header("Authorization", "ApiKey-v1 test-integration-key"));

        // then
        assertThat(error.getStatus().getCode()).isIn(401, 404);
        assertThat(endpoints.reached).isEmpty();
    }

    @Test
    void the_audit_pages_files_need_no_key_but_nothing_else_under_audit_does() {
        // when
        HttpResponse<String> script = client.toBlocking().exchange(HttpRequest.GET("/audit/audit.js"), String.class);
        HttpClientResponseException other = refused(HttpRequest.GET("/audit/sessions"));

        // then
        assertThat(script.body()).isEqualTo("page audit.js");
        unauthorized(other);
    }

    @Test
    void exactly_the_audit_pages_paths_are_open_and_data_paths_keep_their_realm() {
        assertThat(List.of("/audit/", "/audit/index.html", "/audit/audit.js", "/audit/audit.css", "//audit//audit.js"))
                .allSatisfy(path -> assertThat(AuthenticationFilter.Realm.of(path))
                        .isEqualTo(AuthenticationFilter.Realm.OPEN));
        assertThat(List.of("/audit", "/audit/data", "/audit/../v2/customer_sessions/s-1", "/audit/index.html/x",
                "/v2/customer_sessions/s-1", "/internal/v1/decide"))
                .allSatisfy(path -> assertThat(AuthenticationFilter.Realm.of(path))
                        .isEqualTo(AuthenticationFilter.Realm.INTEGRATION));
        assertThat(List.of("/v1/applications/1/customer_sessions/s-1/events", "/v1/applications/1/sessions"))
                .allSatisfy(path -> assertThat(AuthenticationFilter.Realm.of(path))
                        .isEqualTo(AuthenticationFilter.Realm.MANAGEMENT));
    }

    @Test
    void health_needs_no_key() {
        // when
        HttpResponse<String> response = client.toBlocking().exchange(HttpRequest.GET("/health"), String.class);

        // then
        assertThat(response.body()).isEqualTo("UP");
    }
}
