package io.customersessions.service.http;

import io.customersessions.service.GracefulServer;
import io.customersessions.service.commands.CommandGateway;
import io.customersessions.service.commands.CommandResult;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stop (a deploy's SIGTERM) while a PUT waits for its outcome: the command is in the log, so the client must get
 * its answer, not a connection reset that it might retry without a key.
 */
class GracefulStopTest {

    @Test
    void a_stop_refuses_new_connections_and_lets_a_put_waiting_for_its_outcome_be_answered() throws Exception {
        // given a PUT whose command was submitted and whose outcome has not come yet
        CompletableFuture<CommandResult> outcome = new CompletableFuture<>();
        CountDownLatch submitted = new CountDownLatch(1);
        CommandGateway gateway = command -> {
            submitted.countDown();
            return outcome;
        };
        ApplicationContext context = ApplicationContext.builder().environments(Environment.TEST)
                .properties(Map.of(GracefulServer.GRACE_PERIOD, "30s"))
                .singletons(gateway).build();
        GracefulServer running = GracefulServer.start(context);
        URI base = running.server().getURI();
        CompletableFuture<HttpResponse<String>> put = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(base.resolve("/v2/customer_sessions/s-1"))
                        .header("Authorization", CustomerSessionControllerTest.DEV_KEY)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"customerSession\": {}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(submitted.await(10, TimeUnit.SECONDS)).isTrue();

        // when the service is stopped, and the outcome comes once it refuses new connections
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(running::stop);
        await().atMost(Duration.ofSeconds(10)).until(() -> refusesConnections(base));
        assertThat(put).isNotDone();
        outcome.complete(new CommandResult.Pending("cmd-1"));

        // then the PUT gets its answer, and the stop completes
        assertThat(put.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
        stopping.get(10, TimeUnit.SECONDS);
        assertThat(context.isRunning()).isFalse();
    }

    private static boolean refusesConnections(URI base) throws IOException {
        try (Socket ignored = new Socket(base.getHost(), base.getPort())) {
            return false;
        } catch (ConnectException refused) {
            return true;
        }
    }
}
