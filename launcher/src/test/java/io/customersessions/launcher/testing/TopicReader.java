package io.customersessions.launcher.testing;

import io.customersessions.eventlog.serde.AvroWireDeserializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads a whole topic (committed records only) with a plain consumer, as an auditor would. */
public final class TopicReader {

    private TopicReader() {
    }

    /** Every committed record of {@code topic}, its values decoded as the specific Avro classes. */
    public static List<ConsumerRecord<String, Object>> readAll(String bootstrapServers, String registryUrl,
                                                               String topic) {
        return readCommitted(bootstrapServers, topic, Map.of(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroWireDeserializer.class.getName(),
                "schema.registry.url", registryUrl,
                "specific.avro.reader", true));
    }

    /** Every committed record of {@code topic}, its values as they are in the log. */
    public static List<ConsumerRecord<String, byte[]>> readRaw(String bootstrapServers, String topic) {
        return readCommitted(bootstrapServers, topic, Map.of(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
    }

    private static <V> List<ConsumerRecord<String, V>> readCommitted(String bootstrapServers, String topic,
                                                                    Map<String, Object> valueConfig) {
        Map<String, Object> config = new HashMap<>(valueConfig);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, V>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
