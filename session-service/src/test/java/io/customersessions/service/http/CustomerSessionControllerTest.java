package io.customersessions.service.http;

import io.customersessions.domain.CustomerSession;
import io.customersessions.domain.Decision;
import io.customersessions.domain.DecisionContext;
import io.customersessions.domain.Rejection;
import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionDecider;
import io.customersessions.service.commands.CommandGateway;
import io.customersessions.service.commands.CommandResult;
import io.customersessions.service.kafka.CommandNotAppendedException;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.annotation.MockBean;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The HTTP adapter alone: requests become commands, outcomes become Talon.One responses. The log is replaced by a
 * gateway that decides with the real domain core against an empty session and records what would be appended.
 */
@MicronautTest
@Property(name = "customer-sessions.application-id", value = "42")
class CustomerSessionControllerTest {

    private final List<SessionCommand> appended = new ArrayList<>();
    private Function<SessionCommand, CommandResult> outcome;
    private RuntimeException appendFailure;

    @Inject
    @Client("/")
    HttpClient client;

    @MockBean(CommandGateway.class)
    CommandGateway gateway() {
        return command -> {
            if (appendFailure != null) {
                return CompletableFuture.failedFuture(appendFailure);
            }
            appended.add(command);
            return CompletableFuture.completedFuture(outcome.apply(command));
        };
    }

    @BeforeEach
    void foldOnAnEmptySession() {
        appended.clear();
        appendFailure = null;
        outcome = command -> {
            Decision decision = SessionDecider.decide(Optional.empty(), command, DecisionContext.of(7));
            if (decision instanceof Decision.Accepted accepted) {
                CustomerSession state = SessionDecider.evolve(Optional.empty(), accepted.events().get(0));
                return new CommandResult.Accepted(state, List.of(accepted.events().get(0).talonType()));
            }
            return new CommandResult.Rejected(((Decision.Rejected) decision).rejection());
        };
    }

    @Test
    void an_accepted_update_answers_with_the_folded_session_for_the_configured_application() {
        // when
        HttpResponse<JsonNode> response = client.toBlocking().exchange(HttpRequest.PUT("/v2/customer_sessions/s-1",
                "{\"customerSession\": {\"profileId\": \"c-1\", \"cartItems\": [{\"sku\": \"a\", \"quantity\": 2, \"price\": 1.25}]}}"),
                JsonNode.class);

        // then
        assertThat(response.code()).isEqualTo(200);
        JsonNode session = response.body().get("customerSession");
        assertThat(session.get("integrationId").getStringValue()).isEqualTo("s-1");
        assertThat(session.get("applicationId").getLongValue()).isEqualTo(42);
        assertThat(session.get("updateCount").getIntValue()).isEqualTo(1);
        assertThat(session.get("total").getBigDecimalValue()).isEqualByComparingTo("2.50");
        assertThat(response.body().get("effects").size()).isZero();
        assertThat(appended).hasSize(1);
        assertThat(appended.get(0).key().asString()).isEqualTo("42:s-1");
    }

    @Test
    void an_invalid_request_is_a_400_with_pointers_and_nothing_is_appended() {
        // when
        HttpClientResponseException error = catchThrowableOfType(HttpClientResponseException.class, () ->
                client.toBlocking().exchange(HttpRequest.PUT("/v2/customer_sessions/s-2",
                        "{\"customerSession\": {\"state\": \"paid\", \"cartItems\": [{\"sku\": \"\", \"quantity\": 0}]}}"),
                        JsonNode.class));

        // then
        assertThat(error.getStatus().getCode()).isEqualTo(400);
        JsonNode body = error.getResponse().getBody(JsonNode.class).orElseThrow();
        List<String> pointers = new ArrayList<>();
        body.get("errors").values().forEach(e -> pointers.add(e.get("source").get("pointer").getStringValue()));
        assertThat(pointers).contains("/customerSession/state", "/customerSession/cartItems/0/sku",
                "/customerSession/cartItems/0/quantity");
        assertThat(appended).isEmpty();
    }

    @Test
    void a_rejection_from_the_processor_maps_to_its_status_and_error_body() {
        // given
        outcome = command -> new CommandResult.Rejected(Rejection.of(Rejection.Reason.FORBIDDEN_TRANSITION,
                "the session is cancelled, and cancelled is final"));

        // when
        HttpClientResponseException error = catchThrowableOfType(HttpClientResponseException.class, () ->
                client.toBlocking().exchange(HttpRequest.PUT("/v2/customer_sessions/s-3", "{\"customerSession\": {}}"),
                        JsonNode.class));

        // then
        assertThat(error.getStatus().getCode()).isEqualTo(409);
        JsonNode body = error.getResponse().getBody(JsonNode.class).orElseThrow();
        assertThat(body.get("message").getStringValue()).contains("cancelled is final");
    }

    @Test
    void an_outcome_that_does_not_arrive_in_time_is_a_202_with_the_command_id() {
        // given
        outcome = command -> new CommandResult.Pending(command.commandId());

        // when
        HttpResponse<JsonNode> response = client.toBlocking().exchange(
                HttpRequest.PUT("/v2/customer_sessions/s-4", "{\"customerSession\": {}}"), JsonNode.class);

        // then
        assertThat(response.code()).isEqualTo(202);
        assertThat(response.body().get("commandId").getStringValue()).isEqualTo(appended.get(0).commandId());
    }

    @Test
    void a_log_that_does_not_take_the_command_is_a_503_with_retry_after() {
        // given: the producer failed, as the gateway reports it through its future
        appendFailure = new CompletionException(new CommandNotAppendedException(new IllegalStateException("broker down")));

        // when
        HttpClientResponseException error = catchThrowableOfType(HttpClientResponseException.class, () ->
                client.toBlocking().exchange(HttpRequest.PUT("/v2/customer_sessions/s-6", "{\"customerSession\": {}}"),
                        JsonNode.class));

        // then
        assertThat(error.getStatus().getCode()).isEqualTo(503);
        assertThat(error.getResponse().getHeaders().get("Retry-After")).isEqualTo("1");
        assertThat(error.getResponse().getBody(JsonNode.class).orElseThrow().get("message").getStringValue())
                .contains("not available");
    }

    @Test
    void if_match_is_passed_on_as_the_expected_update_count_and_garbage_is_a_400() {
        // given
        outcome = command -> new CommandResult.Pending(command.commandId());

        // when
        client.toBlocking().exchange(HttpRequest.PUT("/v2/customer_sessions/s-5", "{\"customerSession\": {}}")
                .header("If-Match", "\"3\""), JsonNode.class);
        HttpClientResponseException error = catchThrowableOfType(HttpClientResponseException.class, () ->
                client.toBlocking().exchange(HttpRequest.PUT("/v2/customer_sessions/s-5", "{\"customerSession\": {}}")
                        .header("If-Match", "soon"), JsonNode.class));

        // then
        assertThat(appended).hasSize(1);
        assertThat(appended.get(0).expectedUpdateCount()).isEqualTo(3);
        assertThat(error.getStatus().getCode()).isEqualTo(400);
    }
}
