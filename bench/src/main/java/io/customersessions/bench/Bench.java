package io.customersessions.bench;

import io.customersessions.bench.BenchOptions.Phase;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.admin.TopicAdmin;
import io.customersessions.eventlog.serde.AvroSchemas;
import io.customersessions.launcher.EmbeddedKafkaBroker;
import io.customersessions.launcher.ProjectHome;
import io.customersessions.launcher.registry.EmbeddedSchemaRegistry;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code java -jar bench/target/bench.jar}: measures the whole system on this machine in one run, on one embedded
 * broker started in a fresh temporary directory, and prints one table with the targets beside the figures (also
 * written as Markdown). The phases, in order:
 * <ol>
 *   <li>limit: raw produce and consume+decode rates of realistic command records, after warm-up rounds of other
 *       commands;</li>
 *   <li>fold: the same commands through the real exactly-once topology, in this JVM, after a warm-up fold of
 *       other commands;</li>
 *   <li>updates: {@code PUT /v2/customer_sessions/{id}} through the session-service with wrk;</li>
 *   <li>reads: GET by id and a Management listing from the projector with wrk;</li>
 *   <li>footprint: cold start (of a fresh system of its own, measured before the others start), and the
 *       projector's heap and RSS with many sessions loaded;</li>
 *   <li>replay: the replay verifier over everything the phases before wrote, the footprint's sessions included.</li>
 * </ol>
 * Everything started is stopped on exit and on Ctrl-C (child JVMs, wrk, broker), and the data directory removed.
 */
public final class Bench {

    private Bench() {
    }

    /** What a run measured; the phases skipped or failed are empty. */
    record Outcome(Report report, Path reportFile, Optional<LimitWarmup> limitWarmup,
                   Optional<KafkaLimits.Rate> produced, Optional<KafkaLimits.Rate> consumed,
                   Optional<FoldWarmup> foldWarmup,
                   Optional<FoldRun.Result> fold) {
    }

    public static void main(String[] args) {
        // Before anything logs: our configuration, not one of the other modules' logback.xml.
        System.setProperty("logback.configurationFile", "bench-logback.xml");
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        Resources resources = new Resources();
        Thread hook = new Thread(resources::close, "bench-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            run(options, commandLine(args), resources, System.out);
        } catch (RuntimeException e) {
            if (resources.isClosed()) {
                System.err.println("bench: stopped");
                return; // Ctrl-C or SIGTERM: the hook has stopped everything, the JVM is exiting
            }
            System.err.println("bench: failed: " + e);
            e.printStackTrace(System.err);
            resources.close();
            System.exit(1);
        }
        resources.close();
        Runtime.getRuntime().removeShutdownHook(hook);
    }

