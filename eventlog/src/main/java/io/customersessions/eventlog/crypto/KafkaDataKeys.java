package io.customersessions.eventlog.crypto;

import io.customersessions.avro.SessionDataKey;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The production {@link DataKeys}: the live keys of the compacted key topic in memory, kept current by a background
 * thread that reads the topic with a {@code read_committed} consumer (no consumer group, no commits, never writes),
 * so a new key is usually there before its event is read and a tombstone removes an erased key within a poll.
 * Thread-safe; the thread starts at the first look-up that misses (a log without sealed events never needs it).
 *
 * <p>Only the partitions of the key topic that look-ups asked for are read: a session's key is in the partition
 * the processor's producer sent it to, Kafka's default partitioner applied to the session key ({@link
 * #partitionOf}). A projector instance looks up the keys of the sessions of its own partitions only, so it holds
 * those keys, not every session's; {@code replay}, which reads the whole log, comes to hold them all. A record found
 * in another partition than its key's (a key topic written with another partitioner) makes this read every
 * partition from then on.
 *
 * <p>A miss is answered "erased" only for the log as committed when the caller read the event. The processor
 * commits a key in the same transaction as the first event sealed with it, so on a miss this takes the end offset
 * (last stable offset) of the key's partition and waits until the thread has read up to it, then looks again. Kafka
 * writes a transaction's commit markers to its partitions one after the other, so the event may be readable a
 * moment before its key: if the key is still missing, it waits until everything written to that partition by now is
 * decided and read (up to its high watermark, read uncommitted), for at most {@code settleWait} (a transaction of
 * the caller's own, still open on the key topic, is never decided while it waits); what a miss is after that is the
 * caller's choice ({@code guessWhenUnsettled}). When it got there it remembers,
 * for the partition, the instant it took the offsets: a later miss in that partition of an event read before that
 * instant ({@link ReadInstants}) is answered "erased" at once, so a run of erased events costs one catch-up per
 * partition, not one each.
 *
 * <p>Memory: one entry per session of the partitions read whose events hold personal data and whose key is not
 * erased (about 215 bytes each: the session key, its map entry and {@link #entry}). After a rebalance the projector
 * lets go of the partitions it no longer processes ({@link #keepOnly}); a look-up in one of them later reads it again
 * from its beginning.
 *
 * <p>Letting go of a partition is safe at any moment, even while a look-up in it waits: a miss is answered "erased"
 * only when no partition was let go of between the look-up's start and its answer ({@link #releases}); otherwise the
 * look-up starts again. A partition let go of is read from its beginning when it is asked for again, and nothing read
 * from it before (records of a poll in flight, positions) counts ({@link #rewind}).
 *
 * <p>A failure to read the key topic (a record whose schema the registry cannot give now, a broker away past the
 * timeout) fails the look-ups waiting meanwhile, and the reading thread tries again {@link #RETRY_PAUSE} later (twice
 * as long after each failure in a row, up to {@link #MAX_RETRY_PAUSE}) from the record after the last one it
 * applied: a passing failure heals without a restart, and the keys held never go back to an earlier state of the log.
 */
public final class KafkaDataKeys implements DataKeys, AutoCloseable {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_SETTLE_WAIT = Duration.ofSeconds(1);
    public static final Duration OUTSIDE_SETTLE_WAIT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(KafkaDataKeys.class);
    private static final Duration POLL = Duration.ofMillis(50);
    static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    /** Failures in a row wait twice as long each time, up to this. */
    static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(30);

    /** Per session key: the key's id in UTF-8 followed by its material ({@link #entry}), one array per session. */
    private final Map<String, byte[]> keys = new ConcurrentHashMap<>();
    private final String topic;
    private final Deserializer<?> values;
    private final KafkaConsumer<String, byte[]> reader;
    private final KafkaConsumer<byte[], byte[]> committedEnds;
    private final KafkaConsumer<byte[], byte[]> writtenEnds;
    private final Object offsets = new Object();
    private final Duration timeout;
    private final Duration settleWait;
    private final boolean guessWhenUnsettled;
    private final LongSupplier readInstant;
    private final AtomicLong catchUps = new AtomicLong();
    // guarded by this
    private List<TopicPartition> partitions;
    private final Set<TopicPartition> wanted = new HashSet<>();
    private boolean everyPartition;
    private Map<TopicPartition, Long> positions = Map.of();
    private final Map<TopicPartition, Long> settledAt = new HashMap<>();
    /** Where the reading thread goes on in each partition after a failure: after the last record it applied. */
    private final Map<TopicPartition, Long> resumeAt = new HashMap<>();
    /** Partitions let go of whose records and positions read before are void; see the class comment. */
    private final Set<TopicPartition> rewind = new HashSet<>();
    /** How many times {@link #keepOnly} let go of partitions. */
    private long releases;
    private Thread thread;
    private RuntimeException failure;
    private boolean closed;

    /**
     * @param consumerConfig    connection settings (bootstrap servers, security); group, offset and interceptor
     *                          settings are replaced
     * @param valueDeserializer reads {@link SessionDataKey} records (ours or Confluent's, configured for generated
     *                          classes); closed with this
     * @param readInstant       when the caller received the event it asks about, see {@link ReadInstants#current()}
     */
    public KafkaDataKeys(Map<String, ?> consumerConfig, String topic, Deserializer<?> valueDeserializer,
                         Duration timeout, Duration settleWait, LongSupplier readInstant) {
        this(consumerConfig, topic, valueDeserializer, timeout, settleWait, readInstant, true);
    }

    /**
     * @param guessWhenUnsettled what a miss is when the key's partition still has undecided transactions after
     *                           {@code settleWait}: "erased" (true: for the processor's own readers, whose open
     *                           transaction may be the undecided one, and would never be decided while they wait),
     *                           or no answer at all, an {@link IllegalStateException} the caller retries (false: for
     *                           readers with no transaction on the key topic, as a commit marker delayed by a broker
     *                           failover would otherwise make a live key read as erased, for good)
     */
    public KafkaDataKeys(Map<String, ?> consumerConfig, String topic, Deserializer<?> valueDeserializer,
                         Duration timeout, Duration settleWait, LongSupplier readInstant, boolean guessWhenUnsettled) {
        this.guessWhenUnsettled = guessWhenUnsettled;
        this.topic = topic;
        this.values = valueDeserializer;
        this.timeout = timeout;
        this.settleWait = settleWait;
        this.readInstant = readInstant;
        this.reader = new KafkaConsumer<>(config(consumerConfig, "read_committed", "keys"),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.committedEnds = new KafkaConsumer<>(config(consumerConfig, "read_committed", "keys-committed-ends"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.writtenEnds = new KafkaConsumer<>(config(consumerConfig, "read_uncommitted", "keys-written-ends"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * With the default timeouts, for the processor's readers that poll with {@link ReadInstantInterceptor} in the
     * processor's own transactions: a key still undecided after {@link #DEFAULT_SETTLE_WAIT} is erased.
     */
    public static KafkaDataKeys open(Map<String, ?> consumerConfig, String topic, Deserializer<?> valueDeserializer) {
        return new KafkaDataKeys(consumerConfig, topic, valueDeserializer, DEFAULT_TIMEOUT, DEFAULT_SETTLE_WAIT,
                ReadInstants::current, true);
    }

    /**
     * For readers that write nothing to the key topic ({@code replay}, a views generation): a key still undecided is
     * waited for up to {@link #OUTSIDE_SETTLE_WAIT}, then no answer (never guessed erased). Shorter than Kafka Streams'
     * transaction timeout under exactly-once (10 s), so a views generation's own transaction is not aborted meanwhile.
     */
    public static KafkaDataKeys openOutsideTransactions(Map<String, ?> consumerConfig, String topic,
                                                        Deserializer<?> valueDeserializer) {
        return new KafkaDataKeys(consumerConfig, topic, valueDeserializer, DEFAULT_TIMEOUT, OUTSIDE_SETTLE_WAIT,
                ReadInstants::current, false);
    }

    /**
     * @throws IllegalStateException when the key topic cannot be read up to its end within the timeout, or this is
     *                               closed: there is then no answer, and "erased" would be a guess
     */
    @Override
    public Optional<SecretKey> find(String sessionKey, String keyId) {
        Optional<SecretKey> known = known(sessionKey, keyId);
        if (known.isPresent()) {
            return known;
        }
        long read = readInstant.getAsLong();
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean counted = false;
        while (true) {
            TopicPartition partition;
            long releasesAtStart;
            synchronized (this) {
                start();
                partition = partitionOf(sessionKey);
                releasesAtStart = releases;
                Long settled = settledAt.get(partition);
                if (settled != null && settled - read >= 0) {
                    return known(sessionKey, keyId);
                }
            }
            if (!counted) {
                catchUps.incrementAndGet();
                counted = true;
            }
            Optional<SecretKey> answer = catchUp(sessionKey, keyId, partition, releasesAtStart, deadline);
            if (answer != null) {
                return answer;
            }
        }
    }

    /**
     * Reads {@code partition} (or every partition) up to its end and looks again; {@code null} when a partition was
     * let go of meanwhile, so that a miss may be no answer.
     */
    private Optional<SecretKey> catchUp(String sessionKey, String keyId, TopicPartition partition,
                                        long releasesAtStart, long deadline) {
        List<TopicPartition> caughtUp;
        do {
            caughtUp = scope(partition);
            Reach reach = readUpTo(ends(committedEnds, caughtUp), deadline, sessionKey, keyId, releasesAtStart);
            if (reach == Reach.LET_GO) {
                return null;
            }
            if (reach == Reach.TIMED_OUT) {
                throw new IllegalStateException("could not read the key topic " + topic + " up to its end within "
                        + timeout.toSeconds() + " s");
            }
        } while (!caughtUp.equals(scope(partition)));
        Optional<SecretKey> known = known(sessionKey, keyId);
        if (known.isPresent()) {
            return known;
        }
        long takenAt = System.nanoTime();
        Reach settled = readUpTo(ends(writtenEnds, caughtUp), System.nanoTime() + settleWait.toNanos(), sessionKey,
                keyId, releasesAtStart);
        synchronized (this) {
            if (settled == Reach.LET_GO || releases != releasesAtStart) {
                return null;
            }
            if (settled == Reach.REACHED) {
                for (TopicPartition caught : caughtUp) {
                    settledAt.merge(caught, takenAt, (before, now) -> now - before > 0 ? now : before);
                }
            } else if (guessWhenUnsettled) {
                LOG.info("the key topic {} still has undecided transactions after {} ms: reading a key that is not "
                        + "there as erased", topic, settleWait.toMillis());
            } else {
                throw new IllegalStateException("the key topic " + topic + " still has undecided transactions after "
                        + settleWait.toMillis() + " ms: no answer for a key that is not there yet");
            }
            return known(sessionKey, keyId);
        }
    }

    /**
     * Lets go of the key topic's partitions that hold none of the keys of {@code logPartitions}, the partitions of
     * the event log (of {@code logPartitionCount}) whose events this instance reads now: it stops reading them and
     * forgets their keys. Nothing is let go of when the two topics' partition counts differ, or once keys were found
     * outside their partitions (both mean a key's partition cannot be told from its session's).
     *
     * @return how many partitions were let go of
     */
    public int keepOnly(Set<Integer> logPartitions, int logPartitionCount) {
        synchronized (this) {
            if (thread == null || closed || everyPartition || partitions.size() != logPartitionCount) {
                return 0;
            }
            Set<TopicPartition> released = new HashSet<>();
            for (TopicPartition partition : wanted) {
                if (!logPartitions.contains(partition.partition())) {
                    released.add(partition);
                }
            }
            if (released.isEmpty()) {
                return 0;
            }
            wanted.removeAll(released);
            rewind.addAll(released);
            releases++;
            settledAt.keySet().removeAll(released);
            Map<TopicPartition, Long> kept = new HashMap<>(positions);
            kept.keySet().removeAll(released);
            positions = kept;
            keys.keySet().removeIf(sessionKey -> released.contains(partitionOf(sessionKey)));
            notifyAll();
            LOG.info("let go of the data keys of partitions {} of {}", released.stream()
                    .map(TopicPartition::partition).sorted().toList(), topic);
            return released.size();
        }
    }

    /** How many look-ups missed and read the key topic's end offsets (for monitoring: erased events cost this). */
    public long catchUps() {
        return catchUps.get();
    }

    /** How many keys are held (for monitoring: the live keys of the partitions read). */
    public int keysHeld() {
        return keys.size();
    }

    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = thread;
            notifyAll();
        }
        if (running != null && running.isAlive()) {
            reader.wakeup();
            try {
                running.join(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (running == null) {
            reader.close();
        }
        synchronized (offsets) {
            committedEnds.close();
            writtenEnds.close();
        }
        values.close();
    }

    private Optional<SecretKey> known(String sessionKey, String keyId) {
        byte[] entry = keys.get(sessionKey);
        if (entry == null) {
            return Optional.empty();
        }
        int idLength = entry.length - EventSealing.KEY_BYTES;
        byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
        return Arrays.equals(entry, 0, idLength, id, 0, id.length)
                ? Optional.of(new SecretKeySpec(entry, idLength, EventSealing.KEY_BYTES, EventSealing.KEY_ALGORITHM))
                : Optional.empty();
    }

    /**
     * A key as this keeps it: one array instead of an id string, a {@link SecretKeySpec} and a holder, about 90 bytes
     * less per session (BENCHMARKS.md, "Thirteenth look"), since a projector keeps the keys of all its sessions.
     */
    private static byte[] entry(SessionDataKey key) {
        byte[] id = key.getKeyId().getBytes(StandardCharsets.UTF_8);
        byte[] material = EventSealing.secretKey(key).getEncoded();
        byte[] entry = Arrays.copyOf(id, id.length + material.length);
        System.arraycopy(material, 0, entry, id.length, material.length);
        return entry;
    }

    /**
     * The key topic's partition of a session key, as the processor's producer chose it: Kafka's default partitioner
     * (murmur2 of the key's UTF-8 bytes) over the topic's partitions. Caller holds the monitor, after {@link #start}.
     */
    private TopicPartition partitionOf(String sessionKey) {
        byte[] key = sessionKey.getBytes(StandardCharsets.UTF_8);
        return partitions.get(Utils.toPositive(Utils.murmur2(key)) % partitions.size());
    }

    /**
     * The partitions a look-up in {@code partition} waits for, that one or every one once keys were found astray,
     * asked of the reading thread.
     */
    private synchronized List<TopicPartition> scope(TopicPartition partition) {
        List<TopicPartition> scope = everyPartition ? partitions : List.of(partition);
        if (wanted.addAll(scope)) {
            notifyAll();
        }
        return scope;
    }

    /** Starts the reading thread if it is not running yet; caller holds the monitor. */
    private void start() {
        if (closed) {
            throw new IllegalStateException("the data keys of " + topic + " are closed");
        }
        if (thread != null) {
            return;
        }
        List<PartitionInfo> infos;
        synchronized (offsets) {
            infos = committedEnds.partitionsFor(topic, timeout);
        }
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("the key topic " + topic + " does not exist");
        }
        partitions = infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
        thread = new Thread(this::run, "data-keys-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private Map<TopicPartition, Long> ends(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> of) {
        synchronized (offsets) {
            return consumer.endOffsets(of, timeout);
        }
    }

    private enum Reach { REACHED, TIMED_OUT, LET_GO }

    /**
     * Waits until the reading thread is at or past {@code ends}, or has read the key asked for, unless {@code
     * deadline} passes or a partition is let go of first.
     */
    private synchronized Reach readUpTo(Map<TopicPartition, Long> ends, long deadline, String sessionKey,
                                        String keyId, long releasesAtStart) {
        while (true) {
            if (failure != null) {
                throw new IllegalStateException("reading the key topic " + topic + " failed: " + failure, failure);
            }
            if (closed) {
                throw new IllegalStateException("the data keys of " + topic + " are closed");
            }
            if (releases != releasesAtStart) {
                return Reach.LET_GO;
            }
            boolean reached = known(sessionKey, keyId).isPresent() || ends.entrySet().stream()
                    .allMatch(end -> positions.getOrDefault(end.getKey(), -1L) >= end.getValue());
            long remaining = deadline - System.nanoTime();
            if (reached || remaining <= 0) {
                return reached ? Reach.REACHED : Reach.TIMED_OUT;
            }
            try {
                wait(Math.max(1, remaining / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the key topic " + topic, e);
            }
        }
    }

    private void run() {
        try {
            int failuresInARow = 0;
            while (true) {
                try {
                    readOnce();
                    failuresInARow = 0;
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // A passing failure (the registry or a broker away): look-ups fail meanwhile, and reading goes
                    // on from the record after the last one applied, never back: the keys held stay as the log
                    // has them (a key erased since is not brought back), and a record that cannot be read is
                    // tried again, alone.
                    failuresInARow++;
                    long pauseMs = Math.min(MAX_RETRY_PAUSE.toMillis(),
                            RETRY_PAUSE.toMillis() << Math.min(failuresInARow - 1, 10));
                    if (failuresInARow == 1) {
                        LOG.error("reading the key topic {} failed; trying again in {} ms", topic, pauseMs, e);
                    } else {
                        LOG.warn("reading the key topic {} failed again ({} in a row; trying again in {} ms): {}",
                                topic, failuresInARow, pauseMs, e.toString());
                    }
                    for (TopicPartition partition : reader.assignment()) {
                        Long next = resumeAt.get(partition);
                        if (next == null) {
                            reader.seekToBeginning(List.of(partition));
                        } else {
                            reader.seek(partition, next);
                        }
                    }
                    synchronized (this) {
                        failure = e;
                        notifyAll();
                        if (!closed) {
                            wait(pauseMs);
                        }
                    }
                }
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                }
            }
        } catch (WakeupException e) {
            // closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            reader.close();
        }
    }

    /** One poll for the partitions wanted now. */
    private void readOnce() throws InterruptedException {
        Set<TopicPartition> target;
        Set<TopicPartition> rewound;
        synchronized (this) {
            while (wanted.isEmpty() && !closed) {
                wait();
            }
            if (closed) {
                return;
            }
            target = Set.copyOf(wanted);
            rewound = Set.copyOf(rewind);
            rewind.clear();
        }
        Set<TopicPartition> before = reader.assignment();
        List<TopicPartition> fromStart = target.stream()
                .filter(p -> !before.contains(p) || rewound.contains(p)).toList();
        // Before anything can fail: a retry must not resume these where they were read before.
        fromStart.forEach(resumeAt::remove);
        if (!target.equals(before)) {
            reader.assign(target);
        }
        if (!fromStart.isEmpty()) {
            reader.seekToBeginning(fromStart);
        }
        for (ConsumerRecord<String, byte[]> record : reader.poll(POLL)) {
            apply(record);
            resumeAt.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
        }
        Map<TopicPartition, Long> now = new HashMap<>();
        for (TopicPartition partition : target) {
            now.put(partition, reader.position(partition, timeout));
        }
        resumeAt.putAll(now);
        synchronized (this) {
            if (closed) {
                return;
            }
            now.keySet().removeIf(partition -> !wanted.contains(partition) || rewind.contains(partition));
            positions = now;
            failure = null;
            notifyAll();
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        readEverywhereIfAstray(record);
        byte[] entry = null;
        if (record.value() != null) {
            if (!(values.deserialize(record.topic(), record.value()) instanceof SessionDataKey key)) {
                throw new IllegalStateException("a record of " + topic + " at " + record.partition() + "@"
                        + record.offset() + " is not a SessionDataKey (specific.avro.reader must be true)");
            }
            entry = entry(key);
        }
        synchronized (this) {
            TopicPartition from = new TopicPartition(record.topic(), record.partition());
            if (!wanted.contains(from) || rewind.contains(from)) {
                return; // let go of since it was polled
            }
            if (entry == null) {
                keys.remove(record.key());
            } else {
                keys.put(record.key(), entry);
            }
        }
    }

    /** A key outside its key's partition: the partitioner is not Kafka's default, so no partition can be skipped. */
    private synchronized void readEverywhereIfAstray(ConsumerRecord<String, byte[]> record) {
        if (everyPartition || partitionOf(record.key()).partition() == record.partition()) {
            return;
        }
        LOG.warn("the key of {} is in partition {} of {}, not in the one Kafka's default partitioner gives it: "
                + "reading every partition of the key topic", record.key(), record.partition(), topic);
        everyPartition = true;
        wanted.addAll(partitions);
        settledAt.clear(); // each was for its own partition only, where the keys of its sessions may not all be
        notifyAll();
    }

    private static Map<String, Object> config(Map<String, ?> given, String isolation, String role) {
        Map<String, Object> config = new HashMap<>(given);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG);
        config.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
        config.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
        Object clientId = given.get(ConsumerConfig.CLIENT_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, (clientId == null ? "customer-sessions" : clientId) + "-" + role);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        return config;
    }
}
