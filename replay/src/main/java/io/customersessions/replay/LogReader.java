package io.customersessions.replay;

import io.customersessions.eventlog.crypto.ReadInstantInterceptor;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads partitions of the log between two offsets with a plain consumer: assigned partitions, no consumer group,
 * never commits an offset, never creates a topic, never writes. Committed records only ({@code read_committed}), in
 * large fetches. Values are handed over undecoded, as views into the fetched data: valid until the next poll.
 */
final class LogReader implements AutoCloseable {

    /** For metadata and offset look-ups. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** A read that makes no progress for this long means the log cannot be read. */
    static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaConsumer<String, ByteBuffer> consumer;
    private final Progress progress;

    /** The log could not be read: missing topic, unreachable cluster, undecodable record. */
    static final class UnreadableLogException extends RuntimeException {
        UnreadableLogException(String message) {
            super(message);
        }

        UnreadableLogException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    LogReader(Map<String, Object> config, Progress progress) {
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteBufferDeserializer());
        this.progress = progress;
    }

    /**
     * Our settings under {@code overrides} (a real cluster's security settings, say): large fetches, committed
     * records only, no group, no commits, no topic creation.
     */
    static Map<String, Object> consumerConfig(String bootstrapServers, Map<String, ?> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "customer-sessions-replay");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        config.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 1024 * 1024);
        // Everything read is already there: a fetch waiting for more data would only hold up the next read.
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        // When the worker last received records: a run of erased events then costs one catch-up of the key topic.
        config.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, ReadInstantInterceptor.class.getName());
        config.putAll(overrides);
        return config;
    }

    /**
     * The end offsets of {@code partitions}: under read_committed the last stable offset, below which every
     * transaction is decided.
     */
    Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        return consumer.endOffsets(partitions, TIMEOUT);
    }

    Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
        return consumer.beginningOffsets(partitions, TIMEOUT);
    }

    List<TopicPartition> partitions(String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            throw new UnreadableLogException("the topic " + topic + " does not exist");
        }
        List<TopicPartition> partitions = new ArrayList<>();
        infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        return partitions;
    }

    /**
     * Hands every committed record at offsets {@code [from, to)} of each partition to {@code handler}, in offset order
     * within a partition, and advances the progress by the offsets passed (records, markers and compacted gaps).
     */
    void read(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to,
              Consumer<ConsumerRecord<String, ByteBuffer>> handler) {
        Map<TopicPartition, Long> position = new HashMap<>();
        from.forEach((tp, offset) -> {
            if (offset < to.get(tp)) {
                position.put(tp, offset);
            }
        });
        if (position.isEmpty()) {
            return;
        }
        consumer.assign(position.keySet());
        position.forEach(consumer::seek);
        long lastAdvance = System.nanoTime();
        while (!position.isEmpty()) {
            ConsumerRecords<String, ByteBuffer> records = consumer.poll(POLL);
            for (TopicPartition tp : records.partitions()) {
                long end = to.get(tp);
                for (ConsumerRecord<String, ByteBuffer> record : records.records(tp)) {
                    if (record.offset() >= end) {
                        break;
                    }
                    handler.accept(record);
                }
            }
            long advanced = 0;
            List<TopicPartition> finished = new ArrayList<>();
            for (Map.Entry<TopicPartition, Long> entry : position.entrySet()) {
                long end = to.get(entry.getKey());
                long now = Math.min(consumer.position(entry.getKey(), TIMEOUT), end);
                advanced += now - entry.getValue();
                entry.setValue(now);
                if (now >= end) {
                    finished.add(entry.getKey());
                }
            }
            finished.forEach(position::remove);
            consumer.pause(finished);
            if (advanced > 0) {
                progress.advance(advanced);
                lastAdvance = System.nanoTime();
            } else if (System.nanoTime() - lastAdvance > STALL_TIMEOUT.toNanos()) {
                throw new UnreadableLogException("no progress for " + STALL_TIMEOUT.toSeconds() + " s while reading "
                        + position.keySet() + " (positions " + position + ", ends " + to + ")");
            }
        }
        consumer.unsubscribe();
    }

    @Override
    public void close() {
        // A worker stopped because another failed is interrupted, and the consumer would log that interrupt as an
        // error with a stack trace while closing, after the real failure was reported: close it uninterrupted.
        boolean interrupted = Thread.interrupted();
        try {
            consumer.close();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
