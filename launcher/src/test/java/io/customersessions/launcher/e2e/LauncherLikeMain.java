package io.customersessions.launcher.e2e;

import io.customersessions.launcher.EmbeddedSystem;
import io.customersessions.launcher.Launcher;
import io.customersessions.launcher.ServiceOutput;

import java.nio.file.Path;
import java.util.Map;

/**
 * The launcher as {@link LauncherExitTest} runs it in a JVM of its own: the same composition as {@code Launcher}
 * (broker and registry in a child JVM, both services as child JVMs, one shutdown hook that stops them in order), but
 * on free ports, without the demo and the class-data archives. Arguments: the data directory, the logs
 * directory, the projector's port (0: any free one) and its {@code session.timeout.ms}. Prints
 * {@code ready <session-service url> <projector url>} once both services are healthy.
 */
public final class LauncherLikeMain {

    private LauncherLikeMain() {
    }

    public static void main(String[] args) {
        EmbeddedSystem system = EmbeddedSystem.builder()
                .dataDir(Path.of(args[0]))
                .brokerPort(0).registryPort(0).projectorPort(Integer.parseInt(args[2])).sessionServicePort(0)
                .output(ServiceOutput.logFiles(Path.of(args[1])))
                .projectorProperties(Map.of("kafka.streams.default.session.timeout.ms", args[3]))
                .sessionServiceProperties(Map.of("customer-sessions.outcome-timeout", "25s"))
                .brokerProcess(true)
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            system.close();
            System.out.println("stopped");
        }, "launcher-shutdown"));
        system.start();
        System.out.println("ready " + system.sessionServiceUrl() + " " + system.projectorUrl());
        Launcher.serveUntilStopped(system);
    }
}
