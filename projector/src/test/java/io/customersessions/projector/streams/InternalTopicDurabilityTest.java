package io.customersessions.projector.streams;

import io.micronaut.configuration.kafka.streams.ConfiguredStreamBuilder;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The stores' changelogs are replicated as the log's own topics, not by the broker's defaults. */
class InternalTopicDurabilityTest {

    @Test
    void changelogs_get_the_logs_replication_factor_and_two_in_sync_replicas() {
        // given
        ConfiguredStreamBuilder builder = new ConfiguredStreamBuilder(new Properties());

        // when
        StreamsFactory.asDurableAsTheLog(builder, (short) 3);

        // then
        assertThat(builder.getConfiguration()).containsEntry("replication.factor", 3)
                .containsEntry("topic.min.insync.replicas", "2");
    }

    @Test
    void a_single_broker_gets_one_replica_and_settings_given_explicitly_stay() {
        // given
        Properties explicit = new Properties();
        explicit.put("replication.factor", "5");
        ConfiguredStreamBuilder single = new ConfiguredStreamBuilder(new Properties());
        ConfiguredStreamBuilder configured = new ConfiguredStreamBuilder(explicit);

        // when
        StreamsFactory.asDurableAsTheLog(single, (short) 1);
        StreamsFactory.asDurableAsTheLog(configured, (short) 3);

        // then
        assertThat(single.getConfiguration()).containsEntry("replication.factor", 1)
                .containsEntry("topic.min.insync.replicas", "1");
        assertThat(configured.getConfiguration()).containsEntry("replication.factor", "5");
    }
}
