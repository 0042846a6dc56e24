package io.customersessions.replay;

import io.customersessions.avro.CustomerSessionState;
import io.customersessions.avro.SessionEvent;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.crypto.DataKeys;
import io.customersessions.eventlog.crypto.KafkaDataKeys;
import io.customersessions.eventlog.crypto.UnsealingEventDeserializer;
import io.customersessions.eventlog.serde.AvroSchemas;
import io.customersessions.eventlog.serde.AvroWireConfig;
import io.customersessions.eventlog.serde.AvroWireSerializer;
import io.customersessions.replay.LogReader.UnreadableLogException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * {@code java -jar replay/target/replay.jar}: the auditor's rebuild and verify. Folds the whole event log with the
 * domain's evolve into fresh in-memory state and compares every session with the live projection (the compacted
 * state topic) field by field; {@link Verifier} says which states are compared, {@link ReplayOptions} describes the
 * command line. Reads only: no consumer group, no offset commits, no topic creation, no writes.
 *
 * <p>The projector writes a session's events and states under the same key, so with the same partition count on
 * both topics, partition p of the state topic holds the states of exactly the sessions whose events are in partition
 * p of the event log. Each such pair is verified on its own, by one worker per core, and dropped once compared: the
 * memory needed is that of the sessions of one partition per worker, and the fold runs on every core. (With different
 * partition counts, everything is one pair, verified by one worker.) A state in the wrong partition is not hidden by
 * this: its session shows as missing on both sides.
 */
public final class Replay {

    /** How many more looks a session that differed gets before it is reported. */
    static final int RECHECKS = 3;

    /** Listed differences; the rest are counted. */
    static final int MAX_LISTED = 100;

