package io.customersessions.launcher;

import io.customersessions.launcher.registry.EmbeddedSchemaRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * The whole system on one machine: a Kafka broker (embedded unless an external cluster is given), the schema
 * registry (likewise), the projector and the session-service as child JVMs. Everything starts at once: the ports
 * are chosen first, so the services' JVMs and Micronaut start-ups (seconds, before they first reach Kafka) overlap
 * with the broker's and the registry's, and the session-service waits by itself for the topics the projector
 * creates. Closing stops the services first, then the registry and the broker: nothing writes to Kafka after the
 * broker is gone.
 * Used by the {@code Launcher} and by end-to-end tests.
 */
public final class EmbeddedSystem implements AutoCloseable {

    /** Where the service jars are looked up ({@code <home>/<module>/target/<module>.jar}): see {@link ProjectHome}. */
    public static final String HOME_PROPERTY = "customer-sessions.home";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSystem.class);

    private final Settings config;
    private final Object lock = new Object();
    /** The services running, most recently started first: the stop order. */
    private final Deque<Running> running = new ArrayDeque<>();
    /** Broker and registry, most recently started first: stopped after every service. */
    private final Deque<Running> infrastructure = new ArrayDeque<>();
    private boolean closed;
    private volatile String bootstrapServers;
    private volatile String schemaRegistryUrl;
    private volatile int projectorPort;
    private volatile int sessionServicePort;
    /** The projector child, replaced by {@link #startProjector()} after {@link #killProjector()}. */
    private volatile ServiceProcess projector;
    private volatile boolean startedFromClassDataArchives;
    private volatile boolean brokerStartedFromClassDataArchive;
    private volatile Path projectorJar;
    private final CompletableFuture<String> failure = new CompletableFuture<>();

    private record Running(String name, AutoCloseable stopper) {
    }

    /** A snapshot of the builder, so changing the builder later does not change a built system. */
    private record Settings(Path dataDir, int brokerPort, int registryPort, int sessionServicePort, int projectorPort,
                            Map<String, String> sessionServiceProperties, Map<String, String> projectorProperties,
                            ServiceOutput output, Duration readinessTimeout, String externalBootstrapServers,
                            String externalSchemaRegistryUrl, Path home, boolean classDataSharing,
                            boolean brokerProcess) {
    }

    private EmbeddedSystem(Settings config) {
        this.config = config;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts everything and returns once both services are healthy. On failure, whatever was started
     * is stopped again before the exception is thrown. {@link #close()} may be called from another thread (a
     * shutdown hook) while this runs: it stops what has started and this method then fails.
     */
    public EmbeddedSystem start() {
        try {
            Path projectorJar = serviceJar("projector");
            Path sessionServiceJar = serviceJar("session-service");
            // Probe every fixed port before starting anything, so a clash costs no start-up time.
            projectorPort = Ports.resolve(config.projectorPort(), "projector");
            sessionServicePort = Ports.resolve(config.sessionServicePort(), "session-service");
            int brokerPort = config.externalBootstrapServers() == null
                    ? Ports.resolve(config.brokerPort(), "Kafka broker") : -1;
            int registryPort = config.externalSchemaRegistryUrl() == null
                    ? Ports.resolve(config.registryPort(), "schema registry") : -1;
            bootstrapServers = config.externalBootstrapServers() == null
                    ? "localhost:" + brokerPort : config.externalBootstrapServers();
            schemaRegistryUrl = config.externalSchemaRegistryUrl() == null
                    ? "http://localhost:" + registryPort : config.externalSchemaRegistryUrl();
            long started = System.nanoTime();
            ServiceProcess projectorProcess = startProjector(projectorJar);
            ServiceProcess sessionService = startSessionService(sessionServiceJar);
            startBroker(brokerPort, registryPort);
            startRegistry(registryPort);
            awaitHealthy(projectorProcess, started);
            awaitHealthy(sessionService, started);
            startedFromClassDataArchives = projectorProcess.startedFromClassDataArchive()
                    && sessionService.startedFromClassDataArchive()
                    && (brokerStartedFromClassDataArchive || !brokerIsEmbedded() || !config.brokerProcess());
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void startBroker(int port, int registryPort) {
        if (config.externalBootstrapServers() != null) {
            LOG.info("using the Kafka cluster at {}", bootstrapServers);
            return;
        }
        long started = System.nanoTime();
        if (config.brokerProcess()) {
            boolean withRegistry = config.externalSchemaRegistryUrl() == null;
            ServiceProcess broker = ServiceProcess.launch(BrokerProcess.spec(config.dataDir(), port,
                            withRegistry ? OptionalInt.of(registryPort) : OptionalInt.empty(), Ports.free())
                    .withOutput(config.output())
                    .withReadinessTimeout(config.readinessTimeout())
                    .withClassDataSharing(config.classDataSharing()));
            register(infrastructure, withRegistry ? "Kafka broker and schema registry" : "Kafka broker", broker);
            watch(broker);
            broker.awaitHealthy();
            brokerStartedFromClassDataArchive = broker.startedFromClassDataArchive();
            LOG.info("Kafka broker ready on {}{} in {} (data in {})", bootstrapServers,
                    withRegistry ? ", schema registry on " + schemaRegistryUrl : "", since(started), config.dataDir());
            return;
        }
        register(infrastructure, "Kafka broker", EmbeddedKafkaBroker.start(config.dataDir(), port));
        LOG.info("Kafka broker ready on {} in {} (data in {})", bootstrapServers, since(started), config.dataDir());
    }

    private void startRegistry(int port) {
        if (config.externalSchemaRegistryUrl() != null) {
            LOG.info("using the schema registry at {}", schemaRegistryUrl);
            return;
        }
        if (config.brokerProcess() && config.externalBootstrapServers() == null) {
            return; // started with the broker, in its process
        }
        long started = System.nanoTime();
        EmbeddedSchemaRegistry registry =
                EmbeddedSchemaRegistry.start(bootstrapServers, "localhost", port, EmbeddedSchemaRegistry.DEFAULT_TOPIC);
        register(infrastructure, "schema registry", registry);
        LOG.info("schema registry ready on {} in {}", schemaRegistryUrl, since(started));
    }

    /** Launches the projector without waiting for it to be healthy. */
    private ServiceProcess startProjector(Path jar) {
        projectorJar = jar;
        // One stopper for every projector process this system runs: after a restart it stops the new one.
        register("projector", () -> {
            ServiceProcess current = projector;
            if (current != null) {
                current.stop();
            }
        });
        return launchProjector();
    }

    private ServiceProcess launchProjector() {
        Map<String, String> properties = sharedServiceProperties();
        properties.put("kafka.streams.default.state.dir", config.dataDir().resolve("projector-state").toString());
        properties.put("customer-sessions.streams.application-server", "localhost:" + projectorPort);
        properties.putAll(config.projectorProperties());
        ServiceProcess service = ServiceProcess.launch(ServiceProcess.Spec.of("projector",
                        new ServiceProcess.Launch.Jar(projectorJar), projectorPort)
                .withProperties(properties)
                .withClassDataSharing(config.classDataSharing())
                .withOutput(config.output())
                .withReadinessTimeout(config.readinessTimeout()));
        projector = service;
        watch(service);
        synchronized (lock) {
            if (closed) {
                // close() may have run before the field was set: this process is then nobody else's to stop.
                service.stop();
                throw new IllegalStateException("stopped while starting the projector");
            }
        }
        return service;
    }

    private void watch(ServiceProcess service) {
        service.unexpectedExit().thenAccept(code ->
                failure.complete(service.name() + " exited unexpectedly with code " + code));
    }

    /**
     * Completes, with what happened, when one of this system's child processes exits on its own (a crash, a kill
     * from outside): the system is then broken until restarted. Never after {@link #close()} or
     * {@link #killProjector()}, which stop their children on purpose.
     */
    public CompletableFuture<String> failure() {
        return failure;
    }

    private static void awaitHealthy(ServiceProcess service, long launched) {
        service.awaitHealthy();
        LOG.info("{} ready on {} in {}", service.name(), service.url(), since(launched));
    }

    /**
     * Kills the projector child with SIGKILL, as a crash would (no graceful shutdown, no group leave, open
     * transactions left to be aborted); the rest of the system keeps running. For crash tests; see
     * {@link #startProjector()}.
     */
    public void killProjector() {
        ServiceProcess current = requireProjector();
        LOG.info("killing the projector (pid {})", current.handle().pid());
        current.kill();
    }

    /**
     * Starts the projector again, on the same port and state directory, after {@link #killProjector()}, and returns
     * once it is healthy. Fails if it is still running.
     */
    public void startProjector() {
        if (requireProjector().isAlive()) {
            throw new IllegalStateException("the projector is running; kill it first");
        }
        long started = System.nanoTime();
        awaitHealthy(launchProjector(), started);
    }

    private ServiceProcess requireProjector() {
        ServiceProcess current = projector;
        if (current == null) {
            throw new IllegalStateException("the projector has not been started");
        }
        return current;
    }

    /** Launches the session-service without waiting for it to be healthy. */
    private ServiceProcess startSessionService(Path jar) {
        Map<String, String> properties = sharedServiceProperties();
        // Reads and dry runs are answered by the projector.
        properties.put("customer-sessions.projector.url", projectorUrl());
        properties.putAll(config.sessionServiceProperties());
        ServiceProcess service = ServiceProcess.launch(ServiceProcess.Spec.of("session-service",
                        new ServiceProcess.Launch.Jar(jar), sessionServicePort)
                .withProperties(properties)
                .withClassDataSharing(config.classDataSharing())
                .withOutput(config.output())
                .withReadinessTimeout(config.readinessTimeout()));
        // Registered before it is healthy, so a shutdown during its start-up stops it too.
        register("session-service", service);
        watch(service);
        return service;
    }

    private Map<String, String> sharedServiceProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("kafka.bootstrap.servers", bootstrapServers);
        properties.put("customer-sessions.schema-registry.url", schemaRegistryUrl);
        // This machine only, as the broker and the registry: the demo's keys are published in the README.
        properties.put("micronaut.server.host", "localhost");
        if (brokerIsEmbedded()) {
            // The services start while the embedded broker does, and usually get to Kafka first: their clients'
            // warnings that it is not listening yet, a dozen per service, would be the start-up's only output.
            properties.put("logger.levels.org.apache.kafka.clients.NetworkClient", "ERROR");
        }
        return properties;
    }

    private Path serviceJar(String module) {
        return ProjectHome.serviceJar(config.home(), module);
    }

    private void register(String name, AutoCloseable stopper) {
        register(running, name, stopper);
    }

    private void register(Deque<Running> into, String name, AutoCloseable stopper) {
        synchronized (lock) {
            if (!closed) {
                into.push(new Running(name, stopper));
                return;
            }
        }
        stopQuietly(new Running(name, stopper));
        throw new IllegalStateException("stopped while starting " + name);
    }

    /** Stops everything that runs, most recently started first. Idempotent; safe from a shutdown hook. */
    @Override
    public void close() {
        List<Running> toStop;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            toStop = new ArrayList<>(running);
            toStop.addAll(infrastructure);
            running.clear();
            infrastructure.clear();
        }
        // Stopping one child can take its whole grace period: the others, signalled meanwhile (a terminal's
        // Ctrl-C reaches them all), are not to report their exits as unexpected.
        Optional.ofNullable(projector).ifPresent(ServiceProcess::expectStop);
        toStop.stream().map(Running::stopper).filter(ServiceProcess.class::isInstance).map(ServiceProcess.class::cast)
                .forEach(ServiceProcess::expectStop);
        toStop.forEach(EmbeddedSystem::stopQuietly);
    }

    private static void stopQuietly(Running component) {
        long started = System.nanoTime();
        try {
            component.stopper().close();
            LOG.info("{} stopped in {}", component.name(), since(started));
        } catch (Exception e) {
            LOG.error("{} did not stop cleanly", component.name(), e);
        }
    }

    private static String since(long startedNanos) {
        return String.format("%.1f s", (System.nanoTime() - startedNanos) / 1e9);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String schemaRegistryUrl() {
        return schemaRegistryUrl;
    }

    public int projectorPort() {
        return projectorPort;
    }

    public int sessionServicePort() {
        return sessionServicePort;
    }

    public String projectorUrl() {
        return "http://localhost:" + projectorPort;
    }

    public String sessionServiceUrl() {
        return "http://localhost:" + sessionServicePort;
    }

    public Path dataDir() {
        return config.dataDir();
    }

    /**
     * Whether every JVM this system started (both services, and a {@link Builder#brokerProcess}) started from a
     * class-data archive recorded earlier (see {@link Builder#classDataSharing}).
     */
    public boolean startedFromClassDataArchives() {
        return startedFromClassDataArchives;
    }

    public boolean brokerIsEmbedded() {
        return config.externalBootstrapServers() == null;
    }

    public boolean registryIsEmbedded() {
        return config.externalSchemaRegistryUrl() == null;
    }

    /** Defaults are the fixed ports a newcomer's curl commands use; tests pass 0 for free ports. */
    public static final class Builder {

        private Path dataDir = Path.of("data");
        private int brokerPort = 9092;
        private int registryPort = 8085;
        private int sessionServicePort = 8080;
        private int projectorPort = 8081;
        private final Map<String, String> sessionServiceProperties = new HashMap<>();
        private final Map<String, String> projectorProperties = new HashMap<>();
        private ServiceOutput output = ServiceOutput.console();
        /** Generous: a child that is slow rather than stuck (a busy host, a restore) should not fail the launch. */
        private Duration readinessTimeout = Duration.ofSeconds(180);
        private String externalBootstrapServers;
        private String externalSchemaRegistryUrl;
        private Path home = ProjectHome.current();
        private boolean classDataSharing;
        private boolean brokerProcess;

        private Builder() {
        }

        /**
         * Applies {@code KAFKA_BOOTSTRAP_SERVERS} (use that cluster, start no broker), {@code SCHEMA_REGISTRY_URL}
         * (use that registry) and {@code CUSTOMER_SESSIONS_DATA_DIR}, where set and not blank.
         */
        public Builder environment(Map<String, String> env) {
            String bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS");
            if (bootstrap != null && !bootstrap.isBlank()) {
                externalBootstrapServers(bootstrap.trim());
            }
            String registry = env.get("SCHEMA_REGISTRY_URL");
            if (registry != null && !registry.isBlank()) {
                externalSchemaRegistryUrl(registry.trim());
            }
            String data = env.get("CUSTOMER_SESSIONS_DATA_DIR");
            if (data != null && !data.isBlank()) {
                dataDir(Path.of(data.trim()));
            }
            return this;
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Builder brokerPort(int port) {
            this.brokerPort = port;
            return this;
        }

        public Builder registryPort(int port) {
            this.registryPort = port;
            return this;
        }

        public Builder sessionServicePort(int port) {
            this.sessionServicePort = port;
            return this;
        }

        public Builder projectorPort(int port) {
            this.projectorPort = port;
            return this;
        }

        /** Added to (and overriding) the properties the session-service gets; e.g. timeouts in a test. */
        public Builder sessionServiceProperties(Map<String, String> properties) {
            this.sessionServiceProperties.putAll(properties);
            return this;
        }

        public Builder projectorProperties(Map<String, String> properties) {
            this.projectorProperties.putAll(properties);
            return this;
        }

        public Builder output(ServiceOutput output) {
            this.output = output;
            return this;
        }

        public Builder readinessTimeout(Duration timeout) {
            this.readinessTimeout = timeout;
            return this;
        }

        public Builder externalBootstrapServers(String bootstrapServers) {
            this.externalBootstrapServers = bootstrapServers;
            return this;
        }

        public Builder externalSchemaRegistryUrl(String url) {
            this.externalSchemaRegistryUrl = url;
            return this;
        }

        public Builder home(Path home) {
            this.home = home;
            return this;
        }

        /**
         * Start the services (and a {@link #brokerProcess}) with a class-data archive of their jar ({@link
         * ClassDataArchive}), kept beside the jar in {@code class-data/}: the first start records it when the
         * service stops, later starts spend less CPU loading classes. Off by default, so a test's start is the same
         * every time.
         */
        public Builder classDataSharing(boolean enabled) {
            this.classDataSharing = enabled;
            return this;
        }

        /**
         * Run the embedded broker in a child JVM ({@link BrokerProcess}) instead of this one: with {@link
         * #classDataSharing} it then starts from a class-data archive too. Off by default: in this JVM.
         */
        public Builder brokerProcess(boolean enabled) {
            this.brokerProcess = enabled;
            return this;
        }

        /** The system, not started yet: register its {@link #close()} in a shutdown hook, then {@link #start()}. */
        public EmbeddedSystem build() {
            return new EmbeddedSystem(new Settings(dataDir.toAbsolutePath().normalize(), brokerPort, registryPort,
                    sessionServicePort, projectorPort, Map.copyOf(sessionServiceProperties),
                    Map.copyOf(projectorProperties), output, readinessTimeout, externalBootstrapServers,
                    externalSchemaRegistryUrl, home, classDataSharing, brokerProcess));
        }

        public EmbeddedSystem start() {
            return build().start();
        }
    }
}
