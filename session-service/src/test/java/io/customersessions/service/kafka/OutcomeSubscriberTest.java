package io.customersessions.service.kafka;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.eventlog.Topics;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
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

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
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
    private static final String COMMANDS = "customer-session-commands";

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
    void no_write_is_taken_while_the_commands_topic_does_not_exist() throws InterruptedException {
        // given the outcomes topic exists, the commands topic not yet (the projector creates both)
        broker.updatePartitions(COMMANDS, List.of());
        subscriber = start();
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.lookedUp.contains(COMMANDS));
        boolean listeningBefore = subscriber.listening();

        // when it is created
        broker.updatePartitions(COMMANDS, List.of(new PartitionInfo(COMMANDS, 0, null, null, null)));

        // then
        assertThat(listeningBefore).isFalse();
        assertThat(subscriber.awaitReady(Duration.ofSeconds(10))).isTrue();
        assertThat(subscriber.listening()).isTrue();
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

    @Test
    void the_first_outcome_of_a_schema_is_decoded_off_the_event_loop_and_off_the_reader() throws Exception {
        // given a registry that hangs when asked for schema 2, and an outcome of schema 1 already read once
        EventLoop eventLoop = new DefaultEventLoop();
        CountDownLatch registryAnswers = new CountDownLatch(1);
        subscriber = new OutcomeSubscriber(broker, new RegistryBackedDeserializer(2, registryAnswers), pending, TOPIC,
                COMMANDS, Duration.ofMillis(20), Duration.ofMillis(100));
        assertThat(subscriber.awaitReady(Duration.ofSeconds(10))).isTrue();
        CompletableFuture<CommandOutcome> known = eventLoop.submit(() -> pending.register("c-0")).get();
        broker.addRecord(wireRecord(0, "c-0", 1));
        assertThat(known.get(10, TimeUnit.SECONDS).getCommandId()).isEqualTo("c-0");

        try {
            // when an outcome of schema 2 arrives, then one of schema 1 for a request on the same event loop
            CompletableFuture<CommandOutcome> newSchema = eventLoop.submit(() -> pending.register("c-1")).get();
            CompletableFuture<CommandOutcome> sameLoop = eventLoop.submit(() -> pending.register("c-2")).get();
            broker.addRecord(wireRecord(1, "c-1", 2));
            broker.addRecord(wireRecord(2, "c-2", 1));

            // then the second is answered while the registry still hangs, and the first once it answers
            assertThat(sameLoop.get(10, TimeUnit.SECONDS).getCommandId()).isEqualTo("c-2");
            assertThat(newSchema).isNotDone();
            registryAnswers.countDown();
            assertThat(newSchema.get(10, TimeUnit.SECONDS).getCommandId()).isEqualTo("c-1");
        } finally {
            registryAnswers.countDown();
            eventLoop.shutdownGracefully();
        }
    }

    private OutcomeSubscriber start() {
        return new OutcomeSubscriber(broker, new CommandIdDeserializer(), pending, TOPIC, COMMANDS,
                Duration.ofMillis(20), Duration.ofMillis(100));
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

    /** An outcome in Confluent's wire format: magic byte 0, the schema id, then (here) the command id. */
    private static ConsumerRecord<String, byte[]> wireRecord(long offset, String commandId, int schemaId) {
        byte[] id = commandId.getBytes(StandardCharsets.UTF_8);
        byte[] value = ByteBuffer.allocate(5 + id.length).put((byte) 0).putInt(schemaId).put(id).array();
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(TOPIC, 0, offset, "7/s-1", value);
        record.headers().add(Topics.COMMAND_ID_HEADER, id);
        return record;
    }

    /** One partition, at offset 0; lookups and reads fail on demand, as a real broker's can. */
    private static final class FlakyBroker extends MockConsumer<String, byte[]> {

        final AtomicInteger metadataTimeoutsLeft = new AtomicInteger();
        final AtomicReference<Throwable> pollFailure = new AtomicReference<>();
        final Set<String> lookedUp = ConcurrentHashMap.newKeySet();

        FlakyBroker() {
            super("latest");
            updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null)));
            updatePartitions(COMMANDS, List.of(new PartitionInfo(COMMANDS, 0, null, null, null)));
            updateEndOffsets(Map.of(PARTITION, 0L));
        }

        @Override
        public List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
            lookedUp.add(topic);
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

    /**
     * Reads {@link #wireRecord}s, fetching each schema id's schema once, as a registry-backed deserializer does:
     * the fetch of {@code slowSchemaId} waits until {@code registryAnswers}.
     */
    private static final class RegistryBackedDeserializer implements Deserializer<CommandOutcome> {

        private final int slowSchemaId;
        private final CountDownLatch registryAnswers;
        private final Set<Integer> cached = ConcurrentHashMap.newKeySet();

        RegistryBackedDeserializer(int slowSchemaId, CountDownLatch registryAnswers) {
            this.slowSchemaId = slowSchemaId;
            this.registryAnswers = registryAnswers;
        }

        @Override
        public CommandOutcome deserialize(String topic, byte[] data) {
            ByteBuffer buffer = ByteBuffer.wrap(data);
            buffer.get();
            int schemaId = buffer.getInt();
            if (!cached.contains(schemaId) && schemaId == slowSchemaId) {
                try {
                    assertThat(registryAnswers.await(30, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            cached.add(schemaId);
            byte[] commandId = new byte[buffer.remaining()];
            buffer.get(commandId);
            return new CommandIdDeserializer().deserialize(topic, commandId);
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
