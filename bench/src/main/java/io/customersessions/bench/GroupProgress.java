package io.customersessions.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/**
 * Whether a consumer group has processed a topic up to its end. Under exactly-once a Streams application commits its
 * input offsets in the same transaction as its outputs, so committed offsets at the end mean every output of every
 * input record is committed too. One admin round trip per check: cheap enough to poll while measuring.
 */
final class GroupProgress implements AutoCloseable {

    private final Admin admin;

    GroupProgress(String bootstrapServers) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** Records of {@code topic} the group has not committed yet. */
    long lag(String group, String topic) {
        try {
            var partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic)
                    .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, Long> ends = admin.listOffsets(partitions.stream()
                            .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()))).all().get()
                    .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            long lag = 0;
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                OffsetAndMetadata done = committed.get(end.getKey());
                lag += end.getValue() - (done == null ? 0 : done.offset());
            }
            return lag;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the offsets of " + group + ": " + e.getCause(), e);
        }
    }

    /**
     * Polls every {@code interval} until the group has committed all of {@code topic}; fails when it made no
     * progress for {@code stall}, or when {@code failed} says the consumer is gone.
     */
    void awaitCaughtUp(String group, String topic, Duration interval, Duration stall, BooleanSupplier failed) {
        awaitCaughtUp(group, topic, interval, stall, failed, lag -> { });
    }

    /** As {@link #awaitCaughtUp(String, String, Duration, Duration, BooleanSupplier)}, telling {@code onLag} each lag read. */
    void awaitCaughtUp(String group, String topic, Duration interval, Duration stall, BooleanSupplier failed,
                       LongConsumer onLag) {
        long lastLag = Long.MAX_VALUE;
        long lastProgress = System.nanoTime();
        while (true) {
            long lag = lag(group, topic);
            onLag.accept(lag);
            if (lag == 0) {
                return;
            }
            long now = System.nanoTime();
            if (lag < lastLag) {
                lastLag = lag;
                lastProgress = now;
            } else if (now - lastProgress > stall.toNanos()) {
                throw new IllegalStateException(group + " made no progress on " + topic + " for " + stall.toSeconds()
                        + " s (" + lag + " records behind)");
            }
            if (failed.getAsBoolean()) {
                throw new IllegalStateException(group + " stopped with " + lag + " records of " + topic + " left");
            }
            sleep(interval);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
