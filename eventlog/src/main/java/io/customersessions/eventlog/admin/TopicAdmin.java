package io.customersessions.eventlog.admin;

import io.customersessions.eventlog.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the topics of the log when they are missing, with the retention each one needs. Idempotent: both
 * services call it at start-up, whichever comes first creates, and existing topics are left as they are
 * (their partition count is never changed here: that would move sessions between writers).
 */
public final class TopicAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);
    private static final String FOREVER = "-1";
    private static final String ONE_HOUR_MS = "3600000";
    private static final String SEVEN_DAYS_MS = "604800000";
    /**
     * Segments of the commands topic, which holds personal data in clear: Kafka deletes whole closed segments, so a
     * command is gone at most retention + one segment (8 days) after it was written, not retention + the default
     * 7-day segment.
     */
    private static final String ONE_DAY_MS = "86400000";
    /**
     * Bounds how long a compacted topic keeps a value that a newer one replaced: a redacted session's earlier,
     * personal state is gone from the state topic at most this long (plus a cleaner pass) after the redaction, as
     * the broker rolls and compacts the segment holding it by then (KIP-354). Without it a quiet partition's active
     * segment is never compacted.
     */
    private static final String MAX_COMPACTION_LAG_MS = SEVEN_DAYS_MS;

    private TopicAdmin() {
    }

    /** Acknowledged by two replicas where there are two or more: one broker may fail without stopping writes. */
    public static int minInSyncReplicas(short replicationFactor) {
        return Math.min(2, replicationFactor);
    }

    /**
     * The topics with their settings: the event log kept forever, commands for seven days (in daily segments),
     * outcomes (which carry session state) for an hour, state, profile claims and session data keys compacted.
     * The state, the profile claims (keyed by profile id) and the data keys (whose tombstones erase a customer's
     * data in the log) are compacted within a bounded lag.
     */
    public static List<NewTopic> newTopics(Topics topics, int partitions, short replicationFactor) {
        int minIsr = minInSyncReplicas(replicationFactor);
        Map<String, String> common = Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(minIsr));
        List<NewTopic> result = new ArrayList<>();
        result.add(topic(topics.commands(), partitions, replicationFactor, common,
                Map.of(TopicConfig.RETENTION_MS_CONFIG, SEVEN_DAYS_MS, TopicConfig.SEGMENT_MS_CONFIG, ONE_DAY_MS)));
        result.add(topic(topics.events(), partitions, replicationFactor, common,
                Map.of(TopicConfig.RETENTION_MS_CONFIG, FOREVER, TopicConfig.RETENTION_BYTES_CONFIG, FOREVER)));
        result.add(topic(topics.state(), partitions, replicationFactor, common,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, MAX_COMPACTION_LAG_MS)));
        result.add(topic(topics.outcomes(), partitions, replicationFactor, common,
                Map.of(TopicConfig.RETENTION_MS_CONFIG, ONE_HOUR_MS)));
        result.add(topic(topics.profileFirstSessions(), partitions, replicationFactor, common,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, MAX_COMPACTION_LAG_MS)));
        result.add(topic(topics.sessionKeys(), partitions, replicationFactor, common,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, MAX_COMPACTION_LAG_MS)));
        return result;
    }

    /** Creates what is missing; waits at most {@code timeoutMs}. */
    public static void ensureTopics(Map<String, Object> adminConfig, Topics topics, int partitions,
                                    short replicationFactor, long timeoutMs) {
        try (Admin admin = Admin.create(adminConfig)) {
            Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = newTopics(topics, partitions, replicationFactor).stream()
                    .filter(t -> !existing.contains(t.name()))
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(timeoutMs, TimeUnit.MILLISECONDS);
                    LOG.info("created topic {}", entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create the session topics: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the session topics", e);
        }
    }

    private static NewTopic topic(String name, int partitions, short replicationFactor,
                                  Map<String, String> common, Map<String, String> specific) {
        Map<String, String> configs = new java.util.HashMap<>(common);
        configs.putAll(specific);
        return new NewTopic(name, partitions, replicationFactor).configs(configs);
    }
}
