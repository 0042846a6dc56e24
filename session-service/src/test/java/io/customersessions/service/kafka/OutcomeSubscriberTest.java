package io.customersessions.service.kafka;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.eventlog.Topics;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outcome reader outlives the broker's failures: a session-service whose reader died would take commands and
 * answer none of them, while reporting itself ready.
 */
class OutcomeSubscriberTest {

    private static final String TOPIC = "customer-session-outcomes";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    private final FlakyBroker broker = new FlakyBroker();
    private final PendingOutcomes pending = new PendingOutcomes();
    private OutcomeSubscriber subscriber;

    @AfterEach
    void stop() throws InterruptedException {
        subscriber.close();
    }

    @Test
    void a_broker_that_times_out_while_the_partitions_are_looked_up_is_asked_again_until_it_answers()
            throws InterruptedException {
        // given the first three lookups time out
        broker.metadataTimeoutsLeft.set(3);

        // when
        subscriber = start();

        // then
        assertThat(subscriber.awaitReady(Duration.ofSeconds(10))).isTrue();
        assertThat(broker.metadataTimeoutsLeft).hasValue(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> health().getStatus() == HealthStatus.UP);
    }

    @Test
    void writes_are_taken_only_once_the_positions_are_fixed() throws InterruptedException {
        // given the partitions cannot be looked up yet
        broker.metadataTimeoutsLeft.set(Integer.MAX_VALUE);
        subscriber = start();
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.metadataTimeoutsLeft.get() < Integer.MAX_VALUE);
        boolean listeningBefore = subscriber.listening();

        // when the broker answers
        broker.metadataTimeoutsLeft.set(0);

        // then
        assertThat(listeningBefore).isFalse();
        assertThat(subscriber.awaitReady(Duration.ofSeconds(10))).isTrue();
        assertThat(subscriber.listening()).isTrue();
    }

    @Test
    void while_reads_fail_the_instance_is_not_ready_and_once_they_work_a_waiting_request_gets_its_outcome()
            throws Exception {
        // given
        subscriber = start();
        assertThat(subscriber.awaitReady(Duration.ofSeconds(10))).isTrue();
        CompletableFuture<CommandOutcome> waiting = pending.register("c-1");

        // when reads fail while the outcome is written
        broker.pollFailure.set(new KafkaException("broker said no"));
        await().atMost(Duration.ofSeconds(10)).until(() -> health().getStatus() == HealthStatus.DOWN);
        HealthResult whileFailing = health();
        broker.addRecord(outcomeRecord(0, "c-1"));
        broker.pollFailure.set(null);

        // then
        assertThat(((Map<?, ?>) whileFailing.getDetails()).get("failure")).isEqualTo("KafkaException: broker said no");
        assertThat(waiting.get(10, TimeUnit.SECONDS).getCommandId()).isEqualTo("c-1");
        await().atMost(Duration.ofSeconds(10)).until(() -> health().getStatus() == HealthStatus.UP);
    }

    @Test
    void a_reader_that_stopped_makes_the_instance_not_ready_and_says_so() throws InterruptedException {
        // given
        subscriber = start();
        assertThat(subscriber.awaitReady(Duration.ofSeconds(10))).isTrue();
        HealthStatus livenessBefore = new OutcomeReaderLiveness(subscriber).current().getStatus();

        // when the reading thread meets an error it cannot recover from
        broker.pollFailure.set(new LinkageError("simulated: a class the reader needs cannot be loaded"));

        // then, and writes are refused from now on
        await().atMost(Duration.ofSeconds(10)).until(() -> health().getStatus() == HealthStatus.DOWN);
        assertThat(((Map<?, ?>) health().getDetails()).get("failure")).isEqualTo("the outcome reader stopped");
        assertThat(subscriber.listening()).isFalse();
        assertThat(livenessBefore).isEqualTo(HealthStatus.UP);
        assertThat(new OutcomeReaderLiveness(subscriber).current().getStatus()).isEqualTo(HealthStatus.DOWN);
    }

    private OutcomeSubscriber start() {
        return new OutcomeSubscriber(broker, new CommandIdDeserializer(), pending, TOPIC, Duration.ofMillis(20),
                Duration.ofMillis(100));
    }

    private HealthResult health() {
        return new OutcomeSubscriberHealth(subscriber, pending).current();
    }

    private static ConsumerRecord<String, byte[]> outcomeRecord(long offset, String commandId) {
        byte[] id = commandId.getBytes(StandardCharsets.UTF_8);
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(TOPIC, 0, offset, "7/s-1", id);
        record.headers().add(Topics.COMMAND_ID_HEADER, id);
        return record;
    }

    /** One partition, at offset 0; lookups and reads fail on demand, as a real broker's can. */
    private static final class FlakyBroker extends MockConsumer<String, byte[]> {

        final AtomicInteger metadataTimeoutsLeft = new AtomicInteger();
        final AtomicReference<Throwable> pollFailure = new AtomicReference<>();

        FlakyBroker() {
            super("latest");
            updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null)));
            updateEndOffsets(Map.of(PARTITION, 0L));
        }

        @Override
        public List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
            if (metadataTimeoutsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                throw new TimeoutException("Timeout expired while fetching topic metadata");
            }
            return super.partitionsFor(topic, timeout);
        }

        @Override
        public ConsumerRecords<String, byte[]> poll(Duration timeout) {
            Throwable failure = pollFailure.get();
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            ConsumerRecords<String, byte[]> records = super.poll(timeout);
            if (records.isEmpty()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // a real poll waits for records
            }
            return records;
        }
    }

    /** Reads an outcome whose bytes are its command id. */
    private static final class CommandIdDeserializer implements Deserializer<CommandOutcome> {

        @Override
        public CommandOutcome deserialize(String topic, byte[] data) {
            return CommandOutcome.newBuilder().setCommandId(new String(data, StandardCharsets.UTF_8))
                    .setApplicationId(7).setIntegrationId("s-1").setAccepted(true).setEventTypes(new ArrayList<>())
                    .setSession(null).setRejection(null).build();
        }
    }
}
