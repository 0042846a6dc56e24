package io.customersessions.launcher;

import io.customersessions.launcher.ServiceProcess.Launch;
import io.customersessions.launcher.ServiceProcess.Spec;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ServiceProcessTest {

    private static final Path LOGS = Path.of("target", "service-process-test-logs");

    private static Spec standIn(String mode) {
        Launch launch = new Launch.MainClass(Path.of("target", "test-classes").toAbsolutePath().toString(),
                StandInService.class.getName());
        return Spec.of("stand-in-" + mode, launch, Ports.free())
                .withProperties(Map.of("stand-in.mode", mode, "greeting", "hello from the launcher"))
                .withOutput(ServiceOutput.logFiles(LOGS))
                .withReadinessTimeout(Duration.ofSeconds(20));
    }

    private static boolean isChildOfThisJvm(ProcessHandle handle) {
        return ProcessHandle.current().children().anyMatch(child -> child.pid() == handle.pid());
    }

    @Test
    void a_started_service_is_healthy_and_got_its_properties_and_the_launcher_pid() throws Exception {
        // given
        try (ServiceProcess service = ServiceProcess.start(standIn("healthy"))) {

            // when
            Path log = service.logFile().orElseThrow();

            // then
            assertThat(service.isAlive()).isTrue();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.readString(log))
                    .contains("greeting=hello from the launcher")
                    .contains("customer-sessions.parent-pid=" + ProcessHandle.current().pid())
                    .contains("micronaut.server.port=" + service.port()));
        }
    }

    @Test
    void stop_terminates_the_child_process() {
        // given
        ServiceProcess service = ServiceProcess.start(standIn("healthy"));
        ProcessHandle handle = service.handle();

        // when
        service.stop();

        // then
        assertThat(handle.isAlive()).isFalse();
        assertThat(isChildOfThisJvm(handle)).isFalse();
    }

    @Test
    void a_service_stopped_by_a_signal_to_it_alone_is_an_unexpected_exit() {
        // given
        try (ServiceProcess service = ServiceProcess.start(standIn("healthy"))) {

            // when someone sends SIGTERM to this child's pid, and the launcher is not stopping
            service.handle().destroy();

            // then
            assertThat(service.unexpectedExit())
                    .succeedsWithin(ServiceProcess.SIGNAL_STOP_SETTLE.plusSeconds(15))
                    .isEqualTo(143);
        }
    }

    @Test
    void a_service_that_never_becomes_healthy_is_reported_with_its_last_output() {
        // given
        ServiceProcess service = ServiceProcess.launch(standIn("never-healthy").withReadinessTimeout(Duration.ofSeconds(1)));
        try {

            // when / then
            assertThatThrownBy(service::awaitHealthy)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("stand-in-never-healthy did not become healthy within 1 s")
                    .hasMessageContaining("/health")
                    .hasMessageContaining("warming up forever")
                    .hasMessageContaining(service.logFile().orElseThrow().toAbsolutePath().toString());
        } finally {
            service.stop();
        }
    }

    @Test
    void a_failed_start_leaves_no_child_running() {
        // given
        Spec spec = standIn("never-healthy").withReadinessTimeout(Duration.ofSeconds(1));
        long childrenBefore = ProcessHandle.current().children().count();

        // when
        assertThatThrownBy(() -> ServiceProcess.start(spec)).isInstanceOf(IllegalStateException.class);

        // then
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).count())
                .isEqualTo(childrenBefore);
    }

    @Test
    void a_service_that_exits_during_start_is_reported_with_its_exit_code_and_output() {
        // given
        Spec spec = standIn("crash").withOutput(ServiceOutput.console());

        // when / then
        assertThatThrownBy(() -> ServiceProcess.start(spec))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stand-in-crash exited with code 3 before it became healthy")
                .hasMessageContaining("missing configuration: kafka.bootstrap.servers");
    }
}
