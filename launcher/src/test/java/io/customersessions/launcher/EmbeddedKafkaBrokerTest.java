package io.customersessions.launcher;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class EmbeddedKafkaBrokerTest {

    private static Path newDataDir() throws Exception {
        Path base = Path.of("target", "broker-test");
        Files.createDirectories(base);
        return Files.createTempDirectory(base, "data-");
    }

    @Test
    void a_transactional_write_to_a_new_topic_is_read_back_committed() throws Exception {
        // given
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(newDataDir(), 0)) {
            createTopic(broker, "orders");

            // when
            produceTransactionally(broker, "orders", "session-1", "opened");

            // then
            assertThat(readAll(broker, "orders", 1)).containsExactly("session-1=opened");
        }
    }

    @Test
    void a_restarted_broker_on_the_same_directory_still_has_its_data() throws Exception {
        // given
        Path dataDir = newDataDir();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, 0)) {
            createTopic(broker, "sessions");
            produceTransactionally(broker, "sessions", "session-1", "closed");
        }

        // when
        try (EmbeddedKafkaBroker restarted = EmbeddedKafkaBroker.start(dataDir, 0)) {

            // then
            assertThat(readAll(restarted, "sessions", 1)).containsExactly("session-1=closed");
        }
    }

    @Test
    void a_second_broker_on_a_directory_in_use_fails_with_a_clear_message() throws Exception {
        // given
        Path dataDir = newDataDir();
        try (EmbeddedKafkaBroker running = EmbeddedKafkaBroker.start(dataDir, 0)) {

            // when / then
            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(dataDir, 0))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is in use by another running launcher");
            createTopic(running, "still-serving");
        }
    }

    @Test
    void a_broker_on_a_taken_port_fails_with_a_clear_message_and_releases_its_directory() throws Exception {
        // given
        Path dataDir = newDataDir();
        try (EmbeddedKafkaBroker running = EmbeddedKafkaBroker.start(newDataDir(), 0)) {
            int takenPort = Integer.parseInt(running.bootstrapServers().split(":")[1]);

            // when / then
            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(dataDir, takenPort))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + takenPort + " for the Kafka broker is already in use");
        }
        try (EmbeddedKafkaBroker afterwards = EmbeddedKafkaBroker.start(dataDir, 0)) {
            assertThat(afterwards.bootstrapServers()).startsWith("localhost:");
        }
    }

    private static void createTopic(EmbeddedKafkaBroker broker, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
    }

    private static void produceTransactionally(EmbeddedKafkaBroker broker, String topic, String key, String value) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-" + UUID.randomUUID()),
                new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, key, value));
            producer.commitTransaction();
        }
    }

    private static List<String> readAll(EmbeddedKafkaBroker broker, String topic, int expected) {
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(Set.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(record.key() + "=" + record.value());
                }
                return seen.size() >= expected;
            });
        }
        return seen;
    }
}
