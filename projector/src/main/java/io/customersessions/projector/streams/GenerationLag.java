package io.customersessions.projector.streams;

import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How far this projector's generation is behind the log: per source topic, the committed end offsets (last stable
 * offsets) minus the offsets its application has committed, summed over the partitions. A partition without a
 * committed offset counts from its beginning (the generation starts from offset 0 of the log). 0 means every
 * record committed to the log so far has been applied to this generation's stores.
 */
@Singleton
public class GenerationLag {

    private static final long TIMEOUT_SECONDS = 10;

    private final Admin admin;
    private final Generation generation;

    public GenerationLag(AdminClient admin, Generation generation) {
        this.admin = admin;
        this.generation = generation;
    }

    /**
     * Per partition of the generation's source topics: the committed end (last stable offset) and the offset this
     * generation's application has committed (absent: none yet, it starts from 0).
     */
    public record LogPositions(Map<TopicPartition, Long> ends, Map<TopicPartition, Long> committed) {

        public LogPositions {
            ends = Map.copyOf(ends);
            committed = Map.copyOf(committed);
        }

        /** Records of {@code partition} before {@code end} that this generation has not applied yet. */
        public long behind(TopicPartition partition, long end) {
            return Math.max(0, end - committed.getOrDefault(partition, 0L));
        }
    }

    /** Records not yet applied, by source topic, in the generation's topic order. */
    public Map<String, Long> byTopic() {
        LogPositions positions = positions();
        Map<String, Long> lag = new LinkedHashMap<>();
        generation.sourceTopics().forEach(topic -> lag.put(topic, 0L));
        positions.ends().forEach((tp, end) -> lag.merge(tp.topic(), positions.behind(tp, end), Long::sum));
        return lag;
    }

    /** Where the log ends and where this generation is, read now. */
    public LogPositions positions() {
        try {
            Map<String, TopicDescription> topics = admin.describeTopics(generation.sourceTopics()).allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            topics.values().forEach(topic -> topic.partitions().forEach(
                    p -> latest.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
            Map<TopicPartition, Long> committed = new HashMap<>();
            admin.listConsumerGroupOffsets(generation.applicationId()).partitionsToOffsetAndMetadata()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).forEach((tp, at) -> {
                        if (at != null) {
                            committed.put(tp, at.offset());
                        }
                    });
            return new LogPositions(ends, committed);
        } catch (ExecutionException | TimeoutException e) {
            throw new LagUnavailableException("cannot read the offsets of " + generation.sourceTopics() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LagUnavailableException("interrupted while reading offsets", e);
        }
    }

    /** The cluster did not answer the offset look-ups. */
    public static final class LagUnavailableException extends RuntimeException {
        public LagUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
