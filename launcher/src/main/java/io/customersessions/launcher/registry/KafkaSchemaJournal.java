package io.customersessions.launcher.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Keeps the registry's assignments in a compacted, single-partition Kafka topic, as Confluent's registry keeps its
 * {@code _schemas} topic: key {@code <subject>/<version>}, value the {@link SchemaRecord} as JSON. Writes are
 * synchronous (idempotent producer, {@code acks=all}), so an id is durable before any client sees it.
 *
 * <p>Single writer: the registry reads the topic only at start, so two registries on one topic would assign the
 * same ids to different schemas. Run one registry per cluster.
 */
public final class KafkaSchemaJournal implements SchemaStore.Journal, AutoCloseable {

    /** Unknown fields are ignored so that a journal written by a newer registry still replays. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final String topic;
    private final KafkaProducer<String, String> producer;

    private KafkaSchemaJournal(String bootstrapServers, String topic, KafkaProducer<String, String> producer) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.producer = producer;
    }

    /**
     * Creates the topic if it is absent (1 partition, compacted, the cluster's default replication factor) and opens
     * the journal for appending.
     */
    public static KafkaSchemaJournal open(String bootstrapServers, String topic) {
        createTopicIfAbsent(bootstrapServers, topic);
        Properties producer = new Properties();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producer.put(ProducerConfig.CLIENT_ID_CONFIG, "schema-registry-journal");
        return new KafkaSchemaJournal(bootstrapServers, topic,
                new KafkaProducer<>(producer, new StringSerializer(), new StringSerializer()));
    }

    /** Every record in the topic, oldest first, read up to the end offset found on entry. */
    public List<SchemaRecord> readAll() {
        Properties consumer = new Properties();
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, "schema-registry-journal-reader");
        TopicPartition partition = new TopicPartition(topic, 0);
        List<SchemaRecord> records = new ArrayList<>();
        try (KafkaConsumer<String, String> reader =
                     new KafkaConsumer<>(consumer, new StringDeserializer(), new StringDeserializer())) {
            reader.assign(List.of(partition));
            reader.seekToBeginning(List.of(partition));
            long end = reader.endOffsets(List.of(partition), TIMEOUT).get(partition);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (reader.position(partition, TIMEOUT) < end) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("timed out reading schema journal " + topic + " up to offset " + end);
                }
                for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(200))) {
                    if (record.value() != null) {
                        records.add(parse(record));
                    }
                }
            }
        }
        return records;
    }

    @Override
    public void append(SchemaRecord record) {
        try {
            producer.send(new ProducerRecord<>(topic, 0, record.key(), JSON.writeValueAsString(record)))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while writing " + record.key() + " to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("could not write " + record.key() + " to " + topic + ": " + e, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    private static SchemaRecord parse(ConsumerRecord<String, String> record) {
        try {
            return JSON.readValue(record.value(), SchemaRecord.class);
        } catch (JsonProcessingException e) {
            throw new KafkaException("unreadable record at offset " + record.offset() + " of schema journal "
                    + record.topic() + ": " + e.getOriginalMessage(), e);
        }
    }

    private static void createTopicIfAbsent(String bootstrapServers, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            NewTopic journal = new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(List.of(journal)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new KafkaException("could not create schema journal topic " + topic + ": " + e.getCause(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while creating schema journal topic " + topic, e);
        } catch (TimeoutException e) {
            throw new KafkaException("timed out creating schema journal topic " + topic, e);
        }
    }
}
