package io.customersessions.launcher.testing;

import io.customersessions.launcher.EmbeddedSystem;
import io.customersessions.launcher.ServiceOutput;
import io.customersessions.launcher.ServiceProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Deque;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole embedded system as the end-to-end tests of every module start it. */
public final class TestSystems {

    /** The development Integration API key of the embedded default: application 1. */
    public static final String INTEGRATION_KEY = "ApiKey-v1 dev-integration-key-0001";
    /** The development Management API key of the embedded default: application 1. */
    public static final String MANAGEMENT_KEY = "ManagementKey-v1 dev-management-key-0001";
    /**
     * For tests that assert outcomes, not latency: on a slow machine a PUT must get its outcome (within the
     * client's 30 s, {@link SystemHttp}), not a 202 after the default 10 s.
     */
    public static final Map<String, String> PATIENT_OUTCOMES = Map.of("customer-sessions.outcome-timeout", "25s");

    private TestSystems() {
    }

    /**
     * A system on free ports, with its data in a fresh directory {@code target/<name>-data…} and the services' logs
     * in {@code target/<name>-logs}; the caller adds what its test needs and starts it.
     */
    public static EmbeddedSystem.Builder builder(String name) {
        try {
            Path target = Files.createDirectories(Path.of("target"));
            return EmbeddedSystem.builder()
                    .dataDir(Files.createTempDirectory(target, name + "-data"))
                    .brokerPort(0).registryPort(0).projectorPort(0).sessionServicePort(0)
                    .output(ServiceOutput.logFiles(target.resolve(name + "-logs")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Launches the packaged jar of {@code module} ({@code <home>/<module>/target/<module>.jar}) as {@code name} on
     * {@code port}, without waiting for it, and pushes it onto {@code running} (stopped by {@link #stopAll}).
     */
    public static ServiceProcess launchJar(String name, Path home, String module, ServiceOutput logs, int port,
                                           Map<String, String> properties, Deque<AutoCloseable> running) {
        Path jar = home.resolve(module).resolve("target").resolve(module + ".jar").toAbsolutePath().normalize();
        assertThat(jar).as("the %s jar (./mvnw -q -DskipTests package)", module).isRegularFile();
        ServiceProcess service = ServiceProcess.launch(ServiceProcess.Spec.of(name, new ServiceProcess.Launch.Jar(jar),
                        port)
                .withProperties(properties)
                .withOutput(logs)
                .withReadinessTimeout(Duration.ofSeconds(180)));
        running.push(service);
        return service;
    }

    /** Closes what {@code running} holds, most recently started first. */
    public static void stopAll(Deque<AutoCloseable> running) {
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                throw new IllegalStateException("could not stop a component", e);
            }
        }
    }
}
