package io.customersessions.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One service running as a child JVM: {@code java <jvmArgs> -D<property>=<value>… -jar <jar>}, started with the
 * launcher's own java binary. The child is told the launcher's pid ({@value #PARENT_PID_PROPERTY}) so it can exit
 * when the launcher is gone, even after a {@code kill -9}; HTTP port and readiness are {@code micronaut.server.port}
 * and {@code GET /health}.
 */
public final class ServiceProcess implements AutoCloseable {

    public static final String PARENT_PID_PROPERTY = "customer-sessions.parent-pid";
    public static final String PORT_PROPERTY = "micronaut.server.port";

    private static final Logger LOG = LoggerFactory.getLogger(ServiceProcess.class);
    /** Above the session-service's own shutdown-grace-period (45 s), in which its requests in flight are answered. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(60);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final int TAIL_LINES = 40;
    /** A JVM's exit code after SIGINT (Ctrl-C): 128 + 2, once its shutdown hooks have run. */
    private static final int EXIT_ON_SIGINT = 130;
    /** After SIGTERM: 128 + 15. */
    private static final int EXIT_ON_SIGTERM = 143;
    /** How long after a child's exit on a stop signal the launcher must have begun stopping it, if it sent it. */
    static final Duration SIGNAL_STOP_SETTLE = Duration.ofSeconds(5);

    /** How the child JVM finds its code. */
    public sealed interface Launch {
        /** {@code -jar <jar>}: the packaged services. */
        record Jar(Path jar) implements Launch {
        }

        /** {@code -cp <classpath> <mainClass>}: small stand-ins in tests. */
        record MainClass(String classpath, String mainClass) implements Launch {
        }
    }

    /**
     * Everything needed to start one service. {@code properties} become {@code -D} system properties (Micronaut
     * reads them as configuration); {@code port} is passed as {@value #PORT_PROPERTY} and probed for readiness.
     * With {@code classDataSharing}, a service launched from a jar keeps a {@link ClassDataArchive} in {@code
     * class-data/} beside the jar.
     */
    public record Spec(String name, Launch launch, int port, Map<String, String> properties, List<String> jvmArgs,
                       ServiceOutput output, Duration readinessTimeout, boolean classDataSharing) {

        public Spec {
            properties = Map.copyOf(properties);
            jvmArgs = List.copyOf(jvmArgs);
        }

        public static Spec of(String name, Launch launch, int port) {
            return new Spec(name, launch, port, Map.of(), List.of(), ServiceOutput.console(), Duration.ofSeconds(180),
                    false);
        }

        public Spec withProperties(Map<String, String> properties) {
            return new Spec(name, launch, port, properties, jvmArgs, output, readinessTimeout, classDataSharing);
        }

        public Spec withJvmArgs(List<String> jvmArgs) {
            return new Spec(name, launch, port, properties, jvmArgs, output, readinessTimeout, classDataSharing);
        }

        public Spec withOutput(ServiceOutput output) {
            return new Spec(name, launch, port, properties, jvmArgs, output, readinessTimeout, classDataSharing);
        }

        public Spec withReadinessTimeout(Duration readinessTimeout) {
            return new Spec(name, launch, port, properties, jvmArgs, output, readinessTimeout, classDataSharing);
        }

        public Spec withClassDataSharing(boolean enabled) {
            return new Spec(name, launch, port, properties, jvmArgs, output, readinessTimeout, enabled);
        }

        /**
         * The service's archive, with class-data sharing, for a service launched from one jar ({@code -jar}, or
         * a classpath of a single jar whose manifest names the others): the JVM records none for classes loaded
         * from directories.
         */
        Optional<ClassDataArchive> classDataArchive() {
            Optional<Path> jar = Optional.empty();
            if (launch instanceof Launch.Jar packaged) {
                jar = Optional.of(packaged.jar());
            } else if (launch instanceof Launch.MainClass main && !main.classpath().contains(File.pathSeparator)) {
                jar = Optional.of(Path.of(main.classpath())).filter(Files::isRegularFile);
            }
            return jar.filter(file -> classDataSharing).flatMap(file -> ClassDataArchive.forThisJvm(
                    file.toAbsolutePath().getParent().resolve("class-data"), name, file));
        }
    }

    private final Spec spec;
    private final Process process;
    private final Optional<ClassDataArchive> classDataArchive;
    private final boolean startedFromClassDataArchive;
    private final Optional<Path> logFile;
    private final Deque<String> consoleTail = new ArrayDeque<>();
    private final Thread outputPump;
    private volatile boolean stopping;
    private final CompletableFuture<Integer> unexpectedExit = new CompletableFuture<>();

    private ServiceProcess(Spec spec, Process process, Optional<ClassDataArchive> classDataArchive,
                           boolean startedFromClassDataArchive, Optional<Path> logFile) {
        this.spec = spec;
        this.process = process;
        this.classDataArchive = classDataArchive;
        this.startedFromClassDataArchive = startedFromClassDataArchive;
        this.logFile = logFile;
        this.outputPump = logFile.isPresent() ? null : startOutputPump();
        process.onExit().thenAccept(exited -> {
            if (stopping) {
                return;
            }
            if (exited.exitValue() == EXIT_ON_SIGINT || exited.exitValue() == EXIT_ON_SIGTERM) {
                // A terminal's Ctrl-C reaches every process of the launcher's group, and a service manager's stop
                // (systemd's default KillMode) sends SIGTERM to every process of its group: this child may finish
                // its graceful exit (and its class-data recording) before the launcher's shutdown gets to it.
                String signal = exited.exitValue() == EXIT_ON_SIGINT ? "Ctrl-C (SIGINT)" : "SIGTERM";
                LOG.info("{} stopped on {}", spec.name(), signal);
                classDataArchive.ifPresent(archive -> archive.settle(true));
                // A signal sent to this child alone (a kill of its pid) stops no launcher: it is then gone while
                // the others run, which is as unexpected as a crash.
                CompletableFuture.delayedExecutor(SIGNAL_STOP_SETTLE.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                    if (!stopping) {
                        LOG.error("{} stopped on {} while the launcher runs", spec.name(), signal);
                        unexpectedExit.complete(exited.exitValue());
                    }
                });
            } else {
                LOG.error("{} exited unexpectedly with code {}", spec.name(), exited.exitValue());
                classDataArchive.ifPresent(archive -> archive.settle(false));
                unexpectedExit.complete(exited.exitValue());
            }
        });
    }

    /**
     * Completes with the exit code when the child exits on its own (a crash, an {@code OutOfMemoryError}, a kill,
     * a stop signal that did not also stop the launcher within {@link #SIGNAL_STOP_SETTLE}); never once {@link
     * #stop()} or {@link #kill()} has been called.
     */
    public CompletableFuture<Integer> unexpectedExit() {
        return unexpectedExit;
    }

    /** Launches the child and waits until {@code /health} answers 200; on failure the child is stopped. */
    public static ServiceProcess start(Spec spec) {
        ServiceProcess service = launch(spec);
        try {
            service.awaitHealthy();
            return service;
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
    }

    /** Launches the child without waiting for it; see {@link #awaitHealthy()}. */
    public static ServiceProcess launch(Spec spec) {
        Optional<ClassDataArchive> classDataArchive = spec.classDataArchive();
        // Decided once: another launcher may put the archive in place while this one records it.
        List<String> classDataArgs = classDataArchive.map(ClassDataArchive::jvmArgs).orElse(List.of());
        boolean fromArchive = !classDataArgs.isEmpty() && ClassDataArchive.usesArchive(classDataArgs);
        List<String> command = command(spec, classDataArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Optional<Path> logFile = spec.output() instanceof ServiceOutput.LogFiles files
                ? Optional.of(newLogFile(files.directory(), spec.name()))
                : Optional.empty();
        logFile.ifPresent(file -> builder.redirectOutput(file.toFile()));
        try {
            return new ServiceProcess(spec, builder.start(), classDataArchive, fromArchive, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + spec.name() + ": " + String.join(" ", command), e);
        }
    }

    static List<String> command(Spec spec, List<String> classDataArgs) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(spec.jvmArgs());
        command.addAll(classDataArgs);
        Map<String, String> properties = new TreeMap<>(spec.properties());
        properties.put(PORT_PROPERTY, String.valueOf(spec.port()));
        properties.put(PARENT_PID_PROPERTY, String.valueOf(ProcessHandle.current().pid()));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        if (spec.launch() instanceof Launch.Jar jar) {
            command.add("-jar");
            command.add(jar.jar().toAbsolutePath().toString());
        } else if (spec.launch() instanceof Launch.MainClass main) {
            command.add("-cp");
            command.add(main.classpath());
            command.add(main.mainClass());
        }
        return command;
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static Path newLogFile(Path directory, String name) {
        try {
            Files.createDirectories(directory);
            for (int n = 1; ; n++) {
                try {
                    return Files.createFile(directory.resolve(name + "-" + n + ".log"));
                } catch (FileAlreadyExistsException taken) {
                    // Keep the logs of earlier runs: try the next number.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a log file for " + name + " in " + directory, e);
        }
    }

    private Thread startOutputPump() {
        Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String prefix = "[" + spec.name() + "] ";
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    System.out.println(prefix + line);
                    synchronized (consoleTail) {
                        consoleTail.addLast(line);
                        if (consoleTail.size() > TAIL_LINES) {
                            consoleTail.removeFirst();
                        }
                    }
                }
            } catch (IOException e) {
                // The pipe closes when the child exits.
            }
        }, spec.name() + "-output");
        pump.setDaemon(true);
        pump.start();
        return pump;
    }

    /**
     * Polls {@code GET /health} until it answers 200. Fails with the child's last output lines when the child exits
     * first or the readiness timeout passes (the child is then left running: {@link #start} stops it).
     */
    public void awaitHealthy() {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/health"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + spec.readinessTimeout().toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(spec.name() + " exited with code " + exitCode()
                        + " before it became healthy" + lastOutput());
            }
            if (answersOk(http, request)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(spec.name() + " did not become healthy within "
                        + spec.readinessTimeout().toSeconds() + " s (GET " + request.uri() + ")" + lastOutput());
            }
            pause();
        }
    }

    private static boolean answersOk(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + request.uri(), e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a service to become healthy", e);
        }
    }

    private int exitCode() {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private String lastOutput() {
        List<String> lines = tail();
        String where = logFile.map(file -> " (full log: " + file.toAbsolutePath() + ")").orElse("");
        return lines.isEmpty()
                ? "; it printed nothing" + where
                : "; its last output" + where + ":\n    " + String.join("\n    ", lines);
    }

    private List<String> tail() {
        if (logFile.isPresent()) {
            try {
                List<String> lines = Files.readAllLines(logFile.get(), StandardCharsets.UTF_8);
                return lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
            } catch (IOException e) {
                return List.of("(could not read " + logFile.get() + ": " + e.getMessage() + ")");
            }
        }
        if (!process.isAlive()) {
            joinOutputPump(Duration.ofMillis(500)); // let the last lines of a dead child drain
        }
        synchronized (consoleTail) {
            return List.copyOf(consoleTail);
        }
    }

    /** Says that this child is about to be stopped on purpose: its exit, from now on, is not unexpected. */
    public void expectStop() {
        stopping = true;
    }

    /**
     * SIGTERM, then up to {@link #STOP_GRACE} (60 s) for a graceful exit, then SIGKILL. Idempotent. After a graceful
     * exit the class-data archive the JVM recorded at exit, if any, is put in place.
     */
    public void stop() {
        stopping = true;
        boolean graceful = true;
        if (process.isAlive()) {
            if (classDataArchive.isPresent() && !startedFromClassDataArchive) {
                LOG.info("{} records its class-data archive as it stops (a few seconds, once per build): "
                        + "its next starts load fewer classes", spec.name());
            }
            process.destroy();
            try {
                if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("{} did not stop within {} s; killing it", spec.name(), STOP_GRACE.toSeconds());
                    graceful = false;
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                graceful = false;
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        joinOutputPump(Duration.ofSeconds(2));
        if (!process.isAlive()) {
            boolean recorded = graceful;
            classDataArchive.ifPresent(archive -> archive.settle(recorded));
        }
    }

    /**
     * SIGKILL at once, as a crash would: no shutdown hook runs, nothing is flushed or closed. Waits until the process
     * is gone. Idempotent.
     */
    public void kill() {
        stopping = true;
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        joinOutputPump(Duration.ofSeconds(2));
        if (!process.isAlive()) {
            classDataArchive.ifPresent(archive -> archive.settle(false));
        }
    }

    private void joinOutputPump(Duration timeout) {
        if (outputPump == null) {
            return;
        }
        try {
            outputPump.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Whether this JVM was started with a class-data archive recorded by an earlier start of the same jar. */
    public boolean startedFromClassDataArchive() {
        return startedFromClassDataArchive;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public String name() {
        return spec.name();
    }

    public int port() {
        return spec.port();
    }

    public String url() {
        return "http://localhost:" + spec.port();
    }

    public Optional<Path> logFile() {
        return logFile;
    }
}
