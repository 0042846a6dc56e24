package io.customersessions.service.http;

import io.customersessions.api.auth.KeyHashes;
import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionKey;
import io.customersessions.service.commands.CommandGateway;
import io.customersessions.service.commands.CommandResult;
import io.customersessions.service.projector.ProjectorClient;
import io.customersessions.service.projector.ProjectorUnavailableException;
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

import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@code DELETE /v1/customer_data/{integrationId}}: one redaction per session of the profile, through the same
 * gateway as every command. Keys as in {@link CustomerSessionControllerTest}.
 */
@MicronautTest
class CustomerDataControllerTest {

    private static final String KEY_42 = CustomerSessionControllerTest.KEY_42;
    private static final String REQUESTED_BY = "integration-api-key:"
            + KeyHashes.sha256Hex("test-integration-key").substring(0, 12);

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

    private void given(String sessionId, String profileId) {
        call(HttpRequest.PUT("/v2/customer_sessions/" + sessionId, "{\"customerSession\": {\"profileId\": \""
                + profileId + "\", \"identifiers\": [\"alice@example.com\"], \"attributes\": {\"city\": \"Berlin\"}}}"));
        processor.appended.clear();
        processor.events.clear();
    }

    @Test
    void every_session_of_the_profile_is_redacted_and_the_answer_is_204() {
        // given
        given("s-1", "alice");
        given("s-2", "alice");
        given("s-3", "bob");

        // when
        HttpResponse<JsonNode> response = call(HttpRequest.DELETE("/v1/customer_data/alice"));

        // then
        assertThat(response.code()).isEqualTo(204);
        assertThat(processor.appended).hasSize(2).allSatisfy(command -> {
            assertThat(command).isInstanceOf(SessionCommand.RedactPersonalData.class);
            assertThat(((SessionCommand.RedactPersonalData) command).requestedBy()).isEqualTo(REQUESTED_BY);
            assertThat(((SessionCommand.RedactPersonalData) command).erasedProfileId())
                    .as("the profile whose first-session claim the session gives up").isEqualTo("alice");
            assertThat(command.commandId()).isNotBlank();
            assertThat(command.time()).isNotNull();
        });
        assertThat(processor.appended).extracting(SessionCommand::key)
                .containsExactly(new SessionKey(42, "s-1"), new SessionKey(42, "s-2"));
        assertThat(processor.sessions.get(new SessionKey(42, "s-1")).attributes()).isEmpty();
        assertThat(processor.sessions.get(new SessionKey(42, "s-3")).profileId()).isEqualTo("bob");
        assertThat(processor.forwardedAuthorizations).contains(KEY_42);
    }

    @Test
    void the_audit_trail_names_the_key_by_its_hash_prefix_never_the_key() {
        // given
        given("s-1", "alice");

        // when
        call(HttpRequest.DELETE("/v1/customer_data/alice"));

        // then
        String requestedBy = ((SessionCommand.RedactPersonalData) processor.appended.get(0)).requestedBy();
        assertThat(requestedBy).matches("integration-api-key:[0-9a-f]{12}").doesNotContain("test-integration-key");
    }

    @Test
    void a_request_for_a_dry_run_or_naming_a_version_is_a_400_and_deletes_nothing() {
        // given
        given("s-1", "alice");

        // when
        HttpClientResponseException dryRun = catchThrowableOfType(HttpClientResponseException.class,
                () -> call(HttpRequest.DELETE("/v1/customer_data/alice?dry=true")));
        HttpClientResponseException versioned = catchThrowableOfType(HttpClientResponseException.class,
                () -> call(HttpRequest.DELETE("/v1/customer_data/alice").header("If-Match", "1")));

        // then
        assertThat(dryRun.getStatus().getCode()).isEqualTo(400);
        assertThat(dryRun.getResponse().getBody(String.class).orElseThrow()).contains("\"parameter\":\"dry\"");
        assertThat(versioned.getStatus().getCode()).isEqualTo(400);
        assertThat(processor.appended).isEmpty();
    }

    @Test
    void a_profile_without_sessions_is_a_204_and_appends_nothing() {
        // when
        HttpResponse<JsonNode> response = call(HttpRequest.DELETE("/v1/customer_data/nobody"));

        // then
        assertThat(response.code()).isEqualTo(204);
        assertThat(processor.appended).isEmpty();
    }

    @Test
    void a_redaction_whose_outcome_does_not_arrive_in_time_is_a_202_with_its_command_id() {
        // given
        given("s-1", "alice");
        processor.outcome = command -> new CommandResult.Pending(command.commandId());

        // when
        HttpResponse<JsonNode> response = call(HttpRequest.DELETE("/v1/customer_data/alice"));

        // then
        assertThat(response.code()).isEqualTo(202);
        assertThat(response.body().get("commandId").getStringValue()).isEqualTo(processor.appended.get(0).commandId());
    }

    @Test
    void with_outcomes_pending_the_redactions_stop_after_the_first_hundred_and_the_202_says_to_repeat() {
        // given a profile with more sessions than one hundred, and a processor too slow to answer
        for (int i = 0; i <= CustomerDataController.REDACTIONS_AT_ONCE; i++) {
            given("s-" + i, "alice");
        }
        processor.outcome = command -> new CommandResult.Pending(command.commandId());

        // when
        HttpResponse<JsonNode> response = call(HttpRequest.DELETE("/v1/customer_data/alice"));

        // then
        assertThat(response.code()).isEqualTo(202);
        assertThat(response.body().get("message").getStringValue()).contains("not complete")
                .contains("repeat the DELETE");
        assertThat(processor.appended).hasSize(CustomerDataController.REDACTIONS_AT_ONCE);
    }

    @Test
    void without_the_projector_it_is_a_503_and_nothing_is_appended() {
        // given
        given("s-1", "alice");
        processor.failure = new CompletionException(new ProjectorUnavailableException("no connection", null));

        // when
        HttpClientResponseException error = catchThrowableOfType(HttpClientResponseException.class,
                () -> call(HttpRequest.DELETE("/v1/customer_data/alice")));

        // then
        assertThat(error.getStatus().getCode()).isEqualTo(503);
        assertThat(error.getResponse().getHeaders().get("Retry-After")).isEqualTo("1");
        assertThat(processor.appended).isEmpty();
    }

    @Test
    void without_an_integration_key_it_is_a_401_and_nothing_is_appended() {
        // given
        given("s-1", "alice");

        // when
        HttpClientResponseException error = catchThrowableOfType(HttpClientResponseException.class,
                () -> call(HttpRequest.DELETE("/v1/customer_data/alice")
                        .header("Authorization", "ManagementKey-v1 dev-management-key-0001")));

        // then
        assertThat(error.getStatus().getCode()).isEqualTo(401);
        assertThat(processor.appended).isEmpty();
    }
}
