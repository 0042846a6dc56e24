package io.customersessions.bench;

import io.customersessions.bench.BenchOptions.Phase;
import io.customersessions.eventlog.Topics;
import io.customersessions.launcher.EmbeddedSystem;
import io.customersessions.launcher.ServiceOutput;
import io.customersessions.replay.Replay;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The phases that need the whole system: both services started as child JVMs by {@link EmbeddedSystem} on the
 * bench's broker and registry, then updates and reads over HTTP (wrk), replay, and the footprint.
 */
final class SystemPhases {

    static final String INTEGRATION_KEY = "ApiKey-v1 dev-integration-key-0001";
    static final String MANAGEMENT_KEY = "ManagementKey-v1 dev-management-key-0001";
    private static final Duration FIRST_PUT_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern REPLAY_EVENTS =
            Pattern.compile("events folded:\\s+([\\d,]+) in ([\\d.]+) s \\(([\\d,]+) events/s\\)");
    private static final Pattern REPLAY_DIFFERENCES = Pattern.compile("differences:\\s+([\\d,]+)");
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final BenchOptions options;
    private final String runId;
    private final String bootstrap;
    private final String registryUrl;
    private final Report report;
    private final PrintStream out;
    private final Bench.Resources resources;
    private final Path logDir;
    private final Path dataDir;
    /** Sessions the projector holds: those loaded for the HTTP phases, then those of the footprint. */
    private long sessionsLoaded;

    SystemPhases(BenchOptions options, String runId, String bootstrap, String registryUrl, Report report,
                 PrintStream out, Bench.Resources resources, Path logDir, Path dataDir) {
        this.options = options;
        this.runId = runId;
        this.bootstrap = bootstrap;
        this.registryUrl = registryUrl;
        this.report = report;
        this.out = out;
        this.resources = resources;
        this.logDir = logDir;
        this.dataDir = dataDir;
    }

    void run() {
        Optional<String> wrk = Wrk.version();
        boolean http = options.runs(Phase.UPDATES) || options.runs(Phase.READS);
        if (http && wrk.isEmpty()) {
            report.note("wrk is not installed at " + Wrk.BINARY + ": updates and reads were skipped "
                    + "(apt-get install wrk)");
            out.println("bench: wrk is not installed at " + Wrk.BINARY + ": skipping the HTTP phases");
        }
        wrk.ifPresent(version -> report.note("HTTP load: " + version + ", one measurement of "
                + options.duration().toSeconds() + " s per level, after unreported warm-up rounds of "
                + options.warmup().toSeconds() + " s per kind of request (below)"));
        if (options.runs(Phase.FOOTPRINT)) {
            guarded(Phase.FOOTPRINT, this::coldStart);
        }

        Bench.progress(out, "starting the projector and the session-service (logs in " + logDir + ")");
        EmbeddedSystem system = EmbeddedSystem.builder()
                .externalBootstrapServers(bootstrap)
                .externalSchemaRegistryUrl(registryUrl)
                .dataDir(dataDir)
                .projectorPort(0)
                .sessionServicePort(0)
                .output(ServiceOutput.logFiles(logDir))
                .classDataSharing(true)
                .build();
        resources.add(system);
        system.start();
        firstAcceptedPut(system);

        String processorGroup = ProjectorStreamsSettings.applicationId();
        String commands = Topics.defaults().commands();
        if (Stream.of(Phase.UPDATES, Phase.READS, Phase.REPLAY).anyMatch(options::runs)) {
            Bench.progress(out, "loading " + options.sessions() + " sessions for the HTTP phases");
            long nanos = CommandLoader.load(bootstrap, registryUrl, commands, processorGroup, runId,
                    options.sessions(), 7L);
            sessionsLoaded += options.sessions();
            report.add("updates", "load " + String.format(Locale.ROOT, "%,d", options.sessions())
                            + " sessions (producer → folded by the projector)",
                    Bench.rate(options.sessions() / (nanos / 1e9), "sessions/s"));
        }
        if (wrk.isPresent() && options.runs(Phase.UPDATES)) {
            guarded(Phase.UPDATES, () -> updates(system));
        }
        if (wrk.isPresent() && options.runs(Phase.READS)) {
            guarded(Phase.READS, () -> reads(system));
        }
        if (options.runs(Phase.FOOTPRINT)) {
            guarded(Phase.FOOTPRINT, () -> footprint(processorGroup, commands));
        }
        if (options.runs(Phase.REPLAY)) {
            // last: it verifies everything the phases before wrote, the footprint's sessions included
            guarded(Phase.REPLAY, this::replay);
        }
    }

