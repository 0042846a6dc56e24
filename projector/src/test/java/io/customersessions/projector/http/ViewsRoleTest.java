package io.customersessions.projector.http;

import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A projector in the views role serves reads but refuses dry runs, which need the processor's decision stores. */
@MicronautTest
@Property(name = "customer-sessions.projector.role", value = "views")
class ViewsRoleTest {

    private static final String KEY_APP_1 = "ApiKey-v1 integration-key-app-1";

    @Inject
    TestClient client;

    @Test
    void a_dry_run_on_a_views_generation_is_503_naming_the_processor_role() {
        // when
        TestClient.Reply reply = client.post("/internal/v1/decide", new byte[] {1, 2, 3},
                DryRunController.COMMAND_TYPE, KEY_APP_1);

        // then
        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.body()).contains("read-only views").contains("processor role");
    }

    @Test
    void a_dry_run_without_a_key_is_still_401_on_a_views_generation() {
        // when
        TestClient.Reply reply = client.post("/internal/v1/decide", new byte[] {1, 2, 3},
                DryRunController.COMMAND_TYPE, null);

        // then
        assertThat(reply.status()).isEqualTo(401);
    }

    @Test
    void reads_are_served_on_a_views_generation() {
        // when
        TestClient.Reply reply = client.get("/v2/customer_sessions/unknown", KEY_APP_1);

        // then: answered from the stores (an unknown session), not refused
        assertThat(reply.status()).isEqualTo(404);
    }
}
