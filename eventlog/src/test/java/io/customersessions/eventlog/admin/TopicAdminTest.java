package io.customersessions.eventlog.admin;

import io.customersessions.eventlog.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TopicAdminTest {

    @Test
    void the_session_keys_topic_is_created_compacted_within_a_bounded_lag_like_the_state() {
        // when
        List<NewTopic> topics = TopicAdmin.newTopics(Topics.defaults().withPrefix("t-"), 6, (short) 3);

        // then
        Map<String, String> keys = configsOf(topics, "t-customer-session-keys");
        Map<String, String> state = configsOf(topics, "t-customer-session-state");
        assertThat(keys).containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                .containsEntry(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG,
                        state.get(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG))
                .containsEntry(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2");
        assertThat(configsOf(topics, "t-customer-session-profile-first-sessions"))
                .as("profile claims are keyed by profile id: their tombstones must be compacted in bounded time")
                .containsEntry(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, "604800000");
        assertThat(topics).extracting(NewTopic::numPartitions).containsOnly(6);
    }

    @Test
    void commands_which_hold_personal_data_in_clear_leave_the_log_within_eight_days() {
        // when
        Map<String, String> commands = configsOf(TopicAdmin.newTopics(Topics.defaults(), 6, (short) 1),
                Topics.COMMANDS);

        // then: 7 days of retention, deleted by whole segments of one day
        assertThat(Long.parseLong(commands.get(TopicConfig.RETENTION_MS_CONFIG))
                + Long.parseLong(commands.get(TopicConfig.SEGMENT_MS_CONFIG))).isEqualTo(8 * 86_400_000L);
    }

    @Test
    void every_topic_name_takes_the_prefix() {
        // when
        Topics prefixed = Topics.defaults().withPrefix("run-1-");

        // then
        assertThat(List.of(prefixed.commands(), prefixed.events(), prefixed.state(), prefixed.outcomes(),
                prefixed.profileFirstSessions(), prefixed.sessionKeys())).allMatch(name -> name.startsWith("run-1-"));
        assertThat(prefixed.sessionKeys()).isEqualTo("run-1-" + Topics.SESSION_KEYS);
    }

    private static Map<String, String> configsOf(List<NewTopic> topics, String name) {
        return topics.stream().filter(topic -> topic.name().equals(name)).findFirst().orElseThrow().configs();
    }
}
