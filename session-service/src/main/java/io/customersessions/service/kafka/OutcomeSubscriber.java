package io.customersessions.service.kafka;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.customersessions.avro.CommandOutcome;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.config.LogSettings;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Reads every partition of the outcome topic (read_committed, no consumer group: every session-service instance
 * sees every outcome and completes the requests it is holding). It starts at the end of the topic and is ready
 * only once its positions are fixed, so no outcome of a command sent after readiness can be missed.
 *
 * <p>Records are read as bytes. An outcome names its command in a header ({@link Topics#COMMAND_ID_HEADER}), so
 * only the outcomes of this instance's own waiting requests are decoded, and that on the request's event loop
 * ({@link PendingOutcomes}): with several instances none decodes the others' outcomes, and a record that cannot be
 * decoded fails only its own request, never this reader. An outcome without the header (written by a processor
 * from before it) is decoded here to find its command. The configured deserializer must therefore be thread-safe,
 * as ours and Confluent's {@code KafkaAvroDeserializer} are.
 */
@Requires(notEnv = Environment.TEST)
@Context
public class OutcomeSubscriber implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeSubscriber.class);
    private static final Duration PARTITION_REFRESH = Duration.ofSeconds(30);
    private static final Duration TOPIC_WAIT = Duration.ofMillis(250);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<?> deserializer;
    private final PendingOutcomes pending;
    private final String topic;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private boolean topicMissingLogged;

    @SuppressWarnings("unchecked")
    public OutcomeSubscriber(LogSettings settings, PendingOutcomes pending,
                             @Value("${kafka.bootstrap.servers}") String bootstrapServers) {
        this.pending = pending;
        this.topic = settings.topics().outcomes();
        Map<String, Object> config = new HashMap<>(settings.serdeConfig());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "session-service-outcomes");
        this.deserializer = newDeserializer(settings.getSerde().getDeserializer(), config);
        this.consumer = new KafkaConsumer<>(config);
        this.thread = new Thread(this, "outcome-subscriber");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public boolean isReady() {
        return ready.getCount() == 0;
    }

    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
        try {
            long nextRefresh = 0;
            while (running) {
                if (System.nanoTime() - nextRefresh >= 0) {
                    assignAllPartitions();
                    // Until the topic exists (the projector creates it, possibly while this service starts) look often.
                    nextRefresh = System.nanoTime() + (isReady() ? PARTITION_REFRESH : TOPIC_WAIT).toNanos();
                }
                if (!isReady()) {
                    Thread.sleep(TOPIC_WAIT.toMillis());
                    continue;
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    handOver(record);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("outcome subscriber stopped: waiting requests will time out", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
            deserializer.close();
        }
    }

    private void handOver(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        Header commandId = record.headers().lastHeader(Topics.COMMAND_ID_HEADER);
        if (commandId != null && commandId.value() != null) {
            pending.complete(new String(commandId.value(), StandardCharsets.UTF_8), () -> decode(record));
            return;
        }
        CommandOutcome outcome;
        try {
            outcome = decode(record);
        } catch (RuntimeException e) {
            LOG.error("skipping an outcome without a command id that cannot be read ({} offset {})",
                    new TopicPartition(record.topic(), record.partition()), record.offset(), e);
            return;
        }
        if (outcome != null) {
            pending.complete(outcome);
        }
    }

    private CommandOutcome decode(ConsumerRecord<String, byte[]> record) {
        Object value = deserializer.deserialize(record.topic(), record.headers(), record.value());
        if (value != null && !(value instanceof CommandOutcome)) {
            throw new SerializationException("not a CommandOutcome but a " + value.getClass().getName());
        }
        return (CommandOutcome) value;
    }

    private static Deserializer<?> newDeserializer(String className, Map<String, Object> config) {
        try {
            Deserializer<?> deserializer = Utils.newInstance(className, Deserializer.class);
            deserializer.configure(config, false);
            return deserializer;
        } catch (ClassNotFoundException e) {
            throw new ConfigException("the outcome deserializer " + className + " is not on the class path");
        }
    }

    /** New partitions start at their end; already assigned ones keep their position. */
    private void assignAllPartitions() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            if (!topicMissingLogged) {
                LOG.info("topic {} not found yet; waiting for it", topic);
                topicMissingLogged = true;
            }
            return;
        }
        Set<TopicPartition> current = consumer.assignment();
        List<TopicPartition> all = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        List<TopicPartition> added = all.stream().filter(tp -> !current.contains(tp)).toList();
        if (added.isEmpty()) {
            return;
        }
        consumer.assign(all);
        consumer.seekToEnd(added);
        added.forEach(consumer::position);
        ready.countDown();
    }

    @PreDestroy
    void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
