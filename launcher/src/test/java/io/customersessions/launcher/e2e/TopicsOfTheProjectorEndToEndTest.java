package io.customersessions.launcher.e2e;

import io.customersessions.launcher.EmbeddedKafkaBroker;
import io.customersessions.launcher.EmbeddedSystem;
import io.customersessions.launcher.Ports;
import io.customersessions.launcher.ServiceOutput;
import io.customersessions.launcher.ServiceProcess;
import io.customersessions.launcher.registry.EmbeddedSchemaRegistry;
import io.customersessions.launcher.testing.SystemHttp;
import io.customersessions.launcher.testing.TestSystems;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The projector creates the topics, with their settings (partitions, retention: outcomes, which hold the session
 * with its personal data, for an hour). Most brokers create a topic a client asks for (Kafka's default {@code
 * auto.create.topics.enable=true}), with the broker's defaults: a session-service that starts first must not make
 * them so, neither by looking for the outcomes topic nor by sending a command. It waits, refusing commands (503,
 * nothing appended), until the projector has created them.
 */
class TopicsOfTheProjectorEndToEndTest {

    private static final String COMMANDS = "customer-session-commands";
    private static final String OUTCOMES = "customer-session-outcomes";

    private final SystemHttp http = new SystemHttp();
    private final Deque<AutoCloseable> running = new ArrayDeque<>();

    @AfterEach
    void stop() {
        TestSystems.stopAll(running);
    }

    @Test
    void a_session_service_started_before_the_projector_creates_no_topic_on_a_broker_that_would() throws Exception {
        // given: a broker that creates any topic a client asks for, and a session-service without a projector
        Path data = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "topics-data");
        ServiceOutput logs = ServiceOutput.logFiles(Path.of("target", "e2e-logs"));
        Path home = Path.of(System.getProperty(EmbeddedSystem.HOME_PROPERTY, ".."));
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(data.resolve("broker"), 0,
                Map.of("auto.create.topics.enable", "true", "num.partitions", "1"));
        running.push(broker);
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), "localhost", 0,
                EmbeddedSchemaRegistry.DEFAULT_TOPIC);
        running.push(registry);
        Map<String, String> shared = Map.of("kafka.bootstrap.servers", broker.bootstrapServers(),
                "customer-sessions.schema-registry.url", registry.url());
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
        running.push(admin);
        ServiceProcess sessionService = launch("session-service", home, "session-service", logs, port -> shared);
        Path sessionServiceLog = sessionService.logFile().orElseThrow();

        // when: it has looked for the topics, and is sent a command
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
                Files.readString(sessionServiceLog).contains("not found yet; waiting for it"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() ->
                http.get(sessionService.url() + "/health/liveness").statusCode() == 200);
        int refused = http.put(sessionService.url() + "/v2/customer_sessions/early",
                "{\"customerSession\": {\"state\": \"open\"}}").statusCode();

        // then: the command is refused, and neither topic exists
        assertThat(refused).isEqualTo(503);
        assertThat(admin.listTopics().names().get()).doesNotContain(COMMANDS, OUTCOMES);

        // when: the projector starts
        Map<String, String> projectorProperties = new HashMap<>(shared);
        projectorProperties.put("kafka.streams.default.state.dir", data.resolve("state").toString());
        ServiceProcess projector = launch("projector", home, "projector", logs, port -> {
            projectorProperties.put("customer-sessions.streams.application-server", "localhost:" + port);
            return projectorProperties;
        });
        projector.awaitHealthy();
        sessionService.awaitHealthy();

        // then: the topics have the projector's settings, and commands are taken
        Map<String, Integer> partitions = new HashMap<>();
        admin.describeTopics(List.of(COMMANDS, OUTCOMES)).allTopicNames().get()
                .forEach((name, topic) -> partitions.put(name, topic.partitions().size()));
        assertThat(partitions).isEqualTo(Map.of(COMMANDS, 6, OUTCOMES, 6));
        ConfigResource outcomes = new ConfigResource(ConfigResource.Type.TOPIC, OUTCOMES);
        String retention = admin.describeConfigs(Set.of(outcomes)).all().get().get(outcomes)
                .get(TopicConfig.RETENTION_MS_CONFIG).value();
        assertThat(retention).isEqualTo(String.valueOf(Duration.ofHours(1).toMillis()));
        int taken = http.put(sessionService.url() + "/v2/customer_sessions/early",
                "{\"customerSession\": {\"state\": \"open\"}}").statusCode();
        assertThat(taken).isIn(200, 202);
    }

    private ServiceProcess launch(String name, Path home, String module, ServiceOutput logs,
                                  IntFunction<Map<String, String>> properties) {
        int port = Ports.free();
        return TestSystems.launchJar(name, home, module, logs, port, properties.apply(port), running);
    }
}
