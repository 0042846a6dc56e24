package io.customersessions.launcher;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code java -jar launcher/target/launcher.jar}: starts the whole system on this machine, drives the demo
 * checkout through it, and keeps running until Ctrl-C or SIGTERM, when it stops everything in order.
 */
public final class Launcher {

    /** The development Integration API key of the embedded default (application 1), as the curl examples send it. */
    private static final String KEY_HEADER = "Authorization: " + DemoTraffic.AUTHORIZATION;

    static final String USAGE = """
            usage: java -jar launcher/target/launcher.jar [--data-dir <path>] [--sessions <n>] [--no-demo] [--help]

              --data-dir <path>  where Kafka and the projector keep their data (default ./data,
                                 or $CUSTOMER_SESSIONS_DATA_DIR); it survives restarts
              --sessions <n>     how many demo checkout sessions to drive (default 300)
              --no-demo          start the system without demo traffic
              --help             this text

            environment:
              KAFKA_BOOTSTRAP_SERVERS  use this Kafka cluster instead of the embedded broker
              SCHEMA_REGISTRY_URL      use this schema registry instead of the embedded one
            """;

    /** The command line, parsed. {@code dataDir} empty: environment or default. */
    record Options(Optional<Path> dataDir, boolean demo, int sessions, boolean help) {

        static Options parse(String... args) {
            Optional<Path> dataDir = Optional.empty();
            boolean demo = true;
            int sessions = 300;
            boolean help = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--data-dir" -> dataDir = Optional.of(Path.of(valueOf(args, ++i, "--data-dir")));
                    case "--sessions" -> sessions = positive(valueOf(args, ++i, "--sessions"));
                    case "--no-demo" -> demo = false;
                    case "--help", "-h" -> help = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            return new Options(dataDir, demo, sessions, help);
        }

        private static String valueOf(String[] args, int index, String option) {
            if (index >= args.length || args[index].startsWith("--")) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[index];
        }

        private static int positive(String value) {
            try {
                int number = Integer.parseInt(value);
                if (number > 0) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // Reported below, like zero or a negative number.
            }
            throw new IllegalArgumentException("--sessions needs a positive whole number, not " + value);
        }
    }

    private Launcher() {
    }

    public static void main(String[] args) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(USAGE);
            return;
        }

        EmbeddedSystem.Builder builder = EmbeddedSystem.builder().environment(System.getenv())
                .output(ServiceOutput.console())
                .classDataSharing(true)
                .brokerProcess(true);
        options.dataDir().ifPresent(builder::dataDir);
        EmbeddedSystem system = builder.build();

        // The one shutdown hook: registered before anything starts, so Ctrl-C during start-up also stops cleanly.
        AtomicBoolean shuttingDown = new AtomicBoolean();
        Thread shutdownHook = new Thread(() -> {
            shuttingDown.set(true);
            System.out.println("stopping…");
            system.close();
            System.out.println("stopped");
        }, "launcher-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);

        long started = System.nanoTime();
        try {
            system.start();
        } catch (RuntimeException e) {
            if (shuttingDown.get()) {
                return; // interrupted by Ctrl-C: the hook reports
            }
            // start() has already stopped whatever it had started: nothing is left for the hook to do.
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
            System.err.println("could not start: " + e.getMessage());
            System.exit(1);
        }
        double startSeconds = (System.nanoTime() - started) / 1e9;

        Optional<String> exampleSession = Optional.empty();
        if (options.demo()) {
            exampleSession = runDemo(system, options.sessions());
        }
        System.out.println(banner(system, startSeconds, exampleSession));
        serveUntilStopped(system);
    }

    /**
     * Blocks until Ctrl-C or SIGTERM runs the shutdown hook and ends the JVM, or until one of the system's children
     * dies: a half-running system would look alive to whoever supervises this process, so it then exits with 1, and
     * the shutdown hook stops the rest.
     */
    public static void serveUntilStopped(EmbeddedSystem system) {
        String failure = system.failure().join();
        System.err.println(failure + ": stopping everything");
        System.exit(1);
    }

    private static Optional<String> runDemo(EmbeddedSystem system, int sessions) {
        String runId = Long.toString(System.currentTimeMillis(), 36);
        System.out.println("running the demo checkout: " + sessions + " sessions…");
        try {
            DemoTraffic.Summary summary = DemoTraffic.run(system.sessionServiceUrl(), runId, sessions);
            System.out.println(summary.report());
            return Optional.of(summary.exampleSessionId());
        } catch (RuntimeException e) {
            System.err.println("the demo checkout failed: " + e);
            return Optional.empty();
        }
    }

    static String banner(EmbeddedSystem system, double startSeconds, Optional<String> exampleSession) {
        String kafka = system.bootstrapServers()
                + (system.brokerIsEmbedded() ? " (embedded, data in " + system.dataDir() + ")" : " (external)");
        String registry = system.schemaRegistryUrl() + (system.registryIsEmbedded() ? " (embedded)" : " (external)");
        String read = exampleSession
                .map(id -> "  curl -H '" + KEY_HEADER + "' " + system.sessionServiceUrl() + "/v2/customer_sessions/"
                        + id + "\n")
                .orElse("");
        return String.format("""

                customer-sessions is running (started in %.1f s)
                  session-service  %s   Integration API: /v1 and /v2/customer_sessions/{id} (returns, reopen, discounts)
                  projector        %s   reads and Management API: /v1/applications/{id}/sessions
                  Kafka            %s
                  schema registry  %s

                try (development key of application 1; the README lists every endpoint):
                %s  curl -X PUT %s/v2/customer_sessions/my-first-session -H '%s' -H 'Content-Type: application/json' \\
                    -d '{"customerSession": {"profileId": "customer-1", "state": "open", "cartItems": [{"name": "Merino socks", "sku": "SOCK-MERINO-M", "quantity": 2, "price": 12.99, "category": "apparel"}]}, "responseContent": ["customerSession"]}'
                  curl -H '%s' %s/v2/customer_sessions/my-first-session

                press Ctrl-C to stop
                """, startSeconds, system.sessionServiceUrl(), system.projectorUrl(), kafka, registry, read,
                system.sessionServiceUrl(), KEY_HEADER, KEY_HEADER, system.sessionServiceUrl());
    }
}
