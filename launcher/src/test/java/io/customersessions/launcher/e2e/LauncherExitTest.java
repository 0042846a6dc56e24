package io.customersessions.launcher.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.customersessions.launcher.EmbeddedSystem;
import io.customersessions.launcher.Ports;
import io.customersessions.launcher.ServiceOutput;
import io.customersessions.launcher.testing.SystemHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.customersessions.launcher.testing.SystemHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a user of {@code java -jar launcher.jar} relies on when it ends: whether it is stopped with Ctrl-C (SIGINT to
 * every process of the terminal's group) or killed outright, no broker or service is left running, and the next
 * start finds the data it had accepted. The launcher runs in a JVM of its own ({@link LauncherLikeMain}), with the
 * broker and both services as its children, as in a real run.
 */
@EnabledOnOs({OS.LINUX, OS.MAC}) // signals are sent with kill(1)
class LauncherExitTest {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final String SESSION_TIMEOUT = "kafka.streams.default.session.timeout.ms";
    private static final Duration LONGER_THAN_THE_TEST = Duration.ofMinutes(5);

    private final SystemHttp http = new SystemHttp();
    private final List<ProcessHandle> started = new ArrayList<>();

    /** A launcher JVM, its output so far, and its session-service URL once ready. */
    private record RunningLauncher(Process process, List<String> output, String sessionServiceUrl) {
    }

    @AfterEach
    void killWhateverIsLeft() {
        started.forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * The projector's session timeout is longer than the test waits for the restarted system to serve: its dead
     * member, which still holds every partition, does not time out meanwhile. The restarted projector rejoins as the
     * same static member (same application server, hence the same port) and gets the partitions back at once.
     */
    @Test
    void a_killed_launcher_leaves_no_process_behind_and_the_next_start_serves_its_data_at_once() throws Exception {
        // given a running launcher that accepted a session
        Path dataDir = Files.createTempDirectory(Files.createDirectories(TARGET), "launcher-exit-data");
        int projectorPort = Ports.free();
        RunningLauncher launcher = startLauncher(dataDir, projectorPort, LONGER_THAN_THE_TEST);
        assertThat(put(launcher.sessionServiceUrl(), "exit-1").statusCode()).isEqualTo(200);
        List<ProcessHandle> children = childrenOf(launcher);
        assertThat(children).hasSizeGreaterThanOrEqualTo(3); // broker (with the registry), projector, session-service

        // when it is killed without a chance to stop its children
        launcher.process().destroyForcibly();

        // then every child notices and exits
        assertThat(launcher.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        awaitAllExited(children);

        // and a new start on the same data serves the session accepted before, well within the dead member's
        // session timeout
        try (EmbeddedSystem restarted = EmbeddedSystem.builder()
                .dataDir(dataDir)
                .brokerPort(0).registryPort(0).projectorPort(projectorPort).sessionServicePort(0)
                .projectorProperties(Map.of(SESSION_TIMEOUT, String.valueOf(LONGER_THAN_THE_TEST.toMillis())))
                .output(ServiceOutput.logFiles(TARGET.resolve("launcher-exit-logs")))
                .start()) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                HttpResponse<String> read = get(restarted.sessionServiceUrl(), "exit-1");
                assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
                JsonNode session = json(read).get("customerSession");
                assertThat(session.get("updateCount").asInt()).isEqualTo(1);
                assertThat(session.get("cartItemTotal").decimalValue()).isEqualByComparingTo("25.98");
            });
        }
    }

    /**
     * Ctrl-C where the processes can receive it. A process started in the background by a non-interactive shell
     * (e.g. a CI job run with {@code &}) inherits SIGINT ignored, and so do this test's JVM and the launcher it
     * starts, which a Ctrl-C then never reaches; the test sends SIGTERM to every process instead, as a service
     * manager stopping the group does (systemd's default), which races the same way.
     */
    @Test
    void ctrl_c_stops_the_launcher_and_every_child() throws Exception {
        // given
        Path dataDir = Files.createTempDirectory(Files.createDirectories(TARGET), "launcher-exit-data");
        RunningLauncher launcher = startLauncher(dataDir, 0, Duration.ofSeconds(10));
        assertThat(put(launcher.sessionServiceUrl(), "exit-2").statusCode()).isEqualTo(200);
        List<ProcessHandle> children = childrenOf(launcher);
        String signal = sigintIgnored() ? "-TERM" : "-INT";

        // when a terminal's Ctrl-C reaches the launcher and all its children at once
        List<String> signalled = new ArrayList<>(List.of("kill", signal, String.valueOf(launcher.process().pid())));
        children.forEach(child -> signalled.add(String.valueOf(child.pid())));
        assertThat(new ProcessBuilder(signalled).inheritIO().start().waitFor()).isZero();

        // then the launcher's own shutdown runs to its end and nothing is left running
        assertThat(launcher.process().waitFor(90, TimeUnit.SECONDS)).as(String.join("\n", launcher.output()))
                .isTrue();
        awaitAllExited(children);
        // and a child that finished before the launcher got to it is not reported as a crash
        assertThat(launcher.output()).as("the launcher's output").contains("stopped")
                .noneMatch(line -> line.contains("Exception") || line.contains("ERROR"));
    }

    /** A supervisor (systemd, a container runtime) sees a launcher that has lost a service exit, and restarts it. */
    @Test
    void a_service_that_dies_takes_the_launcher_and_every_other_child_down() throws Exception {
        // given
        Path dataDir = Files.createTempDirectory(Files.createDirectories(TARGET), "launcher-exit-data");
        RunningLauncher launcher = startLauncher(dataDir, 0, Duration.ofSeconds(10));
        List<ProcessHandle> children = childrenOf(launcher);
        ProcessHandle sessionService = children.stream()
                .filter(child -> child.info().commandLine().orElse("").contains("session-service.jar"))
                .findFirst().orElseThrow();

        // when it dies on its own
        sessionService.destroyForcibly();

        // then the launcher stops the rest and exits with an error
        assertThat(launcher.process().waitFor(90, TimeUnit.SECONDS)).as(String.join("\n", launcher.output()))
                .isTrue();
        assertThat(launcher.process().exitValue()).isEqualTo(1);
        awaitAllExited(children);
        assertThat(launcher.output()).anyMatch(line -> line.contains("session-service exited unexpectedly"))
                .contains("stopped");
    }

    /** Whether this process ignores SIGINT (bit 2 of {@code SigIgn} in {@code /proc/self/status}; false elsewhere). */
    private static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return false;
        }
        return Files.readAllLines(status).stream()
                .filter(line -> line.startsWith("SigIgn:"))
                .map(line -> Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16))
                .anyMatch(ignored -> (ignored & (1L << (2 - 1))) != 0);
    }

    /** The launcher's children, each also killed after the test (a killed launcher's children are no longer its). */
    private List<ProcessHandle> childrenOf(RunningLauncher launcher) {
        List<ProcessHandle> children = launcher.process().descendants().toList();
        started.addAll(children);
        return children;
    }

    private RunningLauncher startLauncher(Path dataDir, int projectorPort, Duration sessionTimeout)
            throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dcustomer-sessions.home=" + System.getProperty("customer-sessions.home"),
                LauncherLikeMain.class.getName(), dataDir.toString(), TARGET.resolve("launcher-exit-logs").toString(),
                String.valueOf(projectorPort), String.valueOf(sessionTimeout.toMillis()))
                .redirectErrorStream(true)
                .start();
        started.add(process.toHandle());
        List<String> output = new CopyOnWriteArrayList<>();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.add(line);
                    if (line.startsWith("ready ")) {
                        ready.complete(line.split(" ")[1]);
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("the launcher exited before it was ready"));
        }, "launcher-output");
        pump.setDaemon(true);
        pump.start();
        try {
            return new RunningLauncher(process, output, ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError("the launcher did not start:\n" + String.join("\n", output), e);
        }
    }

    private static void awaitAllExited(List<ProcessHandle> processes) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(processes.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid))
                        .as("processes still running").isEmpty());
    }

    private HttpResponse<String> put(String sessionServiceUrl, String id) {
        return http.put(sessionServiceUrl + "/v2/customer_sessions/" + id, """
                {"customerSession": {"profileId": "exit-customer", "state": "open",
                  "cartItems": [{"sku": "SOCK", "quantity": 2, "price": 12.99}]}}""");
    }

    private HttpResponse<String> get(String sessionServiceUrl, String id) {
        return http.get(sessionServiceUrl + "/v2/customer_sessions/" + id);
    }
}