    /** Runs the selected phases, prints the table to {@code out} and writes the Markdown report. */
    static Outcome run(BenchOptions options, String commandLine, Resources resources, PrintStream out) {
        AvroSchemas.trustGeneratedClasses();
        String runId = Long.toString(System.currentTimeMillis(), 36);
        Machine machine = Machine.current();
        Path reportFile = options.report().orElseGet(Bench::defaultReportFile).toAbsolutePath();
        out.println("customer-sessions bench " + runId);
        out.println("  " + commandLine);
        machine.lines().forEach(line -> out.println("  " + line));

        boolean runsTheSystem = Stream.of(Phase.UPDATES, Phase.READS, Phase.REPLAY, Phase.FOOTPRINT)
                .anyMatch(options::runs);
        if (runsTheSystem) {
            ProjectHome.requireServiceJars(ProjectHome.current()); // now, not after the limit and fold phases
        }
        Report report = new Report();
        Optional<HostCpu> runStarted = HostCpu.now();
        Optional<LimitWarmup> limitWarmup = Optional.empty();
        Optional<KafkaLimits.Rate> produced = Optional.empty();
        Optional<KafkaLimits.Rate> consumed = Optional.empty();
        Optional<FoldWarmup> foldWarmup = Optional.empty();
        Optional<FoldRun.Result> fold = Optional.empty();

        Path dataDir = createTempDir();
        resources.add(() -> deleteRecursively(dataDir));
        long brokerStarted = System.nanoTime();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), 0);
        resources.add(broker);
        long brokerNanos = System.nanoTime() - brokerStarted;
        long registryStarted = System.nanoTime();
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), "localhost", 0,
                EmbeddedSchemaRegistry.DEFAULT_TOPIC);
        resources.add(registry);
        long registryNanos = System.nanoTime() - registryStarted;
        String bootstrap = broker.bootstrapServers();
        String registryUrl = registry.url();
        out.printf(Locale.ROOT, "  broker on %s (%.1f s), schema registry on %s (%.1f s), data in %s%n", bootstrap,
                brokerNanos / 1e9, registryUrl, registryNanos / 1e9, dataDir);

        if (options.runs(Phase.LIMIT) || options.runs(Phase.FOLD)) {
            Topics topics = Topics.defaults().withPrefix("bench-" + runId + "-");
            TopicAdmin.ensureTopics(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), topics, 6,
                    (short) 1, 60_000);
            if (options.runs(Phase.LIMIT)) {
                limitWarmup = Optional.of(limitWarmup(options, runId, bootstrap, registryUrl, out));
                addLimitWarmup(report, limitWarmup.get());
            }
            progress(out, "limit: preparing " + options.commands() + " commands");
            produced = Optional.of(limits(options, runId, topics, bootstrap, registryUrl, report, out));
            if (options.runs(Phase.LIMIT)) {
                progress(out, "limit: consuming");
                Optional<HostCpu> consumeStarted = HostCpu.now();
                KafkaLimits.Rate rate = KafkaLimits.consume(bootstrap, topics.commands(), registryUrl,
                        options.commands());
                consumed = Optional.of(rate);
                report.add("limit", "consume read_committed + AvroWireDeserializer",
                        rate(rate.perSecond(), "records/s") + String.format(Locale.ROOT, " · %.1f MB/s",
                                rate.megabytesPerSecond()) + HostCpu.stealSince(consumeStarted));
            }
            if (options.runs(Phase.FOLD) && options.foldWarmup() > 0) {
                foldWarmup = Optional.of(foldWarmup(options, runId, bootstrap, registryUrl, dataDir, out));
                addFoldWarmup(report, foldWarmup.get());
            }
            if (options.runs(Phase.FOLD)) {
                progress(out, "fold: running the topology over " + options.commands() + " commands");
                Optional<HostCpu> foldStarted = HostCpu.now();
                FoldRun.Result result = FoldRun.run(bootstrap, registryUrl, topics, options.commands(),
                        dataDir.resolve("fold-state"), runId);
                fold = Optional.of(result);
                addFold(report, result, consumed, HostCpu.stealSince(foldStarted));
            }
        }

        if (runsTheSystem) {
            SystemPhases phases = new SystemPhases(options, runId, bootstrap, registryUrl, report, out, resources,
                    reportFile.getParent().resolve("bench-logs"), dataDir.resolve("system"));
            phases.run();
        }

        runStarted.flatMap(start -> HostCpu.now().flatMap(end -> end.stealShareSince(start))).ifPresent(share ->
                report.note(String.format(Locale.ROOT, "steal: the share of the machine's CPU time that its hypervisor"
                        + " gave to other guests during a measurement (/proc/stat); figures measured under steal are"
                        + " lower than this machine can do. Whole run: %.0f %%", 100 * share)));
        String markdown = markdown(commandLine, machine, report);
        writeReport(reportFile, markdown);
        out.println();
        out.print(report.text());
        out.println();
        out.println("report: " + reportFile);
        return new Outcome(report, reportFile, limitWarmup, produced, consumed, foldWarmup, fold);
    }

    /**
     * Rounds of producing and consuming {@code --commands} other commands, as the measured limit does, on a topic
     * of their own, until the JIT compilers are quiet ({@link JitWarmup}, at most {@code --warmup-limit}): measured
     * cold, the raw rates were a third of what the same broker and clients do once compiled, and the fold (measured
     * warm) was compared with that. Each round appends the commands again and reads the first {@code --commands}
     * records of the topic back: the same work each time.
     */
    private static LimitWarmup limitWarmup(BenchOptions options, String runId, String bootstrap, String registryUrl,
                                           PrintStream out) {
        long started = System.nanoTime();
        Topics topics = Topics.defaults().withPrefix("bench-" + runId + "-limit-warmup-");
        TopicAdmin.ensureTopics(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), topics, 6,
                (short) 1, 60_000);
        String topic = topics.commands();
        progress(out, "limit: preparing " + options.commands() + " other commands for the warm-up");
        KafkaLimits.Prepared prepared = KafkaLimits.prepare(runId + "-limit-warmup", options.commands(), topic,
                registryUrl);
        List<Long> thisJvm = List.of(ProcessHandle.current().pid());
        progress(out, "limit: warm-up, rounds of producing and consuming them until the JIT compilers are quiet");
        List<Double> jitCores = JitWarmup.rounds(options.warmupLimit(), () -> JitWarmup.coresDuring(thisJvm, () -> {
            KafkaLimits.produce(bootstrap, topic, prepared);
            KafkaLimits.consume(bootstrap, topic, registryUrl, prepared.count());
        }));
        return new LimitWarmup(prepared.count(), jitCores, System.nanoTime() - started);
    }

    /**
     * The warm-up rounds before the measured limit: {@code records} produced and consumed per round, the cores the
     * JIT compilers used during each round (0 where {@code /proc} does not show them), how long they took in all.
     */
    record LimitWarmup(int records, List<Double> jitCores, long nanos) {
    }

    private static void addLimitWarmup(Report report, LimitWarmup warmup) {
        report.add("limit", "warm-up (not measured: compiles the broker's and the clients' code)",
                String.format(Locale.ROOT, "%,d other commands produced and consumed %d time(s), %.0f s; JIT %.0f %% "
                                + "of a core in the last round", warmup.records(), warmup.jitCores().size(),
                        warmup.nanos() / 1e9, 100 * warmup.jitCores().get(warmup.jitCores().size() - 1)));
    }

    /**
     * The same kind of commands (other sessions) through the same topology, on topics and an application id of their
     * own, before the measured fold: the JIT then compiles the broker, Kafka Streams and the topology before the
     * clock of the measured run starts, as in a projector that has been running for a while. Rounds of {@code
     * --fold-warmup} commands, each on topics of its own, until the JIT compilers are quiet ({@link JitWarmup}, at
     * most {@code --warmup-limit}).
     */
    private static FoldWarmup foldWarmup(BenchOptions options, String runId, String bootstrap, String registryUrl,
                                         Path dataDir, PrintStream out) {
        long started = System.nanoTime();
        List<FoldRun.Result> rounds = new ArrayList<>();
        JitWarmup.rounds(options.warmupLimit(), () -> {
            String round = runId + "-warmup" + (rounds.size() + 1);
            Topics topics = Topics.defaults().withPrefix("bench-" + round + "-");
            TopicAdmin.ensureTopics(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), topics, 6,
                    (short) 1, 60_000);
            progress(out, "fold: warm-up round " + (rounds.size() + 1) + ", " + options.foldWarmup()
                    + " other commands");
            KafkaLimits.produce(bootstrap, topics.commands(),
                    KafkaLimits.prepare(round, options.foldWarmup(), topics.commands(), registryUrl));
            FoldRun.Result result = FoldRun.run(bootstrap, registryUrl, topics, options.foldWarmup(),
                    dataDir.resolve(round), round);
            rounds.add(result);
            return result.jitCores().orElse(0.0);
        });
        return new FoldWarmup(rounds, System.nanoTime() - started);
    }

    /** The warm-up rounds before the measured fold, and how long they took in all. */
    record FoldWarmup(List<FoldRun.Result> rounds, long nanos) {

        long commands() {
            return rounds.stream().mapToLong(FoldRun.Result::commands).sum();
        }

        FoldRun.Result last() {
            return rounds.get(rounds.size() - 1);
        }
    }

    private static void addFoldWarmup(Report report, FoldWarmup warmup) {
        FoldRun.Result last = warmup.last();
        report.add("fold", "warm-up (not measured: compiles the code the fold runs)", String.format(Locale.ROOT,
                "%,d other commands in %d round(s), %.0f s; last round %s, JIT %s", warmup.commands(),
                warmup.rounds().size(), warmup.nanos() / 1e9, rate(last.perSecond(), "commands/s"),
                last.jitCores().map(cores -> String.format(Locale.ROOT, "%.0f %% of a core", 100 * cores))
                        .orElse("not measured")));
    }

    private static KafkaLimits.Rate limits(BenchOptions options, String runId, Topics topics, String bootstrap,
                                           String registryUrl, Report report, PrintStream out) {
        Optional<HostCpu> prepareStarted = HostCpu.now();
        KafkaLimits.Prepared prepared = KafkaLimits.prepare(runId, options.commands(), topics.commands(),
                registryUrl);
        String prepareSteal = HostCpu.stealSince(prepareStarted);
        progress(out, "limit: producing");
        Optional<HostCpu> produceStarted = HostCpu.now();
        KafkaLimits.Rate rate = KafkaLimits.produce(bootstrap, topics.commands(), prepared);
        String steal = HostCpu.stealSince(produceStarted);
        if (options.runs(Phase.LIMIT)) {
            report.add("limit", "records", String.format(Locale.ROOT, "%,d commands, %.0f bytes on average (%s)",
                    prepared.count(), prepared.bytes() / (double) prepared.count(), mix(prepared.mix())));
            // One thread, no broker, no I/O: the same work in every run, so it shows how fast the machine was.
            report.add("limit", "serialize (AvroWireSerializer, one thread: the machine's speed)",
                    rate(prepared.count() / (Math.max(1, prepared.serializeNanos()) / 1e9), "records/s")
                            + prepareSteal);
            report.add("limit", "produce, idempotent, acks=all",
                    rate(rate.perSecond(), "records/s") + String.format(Locale.ROOT, " · %.1f MB/s",
                            rate.megabytesPerSecond()) + steal);
            report.note("producer: " + KafkaLimits.PRODUCER_SETTINGS.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + "=" + e.getValue()).toList()
                    + "; MB/s counts key + serialized value, before compression");
        }
        return rate;
    }

    private static void addFold(Report report, FoldRun.Result result, Optional<KafkaLimits.Rate> consumed,
                                String steal) {
        String ratio = consumed.map(c -> String.format(Locale.ROOT, " · %.0f %% of raw consume+decode",
                100 * result.perSecond() / c.perSecond())).orElse("");
        report.add("fold", "commands → outcomes committed (from start)",
                rate(result.perSecond(), "commands/s") + ratio + steal, "≥ 100,000 commands/s",
                result.perSecond() >= 100_000);
        report.add("fold", "same, from RUNNING (after assignment)",
                rate(result.perSecondWhileRunning(), "commands/s"));
        report.add("fold", "transactions (commits)", String.format(Locale.ROOT,
                "%,d · %.1f commands each · %.1f ms per commit on average: flush %.1f, offsets %.1f, commit %.1f",
                result.transactions(), result.commands() / (double) Math.max(1, result.transactions()),
                result.commitTime().totalMs(), result.commitTime().flushMs(), result.commitTime().offsetsMs(),
                result.commitTime().commitMs()));
        FoldRun.Costs costs = result.costs();
        report.add("fold", "cost per command", String.format(Locale.ROOT,
                "%,.0f µs CPU of the JVM (broker included), %,.0f µs of it on the stream thread; %.1f records sent",
                costs.jvmCpuMicrosPerCommand(), costs.streamThreadCpuMicrosPerCommand(),
                costs.recordsSentPerCommand()));
        report.add("fold", "stream thread's time", String.format(Locale.ROOT,
                "%.0f %% on CPU, %.0f %% blocked in commits (flush, offsets, commit), the rest waiting"
                        + " (poll, CPU queue)",
                100 * costs.streamThreadBusyShare(), 100 * costs.commitShare()));
        report.add("fold", "JIT compiler's share of the JVM's CPU", String.format(Locale.ROOT,
                "%.0f %% (compiling the broker, Kafka Streams and the topology while they run)",
                100 * costs.jitShareOfJvmCpu()));
        result.secondHalf().ifPresent(half -> report.add("fold", "second half of the commands (JIT warmer)",
                String.format(Locale.ROOT, "%s · %,.0f µs CPU of the JVM per command, %,.0f µs on the stream thread"
                                + " · JIT %.0f %% of the CPU", rate(half.perSecond(), "commands/s"),
                        half.jvmCpuMicrosPerCommand(), half.streamThreadCpuMicrosPerCommand(),
                        100 * half.jitShareOfJvmCpu())));
        report.add("fold", "outcomes committed", String.format(Locale.ROOT, "%,d of %,d commands (%,d rejected)",
                result.outcomes(), result.commands(), result.rejected()), "every command",
                result.outcomes() == result.commands());
        report.note("fold: the projector's streams settings from its application.yml: " + result.settings().entrySet()
                .stream().sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    static String rate(double perSecond, String unit) {
        return String.format(Locale.ROOT, "%,.0f %s", perSecond, unit);
    }

    private static String mix(Map<Workload.Kind, Integer> mix) {
        int total = mix.values().stream().mapToInt(Integer::intValue).sum();
        List<String> parts = new ArrayList<>();
        mix.forEach((kind, count) -> parts.add(String.format(Locale.ROOT, "%s %.0f %%",
                kind.name().toLowerCase(Locale.ROOT), 100.0 * count / Math.max(1, total))));
        return String.join(", ", parts);
    }

    static void progress(PrintStream out, String message) {
        out.printf(Locale.ROOT, "%tT %s%n", System.currentTimeMillis(), message);
    }

    private static String markdown(String commandLine, Machine machine, Report report) {
        StringBuilder md = new StringBuilder("# customer-sessions benchmark\n\n```\n").append(commandLine)
                .append("\n```\n\n");
        machine.lines().forEach(line -> md.append("- ").append(line).append('\n'));
        return md.append('\n').append(report.markdown()).toString();
    }

    /** The JVM's own command line when the OS tells it, else the documented form with these arguments. */
    private static String commandLine(String[] args) {
        return ProcessHandle.current().info().commandLine()
                .orElse("java -jar bench/target/bench.jar " + String.join(" ", args));
    }

    /** {@code bench-report.md} next to the bench jar ({@code bench/target/}), or in {@code target/} in the IDE. */
    private static Path defaultReportFile() {
        try {
            Path location = Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.getParent().resolve("bench-report.md");
        } catch (Exception e) {
            return Path.of("bench", "target", "bench-report.md");
        }
    }

    private static void writeReport(Path file, String markdown) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, markdown);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + file, e);
        }
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("customer-sessions-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("bench: could not remove " + dir + ": " + e.getMessage());
        }
    }

    /** What a run started, stopped in reverse order exactly once (by the run, or by the shutdown hook). */
    static final class Resources implements AutoCloseable {

        private final List<AutoCloseable> started = new ArrayList<>();
        private boolean closed;

        synchronized void add(AutoCloseable resource) {
            if (closed) {
                closeQuietly(resource);
                throw new IllegalStateException("stopping");
            }
            started.add(resource);
        }

        synchronized boolean isClosed() {
            return closed;
        }

        @Override
        public void close() {
            List<AutoCloseable> toClose;
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                toClose = new ArrayList<>(started);
            }
            Wrk.stopRunning();
            for (int i = toClose.size() - 1; i >= 0; i--) {
                closeQuietly(toClose.get(i));
            }
        }

        private static void closeQuietly(AutoCloseable resource) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("bench: while stopping: " + e);
            }
        }
    }
}
