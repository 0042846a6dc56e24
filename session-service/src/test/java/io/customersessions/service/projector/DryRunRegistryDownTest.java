package io.customersessions.service.projector;

import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionKey;
import io.customersessions.eventlog.config.LogSettings;
import io.micronaut.http.HttpResponse;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A dry run whose command cannot be written because the schema registry does not answer is unavailability (a 503
 * with Retry-After to the client, who may retry), and nothing is sent to the projector.
 */
class DryRunRegistryDownTest {

    @Test
    void a_dry_run_while_the_schema_registry_is_down_is_unavailability_and_reaches_no_projector() {
        // given: a registry at a port nobody listens on
        LogSettings.SchemaRegistry registry = new LogSettings.SchemaRegistry();
        registry.setUrl("http://127.0.0.1:1");
        AtomicInteger sent = new AtomicInteger();
        HttpProjectorClient client = new HttpProjectorClient(new ProjectorHttp() {
            @Override
            public CompletableFuture<HttpResponse<byte[]>> decide(byte[] command, String authorization) {
                sent.incrementAndGet();
                return CompletableFuture.completedFuture(HttpResponse.ok(new byte[0]));
            }

            @Override
            public CompletableFuture<HttpResponse<byte[]>> session(String id, String asOf, String asOfUpdateCount,
                                                                   String authorization) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletableFuture<HttpResponse<byte[]>> profileSessions(String profileId, String include,
                                                                           String authorization) {
                throw new UnsupportedOperationException();
            }
        }, null, new LogSettings(new LogSettings.Serde(), registry), Runnable::run);
        SessionCommand close = new SessionCommand.UpsertSession("cmd-1", new SessionKey(42, "s-1"),
                Instant.parse("2026-11-22T10:15:30Z"), null, Optional.empty(), SessionChanges.NONE);

        // when
        Throwable failure = catchThrowable(() -> client.decide(close, "ApiKey-v1 test-integration-key").join());

        // then
        assertThat(failure).cause().isInstanceOf(ProjectorUnavailableException.class)
                .hasMessageContaining("schema registry");
        assertThat(sent).hasValue(0);
    }
}
