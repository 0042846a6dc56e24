package io.customersessions.launcher.registry;

import static io.customersessions.launcher.registry.TestSchemas.CART_V1;
import static io.customersessions.launcher.registry.TestSchemas.CART_V2;
import static io.customersessions.launcher.registry.TestSchemas.PAYMENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.customersessions.eventlog.serde.HttpSchemaRegistryClient;
import io.customersessions.launcher.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry on a real broker: its assignments survive a restart because they live in the journal topic. */
class EmbeddedSchemaRegistryTest {

    @TempDir
    static Path dataDir;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(dataDir, 0);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void ids_and_versions_survive_a_restart_on_the_same_topic() {
        // given
        String topic = "_schemas-" + UUID.randomUUID();
        Schema cartV1 = new Schema.Parser().parse(CART_V1);
        Schema cartV2 = new Schema.Parser().parse(CART_V2);
        Schema payment = new Schema.Parser().parse(PAYMENT);
        List<Integer> before;
        try (EmbeddedSchemaRegistry registry = start(topic)) {
            HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(registry.url());
            before = List.of(client.register("carts-value", cartV1), client.register("payments-value", payment),
                    client.register("carts-value", cartV2));
        }

        // when
        try (EmbeddedSchemaRegistry restarted = start(topic)) {
            HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(restarted.url());

            // then
            assertThat(before).containsExactly(1, 2, 3);
            assertThat(List.of(client.byId(1), client.byId(2), client.byId(3))).containsExactly(cartV1, payment, cartV2);
            assertThat(client.lookup("carts-value", cartV2)).isEqualTo(3);
            assertThat(client.register("carts-replay-value", cartV1)).isEqualTo(1);
            assertThat(client.register("refunds-value", new Schema.Parser().parse(PAYMENT.replace("Payment",
                    "Refund")))).isEqualTo(4);
        }
    }

    @Test
    void the_journal_is_a_compacted_topic_with_one_partition() throws Exception {
        // given
        String topic = "_schemas-" + UUID.randomUUID();

        // when
        try (EmbeddedSchemaRegistry registry = start(topic)) {
            // then
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers()))) {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                String cleanup = admin.describeConfigs(List.of(resource)).all().get().get(resource)
                        .get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
                assertThat(description.partitions()).hasSize(1);
                assertThat(cleanup).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
            }
        }
    }

    private static EmbeddedSchemaRegistry start(String topic) {
        return EmbeddedSchemaRegistry.start(broker.bootstrapServers(), "127.0.0.1", 0, topic);
    }
}
