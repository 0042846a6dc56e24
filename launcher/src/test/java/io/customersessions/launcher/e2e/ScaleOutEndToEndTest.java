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
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import static io.customersessions.launcher.testing.SystemHttp.json;
import static io.customersessions.launcher.testing.TestSystems.INTEGRATION_KEY;
import static io.customersessions.launcher.testing.TestSystems.MANAGEMENT_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two projector instances in one Kafka Streams group (same application id, their own ports and state directories)
 * and one session-service: every session can be read from either instance (the one that does not own it forwards
 * the read), a listing from either instance spans all partitions, and when one instance stops the other takes its
 * partitions over and serves everything, answering 503 (never a wrong 404) while it does. Each instance holds the
 * data keys of the partitions it reads only, and lets go of those it hands back when the other one returns.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScaleOutEndToEndTest {

    private static final int SESSIONS = 1000;
    private static final int CONNECTIONS = 8;

    private final SystemHttp http = new SystemHttp();
    /** What runs, most recently started first: the stop order. */
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private ServiceProcess projectorA;
    private ServiceProcess projectorB;
    private ServiceProcess sessionService;
    private Path home;
    private ServiceOutput logs;
    private Map<String, String> shared;
    private Path stateB;

    @BeforeAll
    void startSystem() throws IOException {
        Path target = Path.of("target");
        Path data = Files.createTempDirectory(Files.createDirectories(target), "scale-out-data");
        logs = ServiceOutput.logFiles(target.resolve("e2e-logs"));
        home = Path.of(System.getProperty(EmbeddedSystem.HOME_PROPERTY, ".."));

        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(data.resolve("broker"), 0);
        running.push(broker);
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), "localhost", 0,
                EmbeddedSchemaRegistry.DEFAULT_TOPIC);
        running.push(registry);
        shared = Map.of("kafka.bootstrap.servers", broker.bootstrapServers(),
                "customer-sessions.schema-registry.url", registry.url());

        // Both at once (either may create the topics; the other finds them), then the session-service.
        projectorA = launch("projector-a", home, "projector", logs, projector(shared, data.resolve("state-a")));
        stateB = data.resolve("state-b");
        projectorB = launch("projector-b", home, "projector", logs, projector(shared, stateB));
        projectorA.awaitHealthy();
        projectorB.awaitHealthy();
        Map<String, String> sessionServiceProperties = new HashMap<>(shared);
        sessionServiceProperties.put("customer-sessions.projector.url", projectorA.url());
        sessionService = launch("session-service", home, "session-service", logs, port -> sessionServiceProperties);
        sessionService.awaitHealthy();
        // A listing answers 200 only once every instance of the group runs and answers its part.
        for (ServiceProcess projector : List.of(projectorA, projectorB)) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                    get(projector, "/v1/applications/1/sessions?pageSize=1", MANAGEMENT_KEY).statusCode() == 200);
        }
    }

    @AfterAll
    void stopSystem() {
        TestSystems.stopAll(running);
    }

    @Test
    void every_session_is_read_from_either_instance_and_from_the_survivor_when_one_stops_and_comes_back()
            throws Exception {
        // given: 1 000 sessions written through the session-service, over a few connections (202: accepted, the
        // processor decides it a moment later; the reads below wait for it)
        List<Integer> written = parallel(i -> put(i).statusCode());
        assertThat(written).allMatch(status -> status == 200 || status == 202);

        // when / then: each instance answers every session, forwarding what the other owns
        for (ServiceProcess projector : List.of(projectorA, projectorB)) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(unreadable(projector)).isEmpty());
            JsonNode listing = json(get(projector, "/v1/applications/1/sessions?pageSize=1000", MANAGEMENT_KEY));
            assertThat(listing.get("data")).hasSize(SESSIONS);
            assertThat(listing.get("hasMore").asBoolean()).isFalse();
            JsonNode last = json(get(projector, "/v1/applications/1/sessions?pageSize=10&skip=995", MANAGEMENT_KEY));
            assertThat(last.get("data")).hasSize(5);
            // an exact integrationId, whichever instance owns it (the other one lists nothing for it)
            for (int i : List.of(0, 1, 2, 3)) {
                JsonNode exact = json(get(projector, "/v1/applications/1/sessions?integrationId=" + id(i),
                        MANAGEMENT_KEY));
                assertThat(integrationIds(exact)).as(id(i)).containsExactly(id(i));
            }
            // a deeper page (gathered in two rounds: keys, then each instance's rows of the page) is the same slice
            for (String sort : List.of("created", "-integrationId")) {
                JsonNode all = json(get(projector, "/v1/applications/1/sessions?pageSize=1000&sort=" + sort,
                        MANAGEMENT_KEY));
                JsonNode middle = json(get(projector, "/v1/applications/1/sessions?pageSize=25&skip=480&sort=" + sort,
                        MANAGEMENT_KEY));
                assertThat(integrationIds(middle)).as(sort).isEqualTo(integrationIds(all).subList(480, 505));
                assertThat(middle.get("hasMore").asBoolean()).isTrue();
            }
        }

        // and each instance holds the data keys of its own partitions' sessions only, every key on one of them
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(dataKeysHeld(projectorA) + dataKeysHeld(projectorB)).isEqualTo(SESSIONS));
        assertThat(List.of(dataKeysHeld(projectorA), dataKeysHeld(projectorB)))
                .allSatisfy(held -> assertThat(held).isBetween(1L, SESSIONS - 1L));

        // when: one instance stops
        projectorB.stop();

        // then: the survivor serves every session, with 503s (never a 404) while it takes the partitions over
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        List<String> wrongAnswers = Collections.synchronizedList(new ArrayList<>());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            List<Integer> statuses = parallel(i -> {
                HttpResponse<String> reply = get(projectorA, "/v2/customer_sessions/" + id(i), INTEGRATION_KEY);
                if (reply.statusCode() != 200 && reply.statusCode() != 503) {
                    wrongAnswers.add(Instant.now() + " " + id(i) + ": " + reply.statusCode() + " " + reply.body());
                }
                return reply.statusCode();
            });
            seen.addAll(statuses);
            assertThat(statuses).containsOnly(200);
        });
        assertThat(seen).as("statuses seen; wrong answers: %s", wrongAnswers).isSubsetOf(200, 503);
        assertThat(unreadable(projectorA)).isEmpty();

        // when: every session gets personal data (an attribute) while the survivor reads every partition, so it comes
        // to hold every key
        List<Integer> updated = parallel(i -> http.put(sessionService.url() + "/v2/customer_sessions/" + id(i),
                "{\"customerSession\": {\"attributes\": {\"note\": \"round 2\"}}}").statusCode());
        assertThat(updated).allMatch(status -> status == 200 || status == 202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(dataKeysHeld(projectorA)).isEqualTo(SESSIONS));
        // and the stopped instance comes back (same address and state), taking its partitions back
        ServiceProcess returned = launch("projector-b-again", home, "projector", logs, projectorB.port(),
                projector(shared, stateB));
        returned.awaitHealthy();

        // then: the survivor lets go of the keys of the partitions it handed back
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(dataKeysHeld(projectorA)).isBetween(1L, SESSIONS - 1L));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(unreadable(returned)).isEmpty());
    }

    /** The sessions this projector does not answer with their own content (empty when it answers all of them). */
    private List<String> unreadable(ServiceProcess projector) throws Exception {
        List<String> failures = parallel(i -> {
            HttpResponse<String> reply = get(projector, "/v2/customer_sessions/" + id(i), INTEGRATION_KEY);
            if (reply.statusCode() != 200) {
                return id(i) + ": " + reply.statusCode();
            }
            JsonNode session = json(reply).path("customerSession");
            boolean right = session.path("integrationId").asText().equals(id(i))
                    && session.path("profileId").asText().equals("customer-" + i)
                    && session.path("cartItems").path(0).path("sku").asText().equals("sku-" + i);
            return right ? null : id(i) + ": " + reply.body();
        });
        return failures.stream().filter(failure -> failure != null).limit(5).toList();
    }

    private static List<String> integrationIds(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("data").forEach(row -> ids.add(row.get("integrationId").asText()));
        return ids;
    }

    /** The instance's {@code customersessions_datakeys_held}, from its Prometheus page. */
    private long dataKeysHeld(ServiceProcess projector) {
        String metrics = http.get(projector.url() + "/prometheus", null).body();
        return metrics.lines().filter(line -> line.startsWith("customersessions_datakeys_held "))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1)))
                .findFirst().orElse(-1);
    }

    private static String id(int i) {
        return "scale-" + i;
    }

    private HttpResponse<String> put(int i) {
        return http.put(sessionService.url() + "/v2/customer_sessions/" + id(i), """
                {"customerSession": {"profileId": "customer-%d", "state": "open",
                  "cartItems": [{"sku": "sku-%d", "quantity": 1, "price": 1.5}]}}""".formatted(i, i));
    }

    private HttpResponse<String> get(ServiceProcess service, String path, String key) {
        return http.get(service.url() + path, key);
    }

    /** {@code call} for every session, {@value #CONNECTIONS} at a time; the results in session order. */
    private static <T> List<T> parallel(IntFunction<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            List<Future<T>> futures = IntStream.range(0, SESSIONS)
                    .mapToObj(i -> pool.submit(() -> call.apply(i))).toList();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static IntFunction<Map<String, String>> projector(Map<String, String> shared, Path stateDir) {
        return port -> {
            Map<String, String> properties = new HashMap<>(shared);
            properties.put("kafka.streams.default.state.dir", stateDir.toString());
            properties.put("customer-sessions.streams.application-server", "localhost:" + port);
            return properties;
        };
    }

    private ServiceProcess launch(String name, Path home, String module, ServiceOutput logs,
                                  IntFunction<Map<String, String>> properties) throws IOException {
        return launch(name, home, module, logs, Ports.free(), properties);
    }

    private ServiceProcess launch(String name, Path home, String module, ServiceOutput logs, int port,
                                  IntFunction<Map<String, String>> properties) {
        return TestSystems.launchJar(name, home, module, logs, port, properties.apply(port), running);
    }

}
