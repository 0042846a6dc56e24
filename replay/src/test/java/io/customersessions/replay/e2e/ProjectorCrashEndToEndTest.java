package io.customersessions.replay.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.customersessions.avro.SessionEvent;
import io.customersessions.eventlog.Topics;
import io.customersessions.launcher.EmbeddedSystem;
import io.customersessions.launcher.Ports;
import io.customersessions.launcher.ServiceOutput;
import io.customersessions.launcher.ServiceProcess;
import io.customersessions.launcher.testing.SystemHttp;
import io.customersessions.launcher.testing.TestSystems;
import io.customersessions.launcher.testing.TopicReader;
import io.customersessions.replay.Replay;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static io.customersessions.launcher.testing.SystemHttp.JSON;
import static io.customersessions.launcher.testing.SystemHttp.json;
import static io.customersessions.launcher.testing.TestSystems.INTEGRATION_KEY;
import static io.customersessions.launcher.testing.TestSystems.MANAGEMENT_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exactly once across a crash, and a rebuild of the projection beside the running one. The whole system runs as a
 * user runs it (real KRaft broker, registry, both services as child JVMs); checkouts are driven over HTTP from
 * background threads, and the projector is killed with SIGKILL while commands are in flight, then restarted on the
 * same state directory. Once it has processed every command, the replay finds no difference, every command has at
 * most one event and every session has exactly the events its checkout's accepted commands give. A views generation
 * started afterwards from the event log serves the very same sessions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProjectorCrashEndToEndTest {

    private static final int SESSIONS = 48;
    private static final int CLIENTS = 8;
    private static final Topics TOPICS = Topics.defaults();

    private final SystemHttp http = new SystemHttp();
    private final AtomicInteger answered = new AtomicInteger();
    /** Answers given while the projector was down: 202, the command is in the log and decided later. */
    private final AtomicInteger acceptedForLater = new AtomicInteger();
    private final Map<Integer, String> statuses = new ConcurrentHashMap<>();
    @AutoClose
    private EmbeddedSystem system;
    private Path target;

    @BeforeAll
    void runCheckoutsThroughACrashOfTheProjector() throws Exception {
        target = Files.createDirectories(Path.of("target"));
        system = TestSystems.builder("crash-e2e")
                // A killed member never leaves its group. The restart, on the same port, takes its place as the same
                // static member at once; with static membership off, this short timeout would let it in soon.
                .projectorProperties(Map.of("kafka.streams.default.session.timeout.ms", "6000",
                        "kafka.streams.default.heartbeat.interval.ms", "1500"))
                .sessionServiceProperties(Map.of("customer-sessions.outcome-timeout", "2s"))
                // Under exactly-once a killed projector leaves no checkpoint: the restart wipes and restores every
                // store (18 tasks). A few seconds on a quiet host; on a busy CI host it once took over 90 s.
                .readinessTimeout(Duration.ofSeconds(300))
                .start();

        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> checkouts = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                int session = i;
                checkouts.add(clients.submit(() -> {
                    checkout(session);
                    return null;
                }));
            }
            // when: a crash in the middle of the traffic
            await().atMost(Duration.ofSeconds(120)).until(() -> answered.get() >= SESSIONS);
            system.killProjector();
            await().atMost(Duration.ofSeconds(120)).until(() -> acceptedForLater.get() >= CLIENTS);
            system.startProjector();
            for (Future<?> checkout : checkouts) {
                checkout.get();
            }
        } finally {
            clients.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500))
                .until(() -> generation(system.projectorUrl()).path("lag").asLong(-1) == 0);
    }

    @Test
    void commands_in_flight_during_the_crash_were_answered_later_and_nothing_else_failed() {
        assertThat(acceptedForLater.get()).as("202s while the projector was down").isGreaterThanOrEqualTo(CLIENTS);
        assertThat(statuses).as("unexpected answers").isEmpty();
    }

    @Test
    void after_the_crash_a_replay_of_the_log_finds_no_difference() {
        // when
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Replay.run(new String[] {"--bootstrap-servers", system.bootstrapServers(),
                        "--schema-registry-url", system.schemaRegistryUrl(), "--quiet"}, Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        // then
        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(report).isZero();
        assertThat(report).contains("sessions checked: " + SESSIONS + "\n").contains("differences:      0\n");
    }

    @Test
    void every_command_was_applied_exactly_once_across_the_crash() {
        // when
        List<ConsumerRecord<String, Object>> log = readAll(TOPICS.events());

        // then: no command has two events, and each session has the events of its accepted commands, no fewer
        Map<String, Long> eventsPerCommand = log.stream().collect(Collectors.groupingBy(
                record -> ((SessionEvent) record.value()).getCommandId(), Collectors.counting()));
        assertThat(eventsPerCommand).allSatisfy((commandId, events) -> assertThat(events).as(commandId).isOne());
        Map<String, Long> eventsPerSession = log.stream()
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        Map<String, Long> expected = new HashMap<>();
        for (int i = 0; i < SESSIONS; i++) {
            expected.put("1:" + id(i), (long) acceptedCommands(i));
        }
        assertThat(eventsPerSession).isEqualTo(expected);
    }

    @Test
    void a_views_generation_started_on_the_log_is_ready_once_caught_up_and_serves_the_same_sessions() throws Exception {
        // given
        int port = Ports.free();
        Path jar = Path.of(System.getProperty(EmbeddedSystem.HOME_PROPERTY, ".."), "projector", "target",
                "projector.jar");
        Map<String, String> properties = Map.of(
                "kafka.bootstrap.servers", system.bootstrapServers(),
                "customer-sessions.schema-registry.url", system.schemaRegistryUrl(),
                "kafka.streams.default.state.dir", Files.createTempDirectory(target, "views-state").toString(),
                "customer-sessions.streams.application-server", "localhost:" + port,
                "customer-sessions.projector.role", "views",
                "customer-sessions.projector.views-application-id", "customer-sessions-views-e2e");

        // when
        try (ServiceProcess views = ServiceProcess.start(ServiceProcess.Spec.of("projector-views",
                        new ServiceProcess.Launch.Jar(jar), port)
                .withProperties(properties)
                .withOutput(ServiceOutput.logFiles(target.resolve("crash-e2e-logs"))))) {
            // a load balancer polling readiness sends it nothing until it has folded the log it was started on
            await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500))
                    .until(() -> get(views.url(), "/health/readiness", null).statusCode() == 200);

            // then
            JsonNode readiness = json(get(views.url(), "/health/readiness", null));
            assertThat(readiness.at("/details/viewsCatchUp/details/caughtUp").asBoolean()).as(readiness.toString())
                    .isTrue();
            JsonNode status = generation(views.url());
            assertThat(status.path("caughtUp").asBoolean()).as(status.toString()).isTrue();
            assertThat(status.path("role").asText()).isEqualTo("views");
            assertThat(status.path("applicationId").asText()).isEqualTo("customer-sessions-views-e2e");
            assertThat(status.path("lagByTopic").has(TOPICS.commands())).as("a views generation reads no command")
                    .isFalse();
            for (int i = 0; i < SESSIONS; i++) {
                String path = "/v2/customer_sessions/" + id(i);
                assertThat(get(views.url(), path, INTEGRATION_KEY).body()).as(path)
                        .isEqualTo(get(system.projectorUrl(), path, INTEGRATION_KEY).body());
            }
            for (String path : List.of("/v1/applications/1/sessions?pageSize=1000",
                    "/v1/applications/1/sessions?state=closed&pageSize=1000",
                    "/v1/applications/1/customer_sessions/" + id(2) + "/events")) {
                HttpResponse<String> fromViews = get(views.url(), path, MANAGEMENT_KEY);
                assertThat(fromViews.statusCode()).as(path).isEqualTo(200);
                assertThat(fromViews.body()).as(path).isEqualTo(get(system.projectorUrl(), path, MANAGEMENT_KEY).body());
            }
            HttpResponse<String> dryRun = http.send(HttpRequest.newBuilder(URI.create(views.url()
                            + "/internal/v1/decide"))
                    .header("Content-Type", "application/vnd.customer-sessions.command+avro")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {0})));
            assertThat(dryRun.statusCode()).isEqualTo(503);
            assertThat(dryRun.body()).contains("read-only views").contains("processor role");
        }
    }

    // ------------------------------------------------------------------ the traffic

    private static String id(int i) {
        return "crash-" + i;
    }

    /** How many commands of session {@code i}'s checkout are accepted (one event each). */
    private static int acceptedCommands(int i) {
        return switch (i % 4) {
            case 0, 3 -> 4;
            case 1 -> 3;
            default -> 5;
        };
    }

    /**
     * One customer's checkout, each change sent after the previous one was answered. An answer is the expected
     * status, or 202 when the projector could not answer in time (the command is in the log, and the next one is
     * decided after it, as both are in the same partition).
     */
    private void checkout(int i) {
        String path = "/v2/customer_sessions/" + id(i);
        send("PUT", path, """
                {"customerSession": {"profileId": "customer-%d", "state": "open",
                  "cartItems": [{"sku": "SOCK-M", "quantity": 2, "price": 12.99}]}}""".formatted(i % 7), 200);
        send("PUT", path, """
                {"customerSession": {"couponCodes": ["WELCOME10"],
                  "cartItems": [{"sku": "SOCK-M", "quantity": 2, "price": 12.99},
                                {"sku": "CAP", "quantity": 1, "price": 0.1}]}}""", 200);
        switch (i % 4) {
            case 0 -> {
                send("PUT", path, "{\"customerSession\": {\"state\": \"closed\"}}", 200);
                String ret = "{\"return\": {\"returnedCartItems\": [{\"position\": 0, \"quantity\": 1}]}}";
                send("POST", path + "/returns", ret, 200, "return-" + i);
                send("POST", path + "/returns", ret, 200, "return-" + i);
            }
            case 1 -> {
                send("PUT", path, "{\"customerSession\": {\"state\": \"cancelled\"}}", 200);
                send("PUT", path, "{\"customerSession\": {\"state\": \"open\"}}", 409);
            }
            case 2 -> {
                send("PUT", path, "{\"customerSession\": {\"state\": \"closed\"}}", 200);
                send("PUT", path + "/reopen", "", 200);
                send("PUT", path + "/discounts", "{\"discounts\": {\"WELCOME10\": 2.60}}", 200);
            }
            default -> {
                send("PUT", path, "{\"customerSession\": {\"attributes\": {\"gift\": \"yes\"}}}", 200);
                send("PUT", path, "{\"customerSession\": {\"state\": \"closed\"}}", 200);
            }
        }
    }

    private void send(String method, String path, String body, int expected) {
        send(method, path, body, expected, null);
    }

    /**
     * Sends until the answer is not a 503 (the command was then not appended: a client retries it, after the
     * Retry-After the service asks for), and records any answer other than {@code expected} or 202.
     */
    private void send(String method, String path, String body, int expected, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.sessionServiceUrl() + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        try {
            HttpResponse<String> response = http.send(request);
            while (response.statusCode() == 503) {
                Thread.sleep(1000L * response.headers().firstValueAsLong("Retry-After").orElse(1));
                response = http.send(request);
            }
            answered.incrementAndGet();
            if (response.statusCode() == 202) {
                acceptedForLater.incrementAndGet();
            } else if (response.statusCode() != expected) {
                statuses.put(answered.get(), method + " " + path + " answered " + response.statusCode() + " "
                        + response.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ reading

    private JsonNode generation(String baseUrl) {
        HttpResponse<String> response = get(baseUrl, "/internal/v1/generation", INTEGRATION_KEY);
        return response.statusCode() == 200 ? json(response) : JSON.createObjectNode();
    }

    private HttpResponse<String> get(String baseUrl, String path, String authorization) {
        return http.get(baseUrl + path, authorization);
    }

    private List<ConsumerRecord<String, Object>> readAll(String topic) {
        return TopicReader.readAll(system.bootstrapServers(), system.schemaRegistryUrl(), topic);
    }

}
