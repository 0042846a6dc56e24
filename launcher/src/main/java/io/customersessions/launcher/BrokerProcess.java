package io.customersessions.launcher;

import com.sun.net.httpserver.HttpServer;
import io.customersessions.launcher.registry.EmbeddedSchemaRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The embedded broker, and the embedded schema registry if asked for, in a child JVM of their own ({@link
 * EmbeddedSystem.Builder#brokerProcess}). Their start-up is mostly loading and compiling Kafka's and Scala's classes,
 * so this JVM starts from a class-data archive like the services, and compiles with C1 only
 * ({@code -XX:TieredStopAtLevel=1}): measured on 2 cores, this JVM used 7–8 CPU-seconds until the whole system was
 * ready instead of 12–13 (C2 compiled the broker's start-up paths while the services competed for the same cores).
 * The price is a slower steady-state broker, which matters only for load tests against the launcher (the demo ran
 * as fast; the benchmark runs its own broker).
 *
 * <p>It answers {@code GET /health} on {@value ServiceProcess#PORT_PROPERTY} once both serve clients, ignores
 * SIGINT (a Ctrl-C in the terminal reaches every process of the launcher's group, but the broker must outlive the
 * services that still commit on their way out; the launcher stops it last, with SIGTERM) and exits when the launcher
 * is gone.
 *
 * <p>Whatever stops it (the launcher's death, or a SIGTERM sent to the whole group as systemd does), it first waits
 * for the launcher's other children to exit, and if they do not within {@link #SERVICES_GRACE}, it halts instead of
 * shutting down. A Kafka 4.3.1 broker that shuts down gracefully while the projector commits records the
 * transaction as committed without writing its markers (its PrepareCommit and CompleteCommit in the same
 * millisecond, reproduced): those transactions hang open for ever, read-committed readers of their partitions stop
 * there, and the restarted projector waits on their pending offset commit and never becomes ready. After a halt, as
 * after a crash, the restarted broker completes or aborts every transaction.
 */
public final class BrokerProcess {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerProcess.class);
    /** Longer than a service's graceful stop (the projector's Kafka Streams close timeout is 20 s). */
    static final Duration SERVICES_GRACE = Duration.ofSeconds(45);

    static final String DATA_DIR_PROPERTY = "customer-sessions.broker.data-dir";
    static final String PORT_PROPERTY = "customer-sessions.broker.port";
    /** Absent: no registry in this process. */
    static final String REGISTRY_PORT_PROPERTY = "customer-sessions.registry.port";

    private BrokerProcess() {
    }

    /** The child's launch spec: this JVM's own classpath, which holds the broker and the registry. */
    static ServiceProcess.Spec spec(Path dataDir, int brokerPort, OptionalInt registryPort, int healthPort) {
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().normalize().toString())
                .collect(Collectors.joining(File.pathSeparator));
        Map<String, String> properties = new HashMap<>(Map.of(DATA_DIR_PROPERTY, dataDir.toString(),
                PORT_PROPERTY, String.valueOf(brokerPort)));
        registryPort.ifPresent(port -> properties.put(REGISTRY_PORT_PROPERTY, String.valueOf(port)));
        return ServiceProcess.Spec.of("kafka", new ServiceProcess.Launch.MainClass(classpath,
                        BrokerProcess.class.getName()), healthPort)
                .withJvmArgs(jvmArgs(Runtime.version().feature()))
                .withProperties(properties);
    }

    /**
     * The broker JVM's options, for a child that runs this JVM's own Java ({@code feature}). From Java 23 on, Kafka's
     * use of {@code sun.misc.Unsafe} (unmapping its index files) is allowed without the JVM's warning, which would
     * otherwise open every start on Java 24 and later; Java 17 to 22 refuse the option, so it is not given there.
     */
    static List<String> jvmArgs(int feature) {
        return feature >= 23 ? List.of("-XX:TieredStopAtLevel=1", "--sun-misc-unsafe-memory-access=allow")
                : List.of("-XX:TieredStopAtLevel=1");
    }

    public static void main(String[] args) throws Exception {
        Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN);
        OptionalLong launcherPid = Optional.ofNullable(System.getProperty(ServiceProcess.PARENT_PID_PROPERTY))
                .map(pid -> OptionalLong.of(Long.parseLong(pid))).orElse(OptionalLong.empty());
        // A launcher gone before this line (killed while this JVM started) has no handle: exit at once, or the
        // broker's threads would keep it running, holding the port and the data directory's lock.
        launcherPid.ifPresent(pid -> ProcessHandle.of(pid).ifPresentOrElse(
                launcher -> launcher.onExit().thenRun(() -> System.exit(0)),
                () -> {
                    System.err.println("launcher process " + pid + " is gone; not starting the broker");
                    System.exit(0);
                }));

        try {
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Path.of(System.getProperty(DATA_DIR_PROPERTY)),
                    Integer.parseInt(System.getProperty(PORT_PROPERTY)));
            Optional<EmbeddedSchemaRegistry> registry = Optional.ofNullable(System.getProperty(REGISTRY_PORT_PROPERTY))
                    .map(Integer::parseInt)
                    .map(port -> startRegistry(broker, port));
            // One hook, in order: shutdown hooks run concurrently, and the registry is a client of the broker.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (launcherPid.isPresent() && !awaitExit(siblings(launcherPid.getAsLong()), SERVICES_GRACE)) {
                    LOG.warn("stopping the broker abruptly, as a crash would: Kafka recovers from that, not from a "
                            + "graceful stop while clients commit");
                    Runtime.getRuntime().halt(1);
                }
                registry.ifPresent(EmbeddedSchemaRegistry::close);
                broker.close();
            }, "kafka-broker-shutdown"));
        } catch (RuntimeException e) {
            // The broker's threads would otherwise keep this JVM alive, never healthy.
            e.printStackTrace();
            System.exit(1);
        }

        HttpServer health = HttpServer.create(new InetSocketAddress("localhost",
                Integer.parseInt(System.getProperty(ServiceProcess.PORT_PROPERTY))), 0);
        health.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        health.start();
    }

    /** The other live processes started by the launcher {@code launcherPid}, found by the property it gives them. */
    static List<ProcessHandle> siblings(long launcherPid) {
        String marker = "-D" + ServiceProcess.PARENT_PID_PROPERTY + "=" + launcherPid;
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
                .filter(process -> process.pid() != self)
                .filter(process -> process.info().arguments().map(Arrays::asList)
                        .filter(arguments -> arguments.contains(marker)).isPresent())
                .toList();
    }

    /** Whether every one of {@code processes} exited within {@code grace}. */
    static boolean awaitExit(List<ProcessHandle> processes, Duration grace) {
        if (processes.isEmpty()) {
            return true;
        }
        LOG.info("waiting for {} to stop before the broker stops", pids(processes));
        try {
            CompletableFuture.allOf(processes.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                    .get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            LOG.warn("{} still running after {} s", pids(processes.stream().filter(ProcessHandle::isAlive).toList()),
                    grace.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn("could not wait for the services to stop", e.getCause());
        }
        return processes.stream().noneMatch(ProcessHandle::isAlive);
    }

    private static String pids(List<ProcessHandle> processes) {
        return "process(es) " + processes.stream().map(process -> String.valueOf(process.pid()))
                .collect(Collectors.joining(", "));
    }

    private static EmbeddedSchemaRegistry startRegistry(EmbeddedKafkaBroker broker, int port) {
        try {
            return EmbeddedSchemaRegistry.start(broker.bootstrapServers(), "localhost", port,
                    EmbeddedSchemaRegistry.DEFAULT_TOPIC);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }
}
