package io.customersessions.bench;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.crypto.KafkaDataKeys;
import io.customersessions.eventlog.serde.AvroSerdes;
import io.customersessions.eventlog.serde.AvroWireConfig;
import io.customersessions.projector.streams.SessionTopology;
import io.customersessions.projector.streams.TopologySerdes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The exactly-once processor on its own: the projector's real topology ({@link SessionTopology#build}, history
 * included) with the projector's Streams settings, in this JVM, on a fresh application id, over commands that are
 * already in the commands topic. Measures from {@code start()} until the processor has committed its input offsets
 * at the end of the topic, which under exactly-once means every outcome, event and state is committed.
 */
final class FoldRun {

    private static final Duration STALL = Duration.ofSeconds(60);

    /**
     * The stream thread's producer's cumulative time (ns) in the steps of a commit under exactly-once: flushing
     * what it has sent (waiting for every ack), adding the consumed offsets to the transaction, committing it.
     * Not Kafka Streams' {@code commit-latency-avg}: that is a windowed average of each commit's time divided by
     * the number of tasks it committed (one per partition of each sub-topology), a fraction of a commit's time.
     */
    private static final List<String> COMMIT_TIMES =
            List.of("flush-time-ns-total", "txn-send-offsets-time-ns-total", "txn-commit-time-ns-total");

    /** A commit's time on average, in ms, and its three steps in the order of {@link #COMMIT_TIMES}. */
    record CommitTime(double flushMs, double offsetsMs, double commitMs) {

        double totalMs() {
            return flushMs + offsetsMs + commitMs;
        }
    }

    /**
     * @param nanosFromStart   from {@code KafkaStreams.start()} to the last commit
     * @param nanosFromRunning from the first RUNNING state (assignment and restoration done) to the last commit
     */
    record Result(long commands, long outcomes, long rejected, long nanosFromStart, long nanosFromRunning,
                  long transactions, CommitTime commitTime, Costs costs, Optional<SecondHalf> secondHalf,
                  Map<String, Object> settings) {

        double perSecond() {
            return commands / (Math.max(1, nanosFromStart) / 1e9);
        }

        double perSecondWhileRunning() {
            return commands / (Math.max(1, nanosFromRunning) / 1e9);
        }

        /** Cores the JIT compiler threads used on average during the run; empty where {@code /proc} does not tell. */
        Optional<Double> jitCores() {
            double jitNanos = costs.jitShareOfJvmCpu() * costs.jvmCpuMicrosPerCommand() * 1e3 * commands;
            return jitNanos > 0 ? Optional.of(jitNanos / Math.max(1, nanosFromStart)) : Optional.empty();
        }
    }

    /**
     * Where the fold's time goes, from the start of the run to the last commit: CPU of this whole JVM (broker
     * included) and of the stream threads alone, both per command, a stream thread's busy share of the wall time
     * and its share spent blocked in commits (averaged over the threads), and the records the processor's
     * producers sent per command.
     * Unlike the rate, the CPU per command hardly changes when other processes compete for the cores.
     */
    record Costs(double jvmCpuMicrosPerCommand, double streamThreadCpuMicrosPerCommand, double streamThreadBusyShare,
                 double commitShare, double recordsSentPerCommand, double jitShareOfJvmCpu) {
    }

    /**
     * The same measures over the commands committed after the first half was (as seen by polling the group's
     * committed offsets): with the JVM's JIT compiler warmer, closer to a long-running projector than the whole run.
     */
    record SecondHalf(long commands, long nanos, double jvmCpuMicrosPerCommand, double streamThreadCpuMicrosPerCommand,
                      double jitShareOfJvmCpu) {

        double perSecond() {
            return commands / (Math.max(1, nanos) / 1e9);
        }
    }

    /** Where a run stood when the group had committed half of the commands. */
    private record Checkpoint(long lag, long nanoTime, long jvmCpuNanos, long streamThreadCpuNanos, long jitNanos) {
    }

    private FoldRun() {
    }

    static Result run(String bootstrapServers, String schemaRegistryUrl, Topics topics, long commands, Path stateDir,
                      String runId) {
        Map<String, Object> settings = ProjectorStreamsSettings.forMeasurement();
        String applicationId = "bench-fold-" + runId;
        Properties props = new Properties();
        props.putAll(settings);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());

