package io.customersessions.launcher;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real single-node Kafka cluster (KRaft, this node is both broker and controller) inside the current JVM.
 * Its data survives restarts: the log directory is formatted once, when it holds no {@code meta.properties},
 * and reused afterwards. One broker per data directory, enforced by an OS lock.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final DirectoryLock lock;
    private final String bootstrapServers;

    private EmbeddedKafkaBroker(KafkaRaftServer server, DirectoryLock lock, String bootstrapServers) {
        this.server = server;
        this.lock = lock;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts the broker and returns once it serves clients. {@code port} 0 picks a free port. Fails fast, before
     * touching the data, when the directory is locked by another broker or the port is taken.
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int port) {
        return start(dataDir, port, Map.of());
    }

    /** As {@link #start(Path, int)}, with broker settings of {@code overrides} in place of ours (for tests). */
    public static EmbeddedKafkaBroker start(Path dataDir, int port, Map<String, String> overrides) {
        DirectoryLock lock = DirectoryLock.acquire(dataDir);
        KafkaRaftServer server = null;
        try {
            int brokerPort = Ports.resolve(port, "Kafka broker");
            int controllerPort = Ports.free();
            Path logDir = dataDir.resolve("kafka-logs").toAbsolutePath();
            Properties settings = settings(logDir, brokerPort, controllerPort);
            settings.putAll(overrides);
            KafkaConfig config = KafkaConfig.fromProps(settings, false);
            formatOnce(config, logDir);
            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            String bootstrapServers = "localhost:" + brokerPort;
            awaitServing(bootstrapServers);
            return new EmbeddedKafkaBroker(server, lock, bootstrapServers);
        } catch (RuntimeException e) {
            if (server != null) {
                server.shutdown();
                server.awaitShutdown();
            }
            lock.close();
            throw e;
        }
    }

    /**
     * Settings for one node. Replication factors and min ISR of Kafka's internal topics must be 1, or transactions
     * (exactly-once Streams) never become ready; the other values trim start-up time and memory.
     */
    private static Properties settings(Path logDir, int brokerPort, int controllerPort) {
        Properties props = new Properties();
        props.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", String.valueOf(NODE_ID)),
                Map.entry("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort),
                Map.entry("controller.listener.names", CONTROLLER_LISTENER),
                Map.entry("listeners", "PLAINTEXT://localhost:" + brokerPort
                        + "," + CONTROLLER_LISTENER + "://localhost:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("log.dirs", logDir.toString()),
                Map.entry("num.partitions", "6"),
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("offsets.topic.replication.factor", "1"),
                // One node: the defaults' 50 partitions each of the offsets and transaction logs only cost start-up.
                Map.entry("offsets.topic.num.partitions", "6"),
                Map.entry("transaction.state.log.num.partitions", "6"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                // Without it every new consumer group waits 3 s before its first assignment.
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // The default allocates 128 MiB up front for compaction; compacted topics here are small.
                Map.entry("log.cleaner.dedupe.buffer.size", "2097152")));
        return props;
    }

    /** Formatting an already formatted directory fails ("Invalid cluster.id"), so only a fresh one is formatted. */
    private static void formatOnce(KafkaConfig config, Path logDir) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .addDirectory(logDir.toString())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("could not format Kafka data directory " + logDir, e);
        }
    }

    /** {@code startup()} returns before the broker may answer metadata requests; a client round trip proves it does. */
    private static void awaitServing(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READY_TIMEOUT.toMillis()))) {
            admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker on " + bootstrapServers, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka broker on " + bootstrapServers + " did not become ready", e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Stops the broker, waits until it has flushed and closed its logs, then releases the data directory. */
    @Override
    public void close() {
        try {
            server.shutdown();
            server.awaitShutdown();
            LOG.debug("Kafka broker on {} stopped", bootstrapServers);
        } finally {
            lock.close();
        }
    }
}
