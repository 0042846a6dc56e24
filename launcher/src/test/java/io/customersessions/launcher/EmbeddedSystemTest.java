package io.customersessions.launcher;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The composition, with {@link StandInService} packaged as both service jars: no real service needed. */
class EmbeddedSystemTest {

    private static final Path BASE = Path.of("target", "embedded-system-test").toAbsolutePath();
    private static Path standInHome;

    @BeforeAll
    static void packageStandInsAsServiceJars() throws IOException {
        standInHome = BASE.resolve("home");
        for (String module : List.of("projector", "session-service")) {
            Path jar = standInHome.resolve(module).resolve("target").resolve(module + ".jar");
            Files.createDirectories(jar.getParent());
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, StandInService.class.getName());
            String entry = StandInService.class.getName().replace('.', '/') + ".class";
            try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
                out.putNextEntry(new JarEntry(entry));
                out.write(Files.readAllBytes(Path.of("target", "test-classes").resolve(entry)));
                out.closeEntry();
            }
        }
    }

    private static EmbeddedSystem.Builder system(Path dataDir, Path logs) {
        return EmbeddedSystem.builder()
                .home(standInHome)
                .dataDir(dataDir)
                .brokerPort(0).registryPort(0).projectorPort(0).sessionServicePort(0)
                .output(ServiceOutput.logFiles(logs))
                .readinessTimeout(Duration.ofSeconds(30));
    }

    private static String onlyLog(Path logs, String name) throws IOException {
        try (Stream<Path> files = Files.list(logs)) {
            return Files.readString(files.filter(file -> file.getFileName().toString().startsWith(name + "-"))
                    .findFirst().orElseThrow());
        }
    }

    @Test
    void both_services_are_started_against_the_broker_and_registry_and_everything_stops_on_close() throws Exception {
        // given
        Path dataDir = Files.createTempDirectory(Files.createDirectories(BASE), "data-");
        Path logs = dataDir.resolve("logs");
        EmbeddedSystem system = system(dataDir, logs)
                .sessionServiceProperties(Map.of("greeting", "session-service extra"))
                .start();
        List<ProcessHandle> services;
        try {
            services = ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();

            // when
            String projector = onlyLog(logs, "projector");
            String sessionService = onlyLog(logs, "session-service");
            int registryStatus = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(system.schemaRegistryUrl() + "/subjects")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();

            // then
            assertThat(registryStatus).isEqualTo(200);
            for (String log : List.of(projector, sessionService)) {
                assertThat(log)
                        .as("both services listen on this machine only, as the broker and the registry do")
                        .contains("micronaut.server.host=localhost")
                        .contains("kafka.bootstrap.servers=" + system.bootstrapServers())
                        .contains("customer-sessions.schema-registry.url=" + system.schemaRegistryUrl());
            }
            assertThat(projector)
                    .contains("micronaut.server.port=" + system.projectorPort())
                    .contains("kafka.streams.default.state.dir=" + dataDir.resolve("projector-state"))
                    .contains("customer-sessions.streams.application-server=localhost:" + system.projectorPort());
            assertThat(sessionService)
                    .contains("micronaut.server.port=" + system.sessionServicePort())
                    .contains("greeting=session-service extra")
                    .doesNotContain("kafka.streams.default.state.dir");
        } finally {
            system.close();
        }

        // then
        assertThat(services).hasSize(2).noneMatch(ProcessHandle::isAlive);
        try (EmbeddedKafkaBroker sameDirectory = EmbeddedKafkaBroker.start(dataDir, 0)) {
            assertThat(sameDirectory.bootstrapServers()).as("the data directory was released").isNotBlank();
        }
    }

    @Test
    void a_missing_service_jar_fails_before_anything_starts() throws Exception {
        // given
        Path dataDir = Files.createTempDirectory(Files.createDirectories(BASE), "data-");
        EmbeddedSystem.Builder builder = system(dataDir, dataDir.resolve("logs")).home(BASE.resolve("no-build-here"));

        // when / then
        assertThatThrownBy(builder::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("projector jar is missing")
                .hasMessageContaining("run ./mvnw -q -DskipTests package first");
        try (Stream<Path> created = Files.list(dataDir)) {
            assertThat(created).isEmpty();
        }
    }

    @Test
    void environment_variables_select_an_external_cluster_registry_and_data_directory() {
        // when
        EmbeddedSystem system = EmbeddedSystem.builder()
                .environment(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092",
                        "SCHEMA_REGISTRY_URL", "http://registry:8081",
                        "CUSTOMER_SESSIONS_DATA_DIR", "/var/lib/customer-sessions"))
                .build();

        // then
        assertThat(system.brokerIsEmbedded()).isFalse();
        assertThat(system.registryIsEmbedded()).isFalse();
        assertThat(system.dataDir()).isEqualTo(Path.of("/var/lib/customer-sessions"));
    }

    @Test
    void without_environment_variables_broker_and_registry_are_embedded() {
        // when
        EmbeddedSystem system = EmbeddedSystem.builder().environment(Map.of("KAFKA_BOOTSTRAP_SERVERS", " ")).build();

        // then
        assertThat(system.brokerIsEmbedded()).isTrue();
        assertThat(system.registryIsEmbedded()).isTrue();
        assertThat(system.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
    }
}
