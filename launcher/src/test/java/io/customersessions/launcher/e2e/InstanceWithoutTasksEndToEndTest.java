package io.customersessions.launcher.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.customersessions.launcher.EmbeddedKafkaBroker;
import io.customersessions.launcher.EmbeddedSystem;
import io.customersessions.launcher.Ports;
import io.customersessions.launcher.ServiceOutput;
import io.customersessions.launcher.ServiceProcess;
import io.customersessions.launcher.registry.EmbeddedSchemaRegistry;
import io.customersessions.launcher.testing.SystemHttp;
import io.customersessions.launcher.testing.TestSystems;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import static io.customersessions.launcher.testing.SystemHttp.json;
import static io.customersessions.launcher.testing.TestSystems.INTEGRATION_KEY;
import static io.customersessions.launcher.testing.TestSystems.MANAGEMENT_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * More projector instances than tasks: with one partition per topic, the command processor's task and the history's
 * run on one or two of the two instances, so at least one instance has no active task of some store. Such an
 * instance's part of a gathered read is empty, not unavailable (Kafka Streams' composite store throws "may have
 * migrated" when it has no task at all): every listing, event listing, export and the profile lookup of an erasure
 * answers 200 with every row from either instance, as happens while a new instance only warms up its tasks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstanceWithoutTasksEndToEndTest {

    private static final int SESSIONS = 10;

    private final SystemHttp http = new SystemHttp();
    /** What runs, most recently started first: the stop order. */
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final List<ServiceProcess> projectors = new ArrayList<>();
    private ServiceProcess sessionService;

    @BeforeAll
    void startSystem() throws IOException {
        Path target = Path.of("target");
        Path data = Files.createTempDirectory(Files.createDirectories(target), "without-tasks-data");
        ServiceOutput logs = ServiceOutput.logFiles(target.resolve("e2e-logs"));
        Path home = Path.of(System.getProperty(EmbeddedSystem.HOME_PROPERTY, ".."));

        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(data.resolve("broker"), 0);
        running.push(broker);
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), "localhost", 0,
                EmbeddedSchemaRegistry.DEFAULT_TOPIC);
        running.push(registry);
        Map<String, String> shared = Map.of("kafka.bootstrap.servers", broker.bootstrapServers(),
                "customer-sessions.schema-registry.url", registry.url(),
                "customer-sessions.partitions", "1");
        for (String name : List.of("projector-a", "projector-b")) {
            Path state = data.resolve(name);
            projectors.add(launch(name, home, "projector", logs, port -> {
                Map<String, String> properties = new HashMap<>(shared);
                properties.put("kafka.streams.default.state.dir", state.toString());
                properties.put("customer-sessions.streams.application-server", "localhost:" + port);
                return properties;
            }));
        }
        for (ServiceProcess projector : projectors) {
            projector.awaitHealthy();
        }
        Map<String, String> sessionServiceProperties = new HashMap<>(shared);
        sessionServiceProperties.put("customer-sessions.projector.url", projectors.get(0).url());
        sessionService = launch("session-service", home, "session-service", logs, port -> sessionServiceProperties);
        sessionService.awaitHealthy();
    }

    @AfterAll
    void stopSystem() {
        TestSystems.stopAll(running);
    }

    @Test
    void either_instance_answers_every_gathered_read_in_full() {
        // given: sessions of two profiles, with different totals
        for (int i = 0; i < SESSIONS; i++) {
            HttpResponse<String> written = http.put(sessionService.url() + "/v2/customer_sessions/" + id(i), """
                    {"customerSession": {"profileId": "shopper-%d", "attributes": {"note": "n-%d"},
                      "cartItems": [{"sku": "sku-%d", "quantity": 1, "price": %d.5}]}}""".formatted(i % 2, i, i, i));
            assertThat(written.statusCode()).as(written.body()).isIn(200, 202);
        }

        // when / then: each instance answers each read in full, whichever instance's tasks hold the rows
        for (ServiceProcess projector : projectors) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                assertThat(rows(projector, "/v1/applications/1/sessions?pageSize=1000")).hasSize(SESSIONS);
                assertThat(integrationIds(rows(projector, "/v1/applications/1/sessions?pageSize=1000&sort=-total")))
                        .containsExactlyElementsOf(descendingIds(0));
                assertThat(integrationIds(rows(projector, "/v1/applications/1/sessions?pageSize=3&skip=4&sort=-total")))
                        .containsExactlyElementsOf(descendingIds(0).subList(4, 7));
                assertThat(rows(projector, "/v1/applications/1/events/no_total?pageSize=1000")).hasSize(SESSIONS);
                assertThat(lines(projector, "/v1/applications/1/export/sessions")).hasSize(SESSIONS);
                assertThat(lines(projector, "/v1/applications/1/export/events")).hasSize(SESSIONS);
            });
        }

        // and the erasure of a profile finds its sessions through the projector the session-service asks
        HttpResponse<String> erased = http.send(HttpRequest.newBuilder(
                URI.create(sessionService.url() + "/v1/customer_data/shopper-0")).DELETE(), INTEGRATION_KEY);
        assertThat(erased.statusCode()).as(erased.body()).isEqualTo(204);
        for (int i = 0; i < SESSIONS; i += 2) {
            JsonNode session = json(http.get(sessionService.url() + "/v2/customer_sessions/" + id(i), INTEGRATION_KEY))
                    .path("customerSession");
            assertThat(session.path("profileId").asText()).as(id(i)).isEmpty();
            assertThat(session.path("attributes").size()).as(id(i)).isZero();
        }
    }

    private static String id(int i) {
        return "lone-" + i;
    }

    /** The ids by descending total (total {@code i}.5), from session {@code from} on. */
    private static List<String> descendingIds(int from) {
        List<String> ids = new ArrayList<>();
        for (int i = SESSIONS - 1; i >= from; i--) {
            ids.add(id(i));
        }
        return ids;
    }

    private List<JsonNode> rows(ServiceProcess projector, String path) {
        HttpResponse<String> reply = http.get(projector.url() + path, MANAGEMENT_KEY);
        assertThat(reply.statusCode()).as("%s %s: %s", projector.url(), path, reply.body()).isEqualTo(200);
        List<JsonNode> rows = new ArrayList<>();
        json(reply).path("data").forEach(rows::add);
        return rows;
    }

    private List<String> lines(ServiceProcess projector, String path) {
        HttpResponse<String> reply = http.get(projector.url() + path, MANAGEMENT_KEY);
        assertThat(reply.statusCode()).as("%s %s: %s", projector.url(), path, reply.body()).isEqualTo(200);
        return reply.body().lines().filter(line -> !line.isBlank()).toList();
    }

    private static List<String> integrationIds(List<JsonNode> rows) {
        return rows.stream().map(row -> row.path("integrationId").asText()).toList();
    }

    private ServiceProcess launch(String name, Path home, String module, ServiceOutput logs,
                                  IntFunction<Map<String, String>> properties) {
        int port = Ports.free();
        return TestSystems.launchJar(name, home, module, logs, port, properties.apply(port), running);
    }
}