        Map<String, Object> serdeConfig = Map.of(AvroWireConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        // As in the projector: the history reads the log's sealed personal data with the key topic's data keys.
        KafkaDataKeys dataKeys = KafkaDataKeys.open(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                topics.sessionKeys(), AvroSerdes.ours(serdeConfig).deserializer());
        TopologySerdes serdes = TopologySerdes.ours(serdeConfig, dataKeys);
        StreamsBuilder builder = new StreamsBuilder();
        SessionTopology.build(builder, topics, serdes);

        AtomicLong runningAt = new AtomicLong();
        KafkaStreams streams = new KafkaStreams(builder.build(), props);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                runningAt.compareAndSet(0, System.nanoTime());
            }
        });
        CpuClock cpu = new CpuClock();
        long started = System.nanoTime();
        long finished;
        double commits;
        double[] commitNanos;
        double recordsSent;
        long jvmCpuNanos;
        long streamThreadCpuNanos;
        long jitNanos;
        AtomicReference<Checkpoint> half = new AtomicReference<>();
        try (GroupProgress progress = new GroupProgress(bootstrapServers)) {
            streams.start();
            progress.awaitCaughtUp(applicationId, topics.commands(), Duration.ofMillis(50), STALL,
                    () -> streams.state() == KafkaStreams.State.ERROR
                            || streams.state() == KafkaStreams.State.PENDING_ERROR,
                    lag -> {
                        if (lag > 0 && lag <= commands / 2 && half.get() == null) {
                            half.set(new Checkpoint(lag, System.nanoTime(), cpu.jvmNanos(), cpu.streamThreadNanos(),
                                    cpu.jitNanos()));
                        }
                    });
            finished = System.nanoTime();
            jvmCpuNanos = cpu.jvmNanos();
            streamThreadCpuNanos = cpu.streamThreadNanos();
            jitNanos = cpu.jitNanos();
            commits = threadMetric(streams, "commit-total");
            commitNanos = COMMIT_TIMES.stream()
                    .mapToDouble(name -> metricSum(streams, "producer-metrics", name)).toArray();
            recordsSent = metricSum(streams, "producer-metrics", "record-send-total");
        } finally {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
            dataKeys.close();
        }
        long running = runningAt.get() == 0 ? started : runningAt.get();
        long[] outcomes = countOutcomes(bootstrapServers, schemaRegistryUrl, topics.outcomes());
        Map<String, Object> shown = new HashMap<>(settings);
        shown.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        long wall = Math.max(1, finished - started);
        int threads = Integer.parseInt(String.valueOf(settings.getOrDefault(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1)));
        double commitNanosPerThread = Arrays.stream(commitNanos).sum() / threads;
        Costs costs = new Costs(jvmCpuNanos / 1e3 / commands, streamThreadCpuNanos / 1e3 / commands,
                streamThreadCpuNanos / (double) wall / threads, commitNanosPerThread / wall, recordsSent / commands,
                jitNanos / (double) Math.max(1, jvmCpuNanos));
        Optional<SecondHalf> secondHalf = Optional.ofNullable(half.get()).map(at -> {
            long jvm = jvmCpuNanos - at.jvmCpuNanos();
            return new SecondHalf(at.lag(), finished - at.nanoTime(), jvm / 1e3 / at.lag(),
                    (streamThreadCpuNanos - at.streamThreadCpuNanos()) / 1e3 / at.lag(),
                    (jitNanos - at.jitNanos()) / (double) Math.max(1, jvm));
        });
        return new Result(commands, outcomes[0], outcomes[1], finished - started, finished - running,
                (long) commits, new CommitTime(msPer(commitNanos[0], commits), msPer(commitNanos[1], commits),
                msPer(commitNanos[2], commits)), costs, secondHalf, shown);
    }

    private static double msPer(double nanos, double commits) {
        return nanos / Math.max(1, commits) / 1e6;
    }

    /** CPU time consumed since it was created: by this JVM, and by the threads Kafka Streams names {@code StreamThread}. */
    private static final class CpuClock {
        private final com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        private final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        private final long jvmAtStart = os.getProcessCpuTime();
        private final long jitAtStart = Machine.jitCompilerCpuNanos(ProcessHandle.current().pid());
        private final long streamThreadsAtStart = streamThreadsTotal();

        long jvmNanos() {
            return os.getProcessCpuTime() - jvmAtStart;
        }

        /** CPU of HotSpot's JIT compiler threads since the start (0 where {@code /proc} does not show them). */
        long jitNanos() {
            return Machine.jitCompilerCpuNanos(ProcessHandle.current().pid()) - jitAtStart;
        }

        long streamThreadNanos() {
            return streamThreadsTotal() - streamThreadsAtStart;
        }

        /** Stream threads start with the run, so their total at the start is zero unless a previous run left some. */
        private long streamThreadsTotal() {
            long total = 0;
            for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info != null && info.getThreadName().contains("-StreamThread-")) {
                    total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
                }
            }
            return total;
        }
    }

    /** A stream thread's metric, summed over the threads (one, with the projector's settings); NaN if absent. */
    private static double threadMetric(KafkaStreams streams, String name) {
        return metricSum(streams, "stream-thread-metrics", name);
    }

    private static double metricSum(KafkaStreams streams, String group, String name) {
        return streams.metrics().values().stream()
                .filter(metric -> metric.metricName().group().equals(group)
                        && metric.metricName().name().equals(name))
                .mapToDouble(metric -> ((Number) metric.metricValue()).doubleValue())
                .reduce(Double::sum).orElse(Double.NaN);
    }

    /** Committed outcomes in the topic, and how many of them are rejections. */
    private static long[] countOutcomes(String bootstrapServers, String schemaRegistryUrl, String topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        var deserializer = new io.customersessions.eventlog.serde.AvroWireDeserializer();
        deserializer.configure(Map.of(AvroWireConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl,
                AvroWireConfig.SPECIFIC_AVRO_READER, true), false);
        try (KafkaConsumer<String, Object> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), deserializer)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // The end offsets count the transaction markers too: read until the position passes them.
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long count = 0;
            long rejected = 0;
            long deadline = System.nanoTime() + STALL.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read the outcomes of " + topic + " within "
                            + STALL.toSeconds() + " s");
                }
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
                    count++;
                    if (record.value() instanceof CommandOutcome outcome && !outcome.getAccepted()) {
                        rejected++;
                    }
                }
            }
            return new long[]{count, rejected};
        }
    }
}
