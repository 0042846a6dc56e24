package io.customersessions.replay;

import io.customersessions.avro.CustomerSessionState;
import io.customersessions.avro.SessionEvent;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.serde.AvroSchemas;
import io.customersessions.eventlog.serde.AvroWireConfig;
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
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code java -jar replay/target/replay.jar}: the auditor's rebuild and verify. Folds the whole event log with the
 * domain's evolve into a fresh in-memory map and compares every session with the live projection (the compacted
 * state topic) field by field; see {@link Verifier} for which states are compared and {@link ReplayOptions} for the
 * command line. Reads only: no consumer group, no offset commits, no topic creation, no writes.
 */
public final class Replay {

    /** Listed differences; the rest are counted. */
    static final int MAX_LISTED = 100;

    private Replay() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /**
     * Runs the command and returns its exit status: 0 when the live projection is what the log says, 1 when it
     * differs, 2 on a usage error or when the log cannot be read. The summary goes to {@code out}, the progress bar
     * and errors to {@code err}.
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
        try {
            Outcome outcome = verify(options, extra, progress);
            out.print(report(options, outcome));
            out.flush();
            return outcome.comparison().consistent() ? 0 : 1;
        } catch (UnreadableLogException | KafkaException e) {
            err.println();
            err.println("replay: cannot read the log at " + options.bootstrapServers() + ": " + describe(e));
            return 2;
        }
    }

    /** What a run found, and how long folding the events took. */
    record Outcome(Topics topics, Comparison comparison, long eventNanos) {
    }

    private static Outcome verify(ReplayOptions options, Map<String, Object> extra, Progress progress) {
        AvroSchemas.trustGeneratedClasses();
        Topics topics = Topics.defaults().withPrefix(options.topicPrefix());
        Verifier verifier = new Verifier(options.since());
        try (Deserializer<Object> deserializer = deserializer(options, extra);
             LogReader reader = new LogReader(LogReader.consumerConfig(options.bootstrapServers(), extra), progress)) {
            // The order matters, see Verifier: events settled, then the live state, then every event to fold.
            Map<TopicPartition, Long> settled = reader.endOffsets(topics.events());
            Map<TopicPartition, Long> stateEnd = reader.endOffsets(topics.state());
            Map<TopicPartition, Long> eventsEnd = reader.endOffsets(topics.events());
            Map<TopicPartition, Long> stateStart = reader.beginningOffsets(stateEnd.keySet());
            Map<TopicPartition, Long> eventsStart = reader.beginningOffsets(eventsEnd.keySet());
            progress.total(span(stateStart, stateEnd) + span(eventsStart, eventsEnd));

            Map<String, byte[]> latest = new HashMap<>();
            reader.read(stateStart, stateEnd, record -> latest.put(key(record), copy(record.value())));
            latest.forEach((key, bytes) -> verifier.live(key, state(deserializer, topics.state(), key, bytes)));
            latest.clear();

            long[] settledBelow = byPartition(settled);
            long eventsStarted = System.nanoTime();
            progress.startEvents();
            reader.read(eventsStart, eventsEnd, record -> {
                boolean recent = record.partition() >= settledBelow.length
                        || record.offset() >= settledBelow[record.partition()];
                verifier.fold(key(record), event(deserializer, record), recent);
                progress.events(verifier.eventsFolded());
            });
            long eventNanos = System.nanoTime() - eventsStarted;
            Comparison comparison = verifier.compare();
            if (!comparison.consistent()) {
                comparison = recheck(reader, deserializer, topics, verifier, comparison, stateEnd, eventsEnd);
            }
            progress.finish();
            return new Outcome(topics, comparison, eventNanos);
        }
    }

    /**
     * A second look at the sessions that differed, with what both topics received since the first capture (state
     * ends first again), in case the capture split a transaction whose markers had reached one topic only.
     */
    private static Comparison recheck(LogReader reader, Deserializer<Object> deserializer, Topics topics,
                                      Verifier verifier, Comparison first, Map<TopicPartition, Long> stateFrom,
                                      Map<TopicPartition, Long> eventsFrom) {
        Set<String> keys = first.sessionsWithDifferences();
        Map<TopicPartition, Long> stateEnd = reader.endOffsets(topics.state());
        Map<TopicPartition, Long> eventsEnd = reader.endOffsets(topics.events());
        Map<String, byte[]> latest = new HashMap<>();
        reader.read(stateFrom, stateEnd, record -> {
            if (keys.contains(record.key())) {
                latest.put(record.key(), copy(record.value()));
            }
        });
        latest.forEach((key, bytes) -> verifier.live(key, state(deserializer, topics.state(), key, bytes)));
        reader.read(eventsFrom, eventsEnd, record -> {
            if (keys.contains(record.key())) {
                verifier.fold(record.key(), event(deserializer, record), true);
            }
        });
        return verifier.recompare(first);
    }

    @SuppressWarnings("unchecked")
    private static Deserializer<Object> deserializer(ReplayOptions options, Map<String, Object> extra) {
        Object instance;
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            instance = Class.forName(options.deserializer(), true, loader != null ? loader : Replay.class.getClassLoader())
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new UnreadableLogException("cannot instantiate the deserializer " + options.deserializer() + ": " + e, e);
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

    private static SessionEvent event(Deserializer<Object> deserializer, ConsumerRecord<String, ByteBuffer> record) {
        Object value;
        try {
            value = deserializer.deserialize(record.topic(), record.headers(), record.value());
        } catch (KafkaException e) {
            throw new UnreadableLogException("cannot decode the event at " + where(record) + ": " + describe(e), e);
        }
        if (!(value instanceof SessionEvent event)) {
            throw new UnreadableLogException("the record at " + where(record) + " is not a SessionEvent but "
                    + (value == null ? "a tombstone" : value.getClass().getName()));
        }
        return event;
    }

    private static CustomerSessionState state(Deserializer<Object> deserializer, String topic, String key,
                                              byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        Object value;
        try {
            value = deserializer.deserialize(topic, bytes);
        } catch (KafkaException e) {
            throw new UnreadableLogException("cannot decode the live state of " + key + " in " + topic + ": "
                    + describe(e), e);
        }
        if (!(value instanceof CustomerSessionState state)) {
            throw new UnreadableLogException("the live state of " + key + " in " + topic + " is not a "
                    + "CustomerSessionState but " + value.getClass().getName());
        }
        return state;
    }

    private static byte[] copy(ByteBuffer value) {
        if (value == null) {
            return null;
        }
        byte[] bytes = new byte[value.remaining()];
        value.duplicate().get(bytes);
        return bytes;
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
        text.append(String.format(Locale.ROOT, "events folded:    %,d in %.2f s (%,.0f events/s)%n", comparison.eventsFolded(),
                outcome.eventNanos() / 1e9, Progress.perSecond(comparison.eventsFolded(), outcome.eventNanos())));
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
