package io.customersessions.service.http;

import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionKey;
import io.customersessions.service.commands.CommandGateway;
import io.customersessions.service.projector.ProjectorClient;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.annotation.MockBean;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code +} in a path is a plus (RFC 3986), not a space as in a form, nor a path no route matches:
 * {@code gift+wrap} and {@code gift%2Bwrap} are one session, {@code gift%20wrap} another, and a profile id with a
 * plus (an e-mail address) can be erased. The same for {@code &} and {@code ;}. The requests go out byte for byte as
 * written here.
 */
@MicronautTest
class PlusInPathTest {

    private static final String KEY_42 = CustomerSessionControllerTest.KEY_42;

    private final FakeProcessor processor = new FakeProcessor();
    private final HttpClient http = HttpClient.newHttpClient();

    @Inject
    EmbeddedServer server;

    @MockBean(CommandGateway.class)
    CommandGateway gateway() {
        return processor.gateway();
    }

    @MockBean(ProjectorClient.class)
    ProjectorClient projector() {
        return processor.projector();
    }

    private HttpResponse<String> send(String method, String rawPath, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.getURL() + rawPath))
                .header("Authorization", KEY_42).header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void a_plus_in_a_session_id_is_a_plus() throws Exception {
        // when
        HttpResponse<String> plus = send("PUT", "/v2/customer_sessions/gift+wrap", "{\"customerSession\": {}}");
        HttpResponse<String> escapedPlus = send("PUT", "/v2/customer_sessions/gift%2Bwrap",
                "{\"customerSession\": {}}");
        HttpResponse<String> space = send("PUT", "/v2/customer_sessions/gift%20wrap", "{\"customerSession\": {}}");

        // then
        assertThat(plus.statusCode()).as(plus.body()).isEqualTo(200);
        assertThat(plus.body()).contains("\"integrationId\":\"gift+wrap\"", "\"updateCount\":1");
        assertThat(escapedPlus.body()).contains("\"integrationId\":\"gift+wrap\"", "\"updateCount\":2");
        assertThat(space.body()).contains("\"integrationId\":\"gift wrap\"", "\"updateCount\":1");
        assertThat(processor.appended).extracting(SessionCommand::key).containsExactly(
                new SessionKey(42, "gift+wrap"), new SessionKey(42, "gift+wrap"), new SessionKey(42, "gift wrap"));
    }

    @Test
    void an_ampersand_or_a_semicolon_in_a_session_id_is_itself() throws Exception {
        // when
        HttpResponse<String> ampersand = send("PUT", "/v2/customer_sessions/bread&butter", "{\"customerSession\": {}}");
        HttpResponse<String> semicolon = send("PUT", "/v2/customer_sessions/a;b", "{\"customerSession\": {}}");

        // then
        assertThat(ampersand.statusCode()).as(ampersand.body()).isEqualTo(200);
        assertThat(ampersand.body()).contains("\"integrationId\":\"bread&butter\"");
        assertThat(semicolon.statusCode()).as(semicolon.body()).isEqualTo(200);
        assertThat(semicolon.body()).contains("\"integrationId\":\"a;b\"");
    }

    @Test
    void a_profile_id_with_a_plus_is_erased() throws Exception {
        // given
        send("PUT", "/v2/customer_sessions/s-1", "{\"customerSession\": {\"profileId\": \"john+doe@shop.com\"}}");
        processor.appended.clear();

        // when
        HttpResponse<String> erased = send("DELETE", "/v1/customer_data/john+doe@shop.com", null);

        // then
        assertThat(erased.statusCode()).as(erased.body()).isEqualTo(204);
        assertThat(processor.appended).singleElement().satisfies(command -> {
            assertThat(command).isInstanceOf(SessionCommand.RedactPersonalData.class);
            assertThat(command.key()).isEqualTo(new SessionKey(42, "s-1"));
        });
    }

    @Test
    void a_plus_in_the_query_is_still_a_space_as_forms_write_it() throws IOException, InterruptedException {
        // when: "+01:00" in a query reads as " 01:00", which is no offset
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(server.getURL()
                        + "/v2/customer_sessions/s-2?dry=true&now=2030-01-02T03:04:05+01:00"))
                .header("Authorization", KEY_42).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"customerSession\": {}}")).build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(400);
    }
}
