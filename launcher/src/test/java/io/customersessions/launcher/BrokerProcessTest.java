package io.customersessions.launcher;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker child outlives the services its launcher started: it finds them and waits for them to exit. Its JVM
 * options are ones the launcher's own Java accepts.
 */
@EnabledOnOs(OS.LINUX)
class BrokerProcessTest {

    /** No process can have this pid (Linux's pid_max is at most 2^22), so no real launcher's children match. */
    private static final long LAUNCHER_PID = 10_000_000L + ProcessHandle.current().pid();

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process process : started) {
            process.destroyForcibly().waitFor();
        }
    }

    @Test
    void the_siblings_are_the_processes_started_by_the_same_launcher() throws IOException {
        // given
        Process sibling = start(LAUNCHER_PID);
        Process otherLaunchers = start(LAUNCHER_PID + 1);

        // when
        List<Long> siblings = BrokerProcess.siblings(LAUNCHER_PID).stream().map(ProcessHandle::pid).toList();

        // then
        assertThat(siblings).containsExactly(sibling.pid()).doesNotContain(otherLaunchers.pid());
    }

    @Test
    void waiting_for_the_siblings_returns_once_they_have_exited() throws IOException {
        // given
        Process sibling = start(LAUNCHER_PID);
        List<ProcessHandle> siblings = BrokerProcess.siblings(LAUNCHER_PID);
        sibling.getOutputStream().close();

        // when
        boolean exited = BrokerProcess.awaitExit(siblings, Duration.ofSeconds(60));

        // then
        assertThat(exited).isTrue();
        assertThat(sibling.isAlive()).isFalse();
    }

    @Test
    void a_sibling_that_does_not_exit_holds_the_broker_back_only_for_the_grace() throws IOException {
        // given
        Process sibling = start(LAUNCHER_PID);
        long before = System.nanoTime();

        // when
        boolean exited = BrokerProcess.awaitExit(BrokerProcess.siblings(LAUNCHER_PID), Duration.ofMillis(500));

        // then
        assertThat(exited).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(30));
        assertThat(sibling.isAlive()).isTrue();
    }

    @Test
    void a_broker_whose_launcher_is_already_gone_exits_without_starting(@TempDir Path dataDir) throws Exception {
        // given: a launcher that died before its broker child got to watch it
        Process launcher = new ProcessBuilder("true").start();
        started.add(launcher);
        launcher.waitFor();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"),
                "-D" + ServiceProcess.PARENT_PID_PROPERTY + "=" + launcher.pid(),
                "-D" + BrokerProcess.DATA_DIR_PROPERTY + "=" + dataDir,
                "-D" + BrokerProcess.PORT_PROPERTY + "=" + Ports.free(),
                "-D" + ServiceProcess.PORT_PROPERTY + "=" + Ports.free(),
                BrokerProcess.class.getName()));

        // when
        Process broker = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.add(broker);
        boolean exited = broker.waitFor(120, TimeUnit.SECONDS);

        // then: no broker left holding its port and the data directory
        assertThat(exited).as("the broker child exited").isTrue();
        assertThat(broker.exitValue()).isZero();
        assertThat(new String(broker.getInputStream().readAllBytes())).contains("is gone");
    }

    @Test
    void the_java_that_runs_the_launcher_accepts_the_brokers_jvm_options() throws Exception {
        // given: the broker child runs the launcher's own java binary
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(BrokerProcess.jvmArgs(Runtime.version().feature()));
        command.add("-version");

        // when
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.add(java);
        String output = new String(java.getInputStream().readAllBytes());

        // then
        assertThat(java.waitFor()).as(output).isZero();
        assertThat(output).doesNotContain("Unrecognized option");
    }

    @Test
    void from_java_23_the_broker_may_unmap_its_files_without_a_warning_and_before_it_is_not_told_to() {
        assertThat(BrokerProcess.jvmArgs(17)).containsExactly("-XX:TieredStopAtLevel=1");
        assertThat(BrokerProcess.jvmArgs(22)).doesNotContain("--sun-misc-unsafe-memory-access=allow");
        assertThat(BrokerProcess.jvmArgs(25)).contains("--sun-misc-unsafe-memory-access=allow");
    }

    /**
     * A process carrying the launcher's pid property, as the launcher's services do, that exits once its input is
     * closed. It runs only a shell builtin: a shell that forked a command would, between the fork and the exec, show
     * a second process with the same arguments.
     */
    private Process start(long launcherPid) throws IOException {
        Process process = new ProcessBuilder("sh", "-c", "read line",
                "-D" + ServiceProcess.PARENT_PID_PROPERTY + "=" + launcherPid).start();
        started.add(process);
        return process;
    }
}