    private Replay() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /**
     * Runs the command and returns its exit status: 0 when the live projection is what the log says, 1 when it
     * differs, 2 on a usage error or when the log cannot be read (no verdict). The summary goes to {@code out}, the
     * progress bar and errors to {@code err}.
     */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        ReplayOptions options;
        Map<String, Object> extra;
        try {
            options = ReplayOptions.parse(args, env);
            extra = options.config().map(Replay::load).orElse(Map.of());
        } catch (IllegalArgumentException e) {
            err.println("replay: " + e.getMessage());
            err.print(ReplayOptions.USAGE);
            return 2;
        }
        if (options.help()) {
            out.print(ReplayOptions.USAGE);
            return 0;
        }
        Progress progress = options.quiet() ? Progress.none() : Progress.on(err, System::nanoTime);
        if (!options.quiet()) {
            Topics topics = Topics.defaults().withPrefix(options.topicPrefix());
            err.println("replay: folding " + topics.events() + " and comparing with " + topics.state() + " at "
                    + options.bootstrapServers());
        }
        try {
            Outcome outcome = verify(options, extra, progress);
            out.print(report(options, outcome));
            out.flush();
            return outcome.comparison().consistent() ? 0 : 1;
        } catch (UnreadableLogException | KafkaException e) {
            endProgressLine(options, err);
            err.println("replay: cannot read the log at " + options.bootstrapServers() + ": " + describe(e));
            return 2;
        } catch (OutOfMemoryError e) {
            endProgressLine(options, err);
            err.println("replay: out of memory: the sessions of one partition per core must fit in the heap; give the "
                    + "JVM more, e.g. java -Xmx8g -jar replay/target/replay.jar …");
            return 2;
        } catch (RuntimeException e) {
            endProgressLine(options, err);
            err.println("replay: failed without a verdict: " + e);
            e.printStackTrace(err);
            return 2;
        }
    }

    private static void endProgressLine(ReplayOptions options, PrintStream err) {
        if (!options.quiet()) {
            err.println();
        }
    }

    /** What a run found, and how long it took from the first look-up to the verdict. */
    record Outcome(Topics topics, Comparison comparison, long nanos) {
    }

    /** Partitions of both topics that hold the same sessions: verified together, apart from all others. */
    private record PartitionGroup(Set<TopicPartition> state, Set<TopicPartition> events) {
    }

    /** The offsets taken before anything is read; {@code settled}: see {@link Verifier}. */
    private record Capture(Map<TopicPartition, Long> settled, Map<TopicPartition, Long> stateStart,
                           Map<TopicPartition, Long> stateEnd, Map<TopicPartition, Long> eventsStart,
                           Map<TopicPartition, Long> eventsEnd) {
    }

    private static Outcome verify(ReplayOptions options, Map<String, Object> extra, Progress progress) {
        long started = System.nanoTime();
        AvroSchemas.trustGeneratedClasses();
        Topics topics = Topics.defaults().withPrefix(options.topicPrefix());
        Map<String, Object> consumerConfig = LogReader.consumerConfig(options.bootstrapServers(), extra);
        Capture capture;
        try (LogReader reader = new LogReader(consumerConfig, progress)) {
            capture = capture(reader, topics);
        }
        progress.total(span(capture.stateStart(), capture.stateEnd())
                + span(capture.eventsStart(), capture.eventsEnd()));
        Queue<PartitionGroup> groups = new ConcurrentLinkedQueue<>(groups(capture));
        int workers = Math.max(1, Math.min(groups.size(), Runtime.getRuntime().availableProcessors()));
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers, task -> {
            Thread thread = new Thread(task, "replay-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try (KafkaDataKeys dataKeys = KafkaDataKeys.openOutsideTransactions(consumerConfig, topics.sessionKeys(),
                deserializer(options, extra))) {
            CompletionService<Comparison> results = new ExecutorCompletionService<>(pool);
            for (int i = 0; i < workers; i++) {
                results.submit(() -> work(groups, options, extra, consumerConfig, capture, topics, dataKeys,
                        progress));
            }
            List<Comparison> parts = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                parts.add(firstFailureOr(results));
            }
            progress.finish();
            return new Outcome(topics, Comparison.sum(parts), System.nanoTime() - started);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The order matters, see {@link Verifier}: events settled, then the live state, then every event to fold. */
    private static Capture capture(LogReader reader, Topics topics) {
        List<TopicPartition> eventPartitions = reader.partitions(topics.events());
        List<TopicPartition> statePartitions = reader.partitions(topics.state());
        Map<TopicPartition, Long> settled = reader.endOffsets(eventPartitions);
        Map<TopicPartition, Long> stateEnd = reader.endOffsets(statePartitions);
        Map<TopicPartition, Long> eventsEnd = reader.endOffsets(eventPartitions);
        return new Capture(settled, reader.beginningOffsets(statePartitions), stateEnd,
                reader.beginningOffsets(eventPartitions), eventsEnd);
    }

    private static List<PartitionGroup> groups(Capture capture) {
        Set<TopicPartition> state = capture.stateEnd().keySet();
        Set<TopicPartition> events = capture.eventsEnd().keySet();
        if (state.size() != events.size()) {
            return List.of(new PartitionGroup(state, events));
        }
        List<PartitionGroup> groups = new ArrayList<>();
        for (TopicPartition eventPartition : events.stream()
                .sorted(Comparator.comparingInt(TopicPartition::partition)).toList()) {
            TopicPartition statePartition = state.stream().filter(tp -> tp.partition() == eventPartition.partition())
                    .findFirst().orElse(null);
            if (statePartition == null) {
                return List.of(new PartitionGroup(state, events));
            }
            groups.add(new PartitionGroup(Set.of(statePartition), Set.of(eventPartition)));
        }
        return groups;
    }

    /**
     * One worker: verifies groups until none is left, with a consumer and a deserializer of its own. Events are read
     * as every reader of the log reads them: sealed personal data opened with {@code dataKeys}, or redacted where
     * the key was erased (redaction commutes with the fold, so the rebuilt state is still the live one).
     */
    private static Comparison work(Queue<PartitionGroup> groups, ReplayOptions options, Map<String, Object> extra,
                                   Map<String, Object> consumerConfig, Capture capture, Topics topics,
                                   DataKeys dataKeys, Progress progress) {
        List<Comparison> parts = new ArrayList<>();
        try (Deserializer<Object> deserializer = deserializer(options, extra);
             WireStateCodec codec = new WireStateCodec(deserializer, topics.state(), options, extra);
             LogReader reader = new LogReader(consumerConfig, progress)) {
            Deserializer<SessionEvent> events = new UnsealingEventDeserializer(deserializer, dataKeys);
            long[] settledBelow = byPartition(capture.settled());
            for (PartitionGroup group = groups.poll(); group != null; group = groups.poll()) {
                Verifier verifier = new Verifier(options.since(), codec);
                liveStates(reader, verifier, only(capture.stateStart(), group.state()),
                        only(capture.stateEnd(), group.state()), null);
                reader.read(only(capture.eventsStart(), group.events()), only(capture.eventsEnd(), group.events()),
                        record -> {
                            boolean recent = record.partition() >= settledBelow.length
                                    || record.offset() >= settledBelow[record.partition()];
                            verifier.fold(key(record), event(events, record), recent);
                            progress.folded();
                        });
                Comparison comparison = verifier.compare();
                if (!comparison.consistent()) {
                    comparison = recheck(reader, events, topics, verifier, comparison, group, capture);
                }
                parts.add(comparison);
            }
        }
        return Comparison.sum(parts);
    }

    /**
     * Another look at the sessions that differed, with what both topics received since the last look, in case a
     * capture split a transaction whose commit markers had reached one topic only (the coordinator writes them
     * partition by partition). Each look takes the state topic's ends, reads the states, and only then takes the
     * event log's ends: a transaction whose state it read has had that long for its marker to reach the log too.
     * A session still written to may be split again by the next transaction: up to {@value #RECHECKS} looks.
     */
    private static Comparison recheck(LogReader reader, Deserializer<SessionEvent> events, Topics topics,
                                      Verifier verifier, Comparison first, PartitionGroup group, Capture capture) {
        Map<TopicPartition, Long> stateFrom = only(capture.stateEnd(), group.state());
        Map<TopicPartition, Long> eventsFrom = only(capture.eventsEnd(), group.events());
        Comparison comparison = first;
        for (int look = 0; look < RECHECKS && !comparison.consistent(); look++) {
            Set<String> keys = comparison.sessionsWithDifferences();
            Map<TopicPartition, Long> stateEnd = reader.endOffsets(group.state());
            liveStates(reader, verifier, stateFrom, stateEnd, keys);
            Map<TopicPartition, Long> eventsEnd = reader.endOffsets(group.events());
            reader.read(eventsFrom, eventsEnd, record -> {
                if (keys.contains(record.key())) {
                    verifier.fold(record.key(), event(events, record), true);
                }
            });
            comparison = verifier.recompare(comparison);
            stateFrom = stateEnd;
            eventsFrom = eventsEnd;
        }
        return comparison;
    }

    /** Hands every state record in {@code [from, to)} to the verifier (of the {@code keys} only, unless null). */
    private static void liveStates(LogReader reader, Verifier verifier, Map<TopicPartition, Long> from,
                                   Map<TopicPartition, Long> to, Set<String> keys) {
        reader.read(from, to, record -> {
            String key = key(record);
            if (keys == null || keys.contains(key)) {
                verifier.live(key, copy(record.value()));
            }
        });
    }

    private static Comparison firstFailureOr(CompletionService<Comparison> results) {
        try {
            return results.take().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreadableLogException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @SuppressWarnings("unchecked")
    private static Deserializer<Object> deserializer(ReplayOptions options, Map<String, Object> extra) {
        Object instance;
        try {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            ClassLoader loader = context != null ? context : Replay.class.getClassLoader();
            instance = Class.forName(options.deserializer(), true, loader).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new UnreadableLogException("cannot instantiate the deserializer " + options.deserializer() + ": " + e,
                    e);
        }
        if (!(instance instanceof Deserializer)) {
            throw new UnreadableLogException(options.deserializer() + " is not a Kafka Deserializer");
        }
        Map<String, Object> config = new HashMap<>();
        config.put(AvroWireConfig.SCHEMA_REGISTRY_URL, options.schemaRegistryUrl());
        config.putAll(extra);
        config.put(AvroWireConfig.SPECIFIC_AVRO_READER, true);
        Deserializer<Object> deserializer = (Deserializer<Object>) instance;
        deserializer.configure(config, false);
        return deserializer;
    }

    private static String key(ConsumerRecord<String, ?> record) {
        if (record.key() == null) {
            throw new UnreadableLogException("a record without a key at " + where(record));
        }
        return record.key();
    }

    private static SessionEvent event(Deserializer<SessionEvent> events, ConsumerRecord<String, ByteBuffer> record) {
        SessionEvent event;
        try {
            event = events.deserialize(record.topic(), record.headers(), record.value());
        } catch (KafkaException | IllegalStateException e) {
            throw new UnreadableLogException("cannot decode the event at " + where(record) + ": " + describe(e), e);
        }
        if (event == null) {
            throw new UnreadableLogException("the record at " + where(record) + " is a tombstone, not a SessionEvent");
        }
        return event;
    }

    /**
     * Decodes live states with the configured deserializer. Writes rebuilt states as our serializer would, with the
     * id the registry holds for this version's schema (looked up, never registered); when the registry does not know
     * it, there is no wire form to compare with and every session is compared field by field.
     */
    private static final class WireStateCodec implements StateCodec, AutoCloseable {

        private final Deserializer<Object> deserializer;
        private final String topic;
        private AvroWireSerializer serializer;

        WireStateCodec(Deserializer<Object> deserializer, String topic, ReplayOptions options,
                       Map<String, Object> extra) {
            this.deserializer = deserializer;
            this.topic = topic;
            Map<String, Object> config = new HashMap<>();
            config.put(AvroWireConfig.SCHEMA_REGISTRY_URL, options.schemaRegistryUrl());
            config.putAll(extra);
            config.put(AvroWireConfig.AUTO_REGISTER_SCHEMAS, false);
            serializer = new AvroWireSerializer();
            serializer.configure(config, false);
        }

        @Override
        public CustomerSessionState decode(byte[] wire) {
            Object value;
            try {
                value = deserializer.deserialize(topic, wire);
            } catch (KafkaException e) {
                throw new UnreadableLogException("cannot decode a live state in " + topic + ": " + describe(e), e);
            }
            if (!(value instanceof CustomerSessionState state)) {
                throw new UnreadableLogException("a record in " + topic + " is not a CustomerSessionState but "
                        + (value == null ? "null" : value.getClass().getName()));
            }
            return state;
        }

        @Override
        public byte[] encode(CustomerSessionState state) {
            if (serializer == null) {
                return null;
            }
            try {
                return serializer.serialize(topic, state);
            } catch (KafkaException e) {
                serializer.close();
                serializer = null;
                return null;
            }
        }

        @Override
        public void close() {
            if (serializer != null) {
                serializer.close();
            }
        }
    }

    private static byte[] copy(ByteBuffer value) {
        if (value == null) {
            return null;
        }
        byte[] bytes = new byte[value.remaining()];
        value.duplicate().get(bytes);
        return bytes;
    }

    private static Map<TopicPartition, Long> only(Map<TopicPartition, Long> offsets, Collection<TopicPartition> keep) {
        Map<TopicPartition, Long> kept = new HashMap<>();
        keep.forEach(tp -> kept.put(tp, offsets.get(tp)));
        return kept;
    }

    /** The offsets of one topic's partitions, indexed by partition number: no look-up per record. */
    private static long[] byPartition(Map<TopicPartition, Long> offsets) {
        long[] array = new long[offsets.keySet().stream().mapToInt(TopicPartition::partition).max().orElse(-1) + 1];
        offsets.forEach((tp, offset) -> array[tp.partition()] = offset);
        return array;
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private static long span(Map<TopicPartition, Long> start, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue() - start.getOrDefault(e.getKey(), 0L)))
                .sum();
    }

    private static Map<String, Object> load(Path file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --config " + file + ": " + e.getMessage());
        }
        return properties.stringPropertyNames().stream()
                .collect(Collectors.toMap(name -> name, properties::getProperty));
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(": ").append(cause.getMessage());
            }
        }
        return text.toString();
    }

    static String report(ReplayOptions options, Outcome outcome) {
        Comparison comparison = outcome.comparison();
        StringBuilder text = new StringBuilder();
        text.append("replay of ").append(outcome.topics().events()).append(" against ")
                .append(outcome.topics().state()).append(" at ").append(options.bootstrapServers()).append('\n');
        text.append(String.format(Locale.ROOT, "sessions checked: %,d", comparison.sessionsChecked()));
        options.since().ifPresent(since -> text.append(" (with an event at or after ").append(since).append(')'));
        text.append('\n');
        text.append(String.format(Locale.ROOT, "events folded:    %,d in %.2f s (%,.0f events/s)%n",
                comparison.eventsFolded(), outcome.nanos() / 1e9,
                Progress.perSecond(comparison.eventsFolded(), outcome.nanos())));
        int count = comparison.differences().size();
        int sessions = comparison.sessionsWithDifferences().size();
        text.append(String.format(Locale.ROOT, "differences:      %,d", count));
        if (count > 0) {
            text.append(String.format(Locale.ROOT, " in %,d session%s", sessions, sessions == 1 ? "" : "s"));
        }
        text.append('\n');
        comparison.differences().stream().limit(MAX_LISTED).forEach(d -> text.append(d).append('\n'));
        if (count > MAX_LISTED) {
            text.append(String.format(Locale.ROOT, "… and %,d more%n", count - MAX_LISTED));
        }
        return text.toString();
    }
}
