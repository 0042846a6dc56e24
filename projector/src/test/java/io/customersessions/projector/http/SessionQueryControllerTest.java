package io.customersessions.projector.http;

import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionKey;
import io.customersessions.projector.streams.TopologyFixture;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /v2/customer_sessions/{id}} answers for the application of the caller's Integration API key. */
@MicronautTest
class SessionQueryControllerTest {

    @Inject
    TopologyFixture fixture;
    @Inject
    TestClient client;

    @BeforeEach
    void sessions() {
        fixture.reset();
        fixture.send(fixture.upsert(new SessionKey(1, "s-1"), Optional.empty(),
                SessionChanges.NONE.withProfileId("customer-1")));
    }

    @Test
    void the_session_of_the_keys_application_is_returned() {
        // when
        TestClient.Reply reply = client.get("/v2/customer_sessions/s-1", "ApiKey-v1 integration-key-app-1");

        // then
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).contains("\"integrationId\":\"s-1\"", "\"profileId\":\"customer-1\"",
                "\"effects\":[]");
    }

    @Test
    void a_plus_in_the_path_is_a_plus() {
        // given
        fixture.send(fixture.upsert(new SessionKey(1, "gift+wrap"), Optional.empty(),
                SessionChanges.NONE.withProfileId("john+doe@shop.com")));

        // when
        TestClient.Reply session = client.get("/v2/customer_sessions/gift+wrap", "ApiKey-v1 integration-key-app-1");
        TestClient.Reply ofProfile = client.get("/internal/v1/profiles/john+doe@shop.com/sessions",
                "ApiKey-v1 integration-key-app-1");

        // then
        assertThat(session.status()).as(session.body()).isEqualTo(200);
        assertThat(session.body()).contains("\"integrationId\":\"gift+wrap\"");
        assertThat(ofProfile.status()).as(ofProfile.body()).isEqualTo(200);
        assertThat(ofProfile.body()).contains("gift+wrap");
    }

    @Test
    void another_applications_session_is_not_found() {
        // when
        TestClient.Reply reply = client.get("/v2/customer_sessions/s-1", "ApiKey-v1 integration-key-app-2");

        // then
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.body()).doesNotContain("customer-1");
    }

    @Test
    void without_an_integration_key_the_answer_is_401() {
        assertThat(client.get("/v2/customer_sessions/s-1", null).status()).isEqualTo(401);
        assertThat(client.get("/v2/customer_sessions/s-1", "ManagementKey-v1 management-key-app-1").status())
                .isEqualTo(401);
    }
}
