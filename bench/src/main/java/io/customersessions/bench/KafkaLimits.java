package io.customersessions.bench;

import io.customersessions.avro.SessionCommand;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.eventlog.serde.AvroWireConfig;
import io.customersessions.eventlog.serde.AvroWireDeserializer;
import io.customersessions.eventlog.serde.AvroWireSerializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The raw limits of this broker for our records: how fast a plain idempotent producer appends the commands, and how
 * fast a plain read-committed consumer reads and decodes them. The fold cannot be faster than the consume side.
 */
final class KafkaLimits {

    /** Chosen on purpose, and printed: a producer tuned for throughput, as a bulk loader would be. */
    static final Map<String, Object> PRODUCER_SETTINGS;

    static {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        // Larger batches than the default 16 KiB: a command is about 1 KiB, so a batch holds ~64 of them.
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, 65_536);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // lz4: cheap on the CPU, which broker and clients share here; the carts' repeated text compresses well.
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        settings.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L << 20);
        PRODUCER_SETTINGS = Map.copyOf(settings);
    }

    private static final Duration STALL = Duration.ofSeconds(60);

    /** Commands ready to send: keys and Avro wire-format values, built and serialized before the clock starts. */
    record Prepared(List<String> keys, List<byte[]> values, Map<Workload.Kind, Integer> mix, long bytes,
                    long serializeNanos) {

        int count() {
            return keys.size();
        }
    }

    record Rate(long records, long bytes, long nanos) {

        double perSecond() {
            return records / seconds();
        }

        double megabytesPerSecond() {
            return bytes / seconds() / 1e6;
        }

        double seconds() {
            return Math.max(1, nanos) / 1e9;
        }
    }

    private KafkaLimits() {
    }

    /** The commands of {@link Workload#mixedCommands}, mapped as the session-service maps them and serialized. */
    static Prepared prepare(String runId, int count, String topic, String schemaRegistryUrl) {
        List<String> keys = new ArrayList<>(count);
        List<byte[]> values = new ArrayList<>(count);
        AtomicLong bytes = new AtomicLong();
        AtomicLong serializeNanos = new AtomicLong();
        Map<Workload.Kind, Integer> mix;
        try (AvroWireSerializer serializer = new AvroWireSerializer()) {
            serializer.configure(Map.of(AvroWireConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl), false);
            mix = Workload.mixedCommands(runId, count, 42L, command -> {
                SessionCommand avro = AvroCodec.toAvro(command);
                long started = System.nanoTime();
                byte[] value = serializer.serialize(topic, avro);
                serializeNanos.addAndGet(System.nanoTime() - started);
                String key = command.key().asString();
                keys.add(key);
                values.add(value);
                bytes.addAndGet(key.length() + value.length);
            });
        }
        return new Prepared(keys, values, mix, bytes.get(), serializeNanos.get());
    }

    /** Sends every prepared record and waits until all are acknowledged. */
    static Rate produce(String bootstrapServers, String topic, Prepared prepared) {
        Map<String, Object> config = new HashMap<>(PRODUCER_SETTINGS);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-producer");
        AtomicReference<Exception> failure = new AtomicReference<>();
        long started;
        long nanos;
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.partitionsFor(topic); // metadata before the clock starts
            awaitLeaders(bootstrapServers, topic);
            started = System.nanoTime();
            for (int i = 0; i < prepared.count(); i++) {
                producer.send(new ProducerRecord<>(topic, prepared.keys().get(i), prepared.values().get(i)),
                        (metadata, error) -> {
                            if (error != null) {
                                failure.compareAndSet(null, error);
                            }
                        });
            }
            producer.flush();
            nanos = System.nanoTime() - started;
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the producer failed: " + failure.get(), failure.get());
        }
        return new Rate(prepared.count(), prepared.bytes(), nanos);
    }

    /**
     * Waits until the broker leads every partition of {@code topic} (it answers a list-offsets request, which only a
     * leader does). Right after a topic is created the metadata may already name the leader while the broker does not
     * act as one yet: an idempotent producer's first batches then fail with NOT_LEADER_OR_FOLLOWER while the batches
     * behind them, in flight on the same connection, are appended, and the retried first ones are refused as out of
     * sequence until they expire (seen on a fresh topic of the embedded broker, Kafka 4.3.1).
     */
    private static void awaitLeaders(String bootstrapServers, String topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-leader-check");
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, STALL).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.endOffsets(partitions, STALL); // retried until every leader answers, or times out
        }
    }

    /** Reads {@code expected} records from the beginning, read_committed, and decodes each to a SessionCommand. */
    static Rate consume(String bootstrapServers, String topic, String schemaRegistryUrl, long expected) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-consumer");
        AvroWireDeserializer deserializer = new AvroWireDeserializer();
        deserializer.configure(Map.of(AvroWireConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl,
                AvroWireConfig.SPECIFIC_AVRO_READER, true), false);
        try (KafkaConsumer<String, Object> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), deserializer)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long records = 0;
            long bytes = 0;
            long started = System.nanoTime();
            long lastProgress = started;
            while (records < expected) {
                var batch = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, Object> record : batch) {
                    if (!(record.value() instanceof SessionCommand)) {
                        throw new IllegalStateException("not a SessionCommand at offset " + record.offset());
                    }
                    bytes += record.serializedKeySize() + record.serializedValueSize();
                }
                records += batch.count();
                long now = System.nanoTime();
                if (!batch.isEmpty()) {
                    lastProgress = now;
                } else if (now - lastProgress > STALL.toNanos()) {
                    throw new IllegalStateException("read " + records + " of " + expected + " records of " + topic
                            + ", then nothing for " + STALL.toSeconds() + " s");
                }
            }
            return new Rate(records, bytes, System.nanoTime() - started);
        }
    }
}
