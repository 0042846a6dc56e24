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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The production {@link DataKeys}: every live key of the compacted key topic in memory, kept current by a
 * background thread that reads all partitions of the topic with a {@code read_committed} consumer (no consumer group,
 * no commits, never writes), so a new key is usually there before its event is read and a tombstone removes an
 * erased key within a poll. Thread-safe; the thread starts at the first look-up that misses (a log without sealed
 * events never needs it).
 *
 * <p>A miss is answered "erased" only for the log as committed when the caller read the event. The processor
 * commits a key in the same transaction as the first event sealed with it, so on a miss this takes the key topic's
 * end offsets (last stable offsets) and waits until the thread has read up to them, then looks again. Kafka writes a
 * transaction's commit markers to its partitions one after the other, so the event may be readable a moment before
 * its key: if the key is still missing, it waits until everything written to the key topic by now is decided and
 * read (up to the high watermarks, read uncommitted), for at most {@code settleWait} (a transaction of the caller's
 * own, still open on the key topic, is never decided while it waits). When it got there it remembers the instant it
 * took them: a later miss of an event read before that instant ({@link ReadInstants}) is answered "erased" at once,
 * so a run of erased events costs one catch-up, not one each.
 *
 * <p>Memory: one entry per session whose events hold personal data and whose key is not erased (about 215
 * bytes each: the session key, its map entry and {@link #entry}).
 */
public final class KafkaDataKeys implements DataKeys, AutoCloseable {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_SETTLE_WAIT = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(KafkaDataKeys.class);
    private static final Duration POLL = Duration.ofMillis(50);

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
    private final LongSupplier readInstant;
    private final AtomicLong catchUps = new AtomicLong();
    // guarded by this
    private List<TopicPartition> partitions;
    private Map<TopicPartition, Long> positions = Map.of();
    private Thread thread;
    private RuntimeException failure;
    private boolean settled;
    private long settledAt;
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

    /** With the default timeouts, for readers that poll with {@link ReadInstantInterceptor}. */
    public static KafkaDataKeys open(Map<String, ?> consumerConfig, String topic, Deserializer<?> valueDeserializer) {
        return new KafkaDataKeys(consumerConfig, topic, valueDeserializer, DEFAULT_TIMEOUT, DEFAULT_SETTLE_WAIT,
                ReadInstants::current);
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
        synchronized (this) {
            if (settled && settledAt - read >= 0) {
                return known(sessionKey, keyId);
            }
            start();
        }
        catchUps.incrementAndGet();
        long started = System.nanoTime();
        if (!readUpTo(ends(committedEnds), started + timeout.toNanos(), sessionKey, keyId)) {
            throw new IllegalStateException("could not read the key topic " + topic + " up to its end within "
                    + timeout.toSeconds() + " s");
        }
        known = known(sessionKey, keyId);
        if (known.isPresent()) {
            return known;
        }
        long takenAt = System.nanoTime();
        if (readUpTo(ends(writtenEnds), System.nanoTime() + settleWait.toNanos(), sessionKey, keyId)) {
            known = known(sessionKey, keyId);
            if (known.isPresent()) {
                return known;
            }
            synchronized (this) {
                if (!settled || takenAt - settledAt > 0) {
                    settled = true;
                    settledAt = takenAt;
                }
            }
        } else {
            LOG.info("the key topic {} still has undecided transactions after {} ms: reading a key that is not "
                    + "there as erased", topic, settleWait.toMillis());
        }
        return known(sessionKey, keyId);
    }

    /** How many look-ups missed and read the key topic's end offsets (for monitoring: erased events cost this). */
    public long catchUps() {
        return catchUps.get();
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
     * less per session (BENCHMARKS.md, "Thirteenth look"), since every projector keeps every session's key.
     */
    private static byte[] entry(SessionDataKey key) {
        byte[] id = key.getKeyId().getBytes(StandardCharsets.UTF_8);
        byte[] material = EventSealing.secretKey(key).getEncoded();
        byte[] entry = Arrays.copyOf(id, id.length + material.length);
        System.arraycopy(material, 0, entry, id.length, material.length);
        return entry;
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

    private Map<TopicPartition, Long> ends(KafkaConsumer<byte[], byte[]> consumer) {
        List<TopicPartition> of;
        synchronized (this) {
            of = partitions;
        }
        synchronized (offsets) {
            return consumer.endOffsets(of, timeout);
        }
    }

    /**
     * Waits until the reading thread is at or past {@code ends}, or has read the key asked for; false when {@code
     * deadline} passes first.
     */
    private synchronized boolean readUpTo(Map<TopicPartition, Long> ends, long deadline, String sessionKey,
                                          String keyId) {
        while (true) {
            if (failure != null) {
                throw new IllegalStateException("reading the key topic " + topic + " failed: " + failure, failure);
            }
            if (closed) {
                throw new IllegalStateException("the data keys of " + topic + " are closed");
            }
            boolean reached = known(sessionKey, keyId).isPresent() || ends.entrySet().stream()
                    .allMatch(end -> positions.getOrDefault(end.getKey(), -1L) >= end.getValue());
            long remaining = deadline - System.nanoTime();
            if (reached || remaining <= 0) {
                return reached;
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
            List<TopicPartition> assigned;
            synchronized (this) {
                assigned = partitions;
            }
            reader.assign(assigned);
            reader.seekToBeginning(assigned);
            while (true) {
                reader.poll(POLL).forEach(this::apply);
                Map<TopicPartition, Long> now = new HashMap<>();
                for (TopicPartition partition : assigned) {
                    now.put(partition, reader.position(partition, timeout));
                }
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    positions = now;
                    notifyAll();
                }
            }
        } catch (WakeupException e) {
            // closed
        } catch (RuntimeException e) {
            LOG.error("reading the key topic {} failed", topic, e);
            synchronized (this) {
                failure = e;
                notifyAll();
            }
        } finally {
            reader.close();
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            keys.remove(record.key());
            return;
        }
        if (!(values.deserialize(record.topic(), record.value()) instanceof SessionDataKey key)) {
            throw new IllegalStateException("a record of " + topic + " at " + record.partition() + "@"
                    + record.offset() + " is not a SessionDataKey (specific.avro.reader must be true)");
        }
        keys.put(record.key(), entry(key));
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
