package io.customersessions.projector.http;

import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionKey;
import io.customersessions.projector.query.StateStores;
import io.customersessions.projector.query.StoreUnavailableException;
import io.customersessions.projector.streams.TopologyFixture;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** While the stores start or rebalance every read answers 503 with Retry-After, in JSON, never a wrong answer. */
@MicronautTest(environments = StoresUnavailableTest.ENVIRONMENT)
class StoresUnavailableTest {

    static final String ENVIRONMENT = "stores-unavailable";

    @Inject
    TopologyFixture fixture;
    @Inject
    TestClient client;

    @Test
    void listing_getting_and_dry_runs_answer_503_while_the_stores_are_unavailable() throws IOException {
        // given
        byte[] command = avroCommand(fixture);

        // when
        TestClient.Reply list = client.get("/v1/applications/1/sessions", "ManagementKey-v1 management-key-app-1");
        TestClient.Reply get = client.get("/v2/customer_sessions/s-1", "ApiKey-v1 integration-key-app-1");
        TestClient.Reply dryRun = client.post("/internal/v1/decide", command,
                DryRunController.COMMAND_TYPE, "ApiKey-v1 integration-key-app-1");

        // then
        for (TestClient.Reply reply : new TestClient.Reply[]{list, get, dryRun}) {
            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.contentType()).startsWith("application/json");
            assertThat(reply.body()).contains("\"message\"");
        }
    }

    /** An upsert of session s-1 of application 1 as a dry run's body: plain Avro binary. */
    static byte[] avroCommand(TopologyFixture fixture) throws IOException {
        ByteArrayOutputStream command = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(command, null);
        new SpecificDatumWriter<>(io.customersessions.avro.SessionCommand.class)
                .write(fixture.upsert(new SessionKey(1, "s-1"), Optional.empty(), SessionChanges.NONE), encoder);
        encoder.flush();
        return command.toByteArray();
    }

    @Singleton
    @Requires(env = ENVIRONMENT)
    @Replaces(StateStores.class)
    static class UnavailableStores implements StateStores {
        @Override
        public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
            throw new StoreUnavailableException("the store '" + name + "' is not available yet");
        }
    }
}