    /** A phase that fails is reported as failed, and the next phases still run: one run, one table. */
    private void guarded(Phase phase, Runnable measurement) {
        try {
            measurement.run();
        } catch (RuntimeException e) {
            if (resources.isClosed()) {
                throw e; // stopped (Ctrl-C): no further phase
            }
            out.println("bench: the " + phase.optionName() + " phase failed: " + e);
            report.add(phase.optionName(), "failed", String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    private void updates(EmbeddedSystem system) {
        Wrk.Load load = new Wrk.Load("PUT", "/v2/customer_sessions/" + Workload.sessionIdPrefix(runId),
                options.sessions(), "", Map.of("Authorization", INTEGRATION_KEY, "Content-Type", "application/json"),
                Workload.updateBodies(256, 11L));
        Path script = Wrk.script(logDir, "updates-" + runId, load);
        measure("updates", "PUT /v2/customer_sessions/{id}", List.of("session-service.jar", "projector.jar"),
                Map.of("session-service", system.sessionServiceUrl(), "projector", system.projectorUrl()),
                system.sessionServiceUrl(), script,
                "≥ 10,000/s, p99 ≤ 25 ms", result -> result.perSecond() >= 10_000 && result.p99Micros() <= 25_000);
        report.note("updates: each PUT replaces the cart (1–30 items) of one of " + options.sessions()
                + " open sessions chosen at random, with coupons, attributes and shipping; the session-service answers"
                + " after the processor's outcome (read-your-writes). errors = answers ≥ 400 + socket errors");
    }

    private void reads(EmbeddedSystem system) {
        Wrk.Load byId = new Wrk.Load("GET", "/v2/customer_sessions/" + Workload.sessionIdPrefix(runId), options.sessions(), "", Map.of("Authorization", INTEGRATION_KEY), List.of());
        Map<String, String> projector = Map.of("projector", system.projectorUrl());
        measure("reads", "GET /v2/customer_sessions/{id} (projector)", List.of("projector.jar"), projector,
                system.projectorUrl(), Wrk.script(logDir, "reads-" + runId, byId), "≥ 30,000/s, p99 ≤ 3 ms",
                result -> result.perSecond() >= 30_000 && result.p99Micros() <= 3_000);
        Wrk.Load listing = new Wrk.Load("GET", "/v1/applications/" + Workload.APPLICATION_ID
                + "/sessions?state=open&pageSize=50", 0, "", Map.of("Authorization", MANAGEMENT_KEY), List.of());
        measure("reads", "GET /v1/applications/1/sessions?state=open&pageSize=50", List.of("projector.jar"),
                projector, system.projectorUrl(),
                Wrk.script(logDir, "listing-" + runId, listing), "", result -> true);
    }

    /**
     * Warm-up, then one measurement per concurrency level. An empty {@code target}: reported without a verdict.
     *
     * @param services the jars of the services the requests load, whose JIT the warm-up waits for
     * @param costs    the same services by name, with the base URL of each one's metrics ({@link ServiceMetrics}):
     *                 what a request cost each is reported on a row of its own
     */
    private void measure(String phase, String what, List<String> services, Map<String, String> costs,
                         String baseUrl, Path script, String target, Predicate<Wrk.Result> met) {
        if (options.warmup().toSeconds() >= 1) {
            warmUp(phase, what, services, baseUrl, script);
        }
        for (int connections : options.concurrency()) {
            Bench.progress(out, phase + ": " + what + " with " + connections + " connections");
            Map<String, Optional<ServiceMetrics>> before = new TreeMap<>();
            costs.forEach((service, url) -> before.put(service, ServiceMetrics.scrape(url)));
            Optional<HostCpu> started = HostCpu.now();
            long startedNanos = System.nanoTime();
            Wrk.Result result = Wrk.run(baseUrl, script, connections, options.duration());
            long wallNanos = System.nanoTime() - startedNanos;
            String steal = HostCpu.stealSince(started);
            String measure = what + ", c=" + connections;
            if (result.requests() == 0) {
                report.add(phase, measure, String.format(Locale.ROOT, "no request completed in %d s · errors %,d",
                        options.duration().toSeconds(), result.statusErrors() + result.socketErrors()) + steal);
                continue;
            }
            String figures = String.format(Locale.ROOT, "%s · p50 %s · p95 %s · p99 %s · errors %,d",
                    Bench.rate(result.perSecond(), "req/s"), millis(result.p50Micros()), millis(result.p95Micros()),
                    millis(result.p99Micros()), result.statusErrors() + result.socketErrors()) + steal;
            if (target.isEmpty()) {
                report.add(phase, measure, figures);
            } else {
                report.add(phase, measure, figures, target, targetMet(result, met));
            }
            List<String> spent = new ArrayList<>();
            before.forEach((service, first) -> first.ifPresent(at -> ServiceMetrics.scrape(costs.get(service))
                    .ifPresent(now -> spent.add(now.describeSince(service, at, result.requests(), wallNanos)))));
            if (!spent.isEmpty()) {
                report.add(phase, "cost per request, c=" + connections, String.join(" · ", spent));
            }
        }
    }

    /** Rounds of {@code --warmup} at the first concurrency level, until the services' JIT is quiet ({@link JitWarmup}). */
    private void warmUp(String phase, String what, List<String> services, String baseUrl, Path script) {
        Bench.progress(out, phase + ": warm-up " + what);
        List<Long> pids = services.stream().flatMap(jar -> childPid(jar).stream()).toList();
        long started = System.nanoTime();
        List<Double> rounds = JitWarmup.rounds(options.warmupLimit(), () -> JitWarmup.coresDuring(pids,
                () -> Wrk.run(baseUrl, script, options.concurrency().get(0), options.warmup())));
        report.note(String.format(Locale.ROOT, "%s, %s: warm-up %.0f s, until the JIT compilers of %s used %.1f %% of"
                        + " a core in its last %d s round (under %.0f %%, or at most %d s)", phase, what,
                (System.nanoTime() - started) / 1e9, String.join(" and ", services),
                100 * rounds.get(rounds.size() - 1), options.warmup().toSeconds(),
                100 * JitWarmup.WARM_SHARE_OF_A_CORE, options.warmupLimit().toSeconds()));
    }

    /** The pid of the service started from {@code jar}, a child process of this JVM. */
    private static Optional<Long> childPid(String jar) {
        return ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().map(c -> c.contains(jar)).orElse(false))
                .map(ProcessHandle::pid)
                .findFirst();
    }

    /** Runs of the replay verifier measured once it is warm; the median is reported. */
    static final int MEASURED_REPLAYS = 5;

    /**
     * The replay verifier over everything the run wrote: first in a JVM that has never run it, as an auditor's
     * {@code java -jar replay.jar} starts, then again until the JIT compilers are quiet during a run (the rule of
     * every warm-up here), as it runs through a log much longer than the bench's, where compiling is a small share.
     * Then {@link #MEASURED_REPLAYS} more runs, whose median is held against the target: one run of a short log
     * takes a second or two, and single runs spread widely.
     */
    private void replay() {
        Bench.progress(out, "replay: verifying the event log against the live state");
        List<Long> thisJvm = List.of(ProcessHandle.current().pid());
        List<ReplayRun> warmUp = new ArrayList<>();
        // a failed run counts as quiet, so the rounds stop at it
        List<Double> jitCores = JitWarmup.rounds(options.warmupLimit(), () -> {
            double cores = JitWarmup.coresDuring(thisJvm, () -> warmUp.add(replayOnce()));
            return warmUp.get(warmUp.size() - 1).failed() ? 0 : cores;
        });
        ReplayRun first = warmUp.get(0);
        if (warmUp.get(warmUp.size() - 1).failed()) {
            report.add("replay", "verify", warmUp.get(warmUp.size() - 1).describe(), "≥ 200,000 events/s", false);
            return;
        }
        report.add("replay", "first run in this JVM (cold: JIT " + percent(jitCores.get(0)) + " of a core)",
                first.describe());
        Bench.progress(out, "replay: warm after " + warmUp.size() + " run(s); " + MEASURED_REPLAYS + " measured runs");
        List<ReplayRun> measured = new ArrayList<>();
        double jit = JitWarmup.coresDuring(thisJvm, () -> {
            for (int i = 0; i < MEASURED_REPLAYS; i++) {
                ReplayRun run = replayOnce();
                measured.add(run);
                if (run.failed()) {
                    break;
                }
            }
        });
        ReplayRun last = measured.get(measured.size() - 1);
        if (last.failed()) {
            report.add("replay", "verify", last.describe(), "≥ 200,000 events/s", false);
            return;
        }
        List<ReplayRun> byRate = measured.stream().sorted(Comparator.comparingDouble(ReplayRun::eventsPerSecond))
                .toList();
        ReplayRun median = byRate.get(byRate.size() / 2);
        List<ReplayRun> byCpu = measured.stream().sorted(Comparator.comparingLong(ReplayRun::cpuNanosPerEvent))
                .toList();
        report.add("replay", "events folded and compared, warm (after " + warmUp.size() + " runs): median of "
                        + MEASURED_REPLAYS + " runs",
                median.describe() + String.format(Locale.ROOT, " · runs %s to %s · this JVM's CPU %d µs per event"
                                + " (broker included) · JIT %s of a core",
                        String.format(Locale.ROOT, "%,.0f", byRate.get(0).eventsPerSecond()),
                        Bench.rate(byRate.get(byRate.size() - 1).eventsPerSecond(), "events/s"),
                        byCpu.get(byCpu.size() / 2).cpuNanosPerEvent() / 1000, percent(jit)),
                "≥ 200,000 events/s", median.eventsPerSecond() >= 200_000
                        && measured.stream().allMatch(ReplayRun::consistent));
    }

    /** The target, over answers that were all successes: a rate of error answers (fast 401s) meets nothing. */
    static boolean targetMet(Wrk.Result result, Predicate<Wrk.Result> target) {
        return result.statusErrors() + result.socketErrors() == 0 && target.test(result);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f %%", 100 * share);
    }

    /** One run of the replay verifier, in this JVM: its figures, or why it gave none. */
    private record ReplayRun(double eventsPerSecond, long cpuNanosPerEvent, String describe, boolean failed,
                             boolean consistent) {
    }

    private ReplayRun replayOnce() {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Optional<HostCpu> started = HostCpu.now();
        long cpuBefore = PROCESS.getProcessCpuTime();
        int status;
        try (PrintStream replayOut = new PrintStream(stdout, true, StandardCharsets.UTF_8);
             PrintStream replayErr = new PrintStream(stderr, true, StandardCharsets.UTF_8)) {
            status = Replay.run(new String[]{"--bootstrap-servers", bootstrap, "--schema-registry-url", registryUrl,
                    "--quiet"}, Map.of(), replayOut, replayErr);
        }
        String text = stdout.toString(StandardCharsets.UTF_8);
        Matcher events = REPLAY_EVENTS.matcher(text);
        if (status == 2 || !events.find()) {
            String failure = "failed (exit " + status + "): "
                    + (text + stderr.toString(StandardCharsets.UTF_8)).strip().replace('\n', ' ');
            return new ReplayRun(0, 0, failure, true, false);
        }
        double perSecond = Double.parseDouble(events.group(3).replace(",", ""));
        long cpuPerEvent = (PROCESS.getProcessCpuTime() - cpuBefore)
                / Math.max(1, Long.parseLong(events.group(1).replace(",", "")));
        Matcher differences = REPLAY_DIFFERENCES.matcher(text);
        String verdict = differences.find() ? differences.group(1) + " differences" : "exit " + status;
        return new ReplayRun(perSecond, cpuPerEvent, String.format(Locale.ROOT, "%s · %s events in %s s · %s%s",
                Bench.rate(perSecond, "events/s"), events.group(1), events.group(2), verdict,
                HostCpu.stealSince(started)), false, status == 0);
    }

    private void footprint(String processorGroup, String commands) {
        int sessions = options.footprintSessions();
        Bench.progress(out, "footprint: loading " + sessions + " sessions into the projector");
        long nanos = CommandLoader.load(bootstrap, registryUrl, commands, processorGroup, runId + "-fp", sessions,
                13L);
        sessionsLoaded += sessions;
        report.add("footprint", "load " + String.format(Locale.ROOT, "%,d", sessions)
                + " sessions (producer → folded)", Bench.rate(sessions / (nanos / 1e9), "sessions/s"));
        Optional<Long> projector = childPid("projector.jar");
        if (projector.isEmpty()) {
            report.add("footprint", "projector heap and RSS", "the projector process was not found");
            return;
        }
        long pid = projector.get();
        jcmd(pid, "GC.run");
        String heapInfo = jcmd(pid, "GC.heap_info");
        Optional<HeapUsage> heap = HeapUsage.parse(heapInfo);
        String loaded = String.format(Locale.ROOT, "%,d", sessionsLoaded);
        if (heap.isPresent()) {
            long usedBytes = heap.get().usedBytes();
            String measure = "projector heap used after full GC, " + loaded + " sessions";
            String result = String.format(Locale.ROOT, "%s (committed %s)", mebibytes(usedBytes),
                    mebibytes(heap.get().committedBytes()));
            if (sessions >= 1_000_000) {
                report.add("footprint", measure, result, "≤ 1 GiB with 1 M sessions", usedBytes <= (1L << 30));
            } else {
                report.add("footprint", measure, result + " (the target, ≤ 1 GiB, is for 1 M sessions)");
            }
        } else {
            report.add("footprint", "projector heap used after full GC", "not readable: " + heapInfo.strip());
        }
        Machine.rssBytes(pid).ifPresent(rss -> report.add("footprint", "projector RSS, " + loaded + " sessions",
                mebibytes(rss) + " (heap + RocksDB + metaspace + threads)"));
    }

    /**
     * The cold start as the README's run command does it: a fresh embedded system of its own, on a fresh data
     * directory, its broker and registry in a child JVM, timed from nothing running to the first accepted PUT, then
     * stopped. Its JVMs start from the class-data archives that the first start after a build records when it stops
     * (as the launcher's do). When there are none yet, that first start is reported on its own (it is paid once per
     * build) and a second fresh system, started from the archives the first recorded, is the figure held against the
     * target.
     */
    private void coldStart() {
        Bench.progress(out, "footprint: cold start of a fresh embedded system, as the launcher starts it");
        ColdStart first = startFresh("cold-start");
        if (first.fromArchives()) {
            report.add("footprint", "cold start → first accepted PUT", first.describe(
                    "class-data archives of an earlier run"), "≤ 15 s", first.seconds() <= 15);
            return;
        }
        report.add("footprint", "first start after a build → first accepted PUT", first.describe(
                "no class-data archives yet: this start records them as it stops"));
        Bench.progress(out, "footprint: cold start again, on fresh data, from the archives the first one recorded");
        ColdStart second = startFresh("cold-start-2");
        report.add("footprint", "cold start → first accepted PUT", second.describe(second.fromArchives()
                        ? "from the class-data archives the first start recorded"
                        : "the first start recorded no class-data archives"),
                "≤ 15 s", second.seconds() <= 15);
    }

    private record ColdStart(double seconds, boolean fromArchives, String steal) {

        String describe(String archives) {
            return String.format(Locale.ROOT, "%.1f s (fresh data; broker + registry, projector, session-service: "
                    + "three JVMs; %s)%s", seconds, archives, steal);
        }
    }

    private ColdStart startFresh(String directory) {
        EmbeddedSystem fresh = EmbeddedSystem.builder()
                .dataDir(dataDir.resolveSibling(directory))
                .brokerPort(0).registryPort(0).projectorPort(0).sessionServicePort(0)
                .output(ServiceOutput.logFiles(logDir))
                .classDataSharing(true)
                .brokerProcess(true)
                .build();
        resources.add(fresh);
        try {
            long started = System.nanoTime();
            Optional<HostCpu> host = HostCpu.now();
            fresh.start();
            firstAcceptedPut(fresh);
            return new ColdStart((System.nanoTime() - started) / 1e9, fresh.startedFromClassDataArchives(),
                    HostCpu.stealSince(host));
        } finally {
            fresh.close();
        }
    }

    /** A PUT that creates a session, repeated until it is accepted: the system is then really serving. */
    private void firstAcceptedPut(EmbeddedSystem system) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest put = HttpRequest.newBuilder(URI.create(system.sessionServiceUrl() + "/v2/customer_sessions/"
                        + "bench-" + runId + "-cold-start"))
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", INTEGRATION_KEY)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(Workload.updateBodies(1, 3L).get(0)))
                .build();
        long deadline = System.nanoTime() + FIRST_PUT_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(put, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            GroupProgress.sleep(Duration.ofMillis(50));
        }
        throw new IllegalStateException("no PUT was accepted within " + FIRST_PUT_TIMEOUT.toSeconds() + " s: " + last);
    }

    static String jcmd(long pid, String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        String binary = jcmd.toFile().canExecute() ? jcmd.toString() : "jcmd";
        try {
            Process process = new ProcessBuilder(binary, String.valueOf(pid), command).redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            return output;
        } catch (IOException e) {
            return "jcmd failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static String millis(long micros) {
        return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
    }

    private static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%,.0f MiB", bytes / (double) (1L << 20));
    }
}
