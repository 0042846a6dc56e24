package io.customersessions.service.kafka;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.customersessions.avro.CommandOutcome;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.config.LogSettings;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.Consumer;
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

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

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
 *
 * <p>The first outcome of each schema id (in Confluent's wire format) is decoded on a thread of its own instead
 * ({@code outcome-schema-fetch}): decoding it asks the schema registry for the writer's schema, a blocking call of
 * up to the registry client's timeout that must not hold an HTTP event loop (every connection on it would wait) nor
 * this reader (every other outcome would). Once an outcome of that id has been decoded, the deserializer has the
 * schema cached, and later ones are decoded on their request's thread again.
 *
 * <p>The projector creates the topics, with their settings; neither this reader nor the command producer may make
 * a broker create one with its defaults (which most brokers do for a client that asks for a missing topic: an
 * outcomes topic kept for a week instead of an hour, a commands topic of one partition). So this reader looks
 * topics up without creating them ({@code allow.auto.create.topics=false}), and is ready only once the commands topic
 * exists too: until then the instance takes no command, and the producer is never asked to send to a missing topic.
 *
 * <p>A failure to read (the broker unreachable past a timeout, say) is retried after {@link #RETRY_PAUSE} from the
 * positions already reached, so no outcome is skipped; meanwhile {@link #failure()} says why, and the instance is
 * not ready, since requests it takes could not learn their outcomes.
 */
@Requires(notEnv = Environment.TEST)
@Context
public class OutcomeSubscriber implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeSubscriber.class);
    private static final Duration PARTITION_REFRESH = Duration.ofSeconds(30);
    private static final Duration TOPIC_WAIT = Duration.ofMillis(250);
    static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    private final Consumer<String, byte[]> consumer;
    private final Deserializer<?> deserializer;
    private final PendingOutcomes pending;
    private final String topic;
    private final String commandsTopic;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Duration retryPause;
    private final Duration metadataTimeout;
    private final Thread thread;
    private final ExecutorService schemaFetch = Executors.newSingleThreadExecutor(runnable -> {
        Thread fetching = new Thread(runnable, "outcome-schema-fetch");
        fetching.setDaemon(true);
        return fetching;
    });
    private final Set<Integer> decodedSchemaIds = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;
    private volatile String failure;
    private final Set<String> missingTopicsLogged = new HashSet<>();

    @Inject
    public OutcomeSubscriber(LogSettings settings, PendingOutcomes pending,
                             @Value("${kafka.bootstrap.servers}") String bootstrapServers) {
        this(consumerConfig(settings, bootstrapServers), settings, pending);
    }

    private OutcomeSubscriber(Map<String, Object> config, LogSettings settings, PendingOutcomes pending) {
        this(new KafkaConsumer<>(config), newDeserializer(settings.getSerde().getDeserializer(), config), pending,
                settings.topics().outcomes(), settings.topics().commands(), RETRY_PAUSE, METADATA_TIMEOUT);
    }

    OutcomeSubscriber(Consumer<String, byte[]> consumer, Deserializer<?> deserializer, PendingOutcomes pending,
                      String topic, String commandsTopic, Duration retryPause, Duration metadataTimeout) {
        this.consumer = consumer;
        this.deserializer = deserializer;
        this.pending = pending;
        this.topic = topic;
        this.commandsTopic = commandsTopic;
        this.retryPause = retryPause;
        this.metadataTimeout = metadataTimeout;
        this.thread = new Thread(this, "outcome-subscriber");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private static Map<String, Object> consumerConfig(LogSettings settings, String bootstrapServers) {
        Map<String, Object> config = new HashMap<>(settings.serdeConfig());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "session-service-outcomes");
        return config;
    }

    /** Whether positions are fixed on every partition: from now on, no outcome is missed. */
    public boolean isReady() {
        return ready.getCount() == 0;
    }

    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Whether the outcome of a command sent now will be read: positions are fixed and the reader runs (a read that
     * failed is retried from where it was, so it only delays outcomes).
     */
    public boolean listening() {
        return isReady() && thread.isAlive();
    }

    /** Why outcomes cannot be read right now, if they cannot: the last read failed, or the reader stopped. */
    public Optional<String> failure() {
        return stopped() ? Optional.of("the outcome reader stopped") : Optional.ofNullable(failure);
    }

    /** The reading thread ended on an error while the service runs: only a restart reads outcomes again. */
    public boolean stopped() {
        return running && !thread.isAlive();
    }

    @Override
    public void run() {
        try {
            long nextRefresh = System.nanoTime();
            while (running) {
                try {
                    if (System.nanoTime() - nextRefresh >= 0) {
                        assignAllPartitions();
                        // Until the topic exists (the projector creates it, maybe meanwhile) look often.
                        nextRefresh = System.nanoTime() + (isReady() ? PARTITION_REFRESH : TOPIC_WAIT).toNanos();
                    }
                    if (!isReady()) {
                        Thread.sleep(TOPIC_WAIT.toMillis());
                        continue;
                    }
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        handOver(record);
                    }
                    failure = null;
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    if (!running) {
                        break;
                    }
                    failure = e.getClass().getSimpleName() + ": " + e.getMessage();
                    LOG.warn("reading command outcomes failed; retrying in {} from where it stopped", retryPause, e);
                    Thread.sleep(retryPause.toMillis());
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Error e) {
            // The thread ends here; failure() and readiness say so from now on.
            LOG.error("outcome subscriber stopped: waiting requests will time out, and this instance is not ready", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
            schemaFetch.shutdownNow();
            deserializer.close();
        }
    }

    private void handOver(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        Header commandId = record.headers().lastHeader(Topics.COMMAND_ID_HEADER);
        if (commandId != null && commandId.value() != null) {
            String command = new String(commandId.value(), StandardCharsets.UTF_8);
            OptionalInt schemaId = schemaId(record.value());
            if (schemaId.isEmpty() || decodedSchemaIds.contains(schemaId.getAsInt())) {
                pending.complete(command, () -> decode(record));
            } else if (pending.waitsFor(command)) {
                schemaFetch.execute(() -> {
                    if (pending.waitsFor(command)) { // not if the request gave up while a fetch before it hung
                        pending.complete(command, decodedFirst(record, schemaId.getAsInt()));
                    }
                });
            }
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

    /** Decodes an outcome whose schema id was not decoded before, which may fetch its schema from the registry. */
    private Supplier<CommandOutcome> decodedFirst(ConsumerRecord<String, byte[]> record, int schemaId) {
        try {
            CommandOutcome outcome = decode(record);
            decodedSchemaIds.add(schemaId);
            return () -> outcome;
        } catch (RuntimeException e) {
            return () -> {
                throw e;
            };
        }
    }

    /** The schema id of a value in Confluent's wire format (magic byte 0, then the id), if it is one. */
    static OptionalInt schemaId(byte[] value) {
        if (value.length < 5 || value[0] != 0) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(ByteBuffer.wrap(value, 1, 4).getInt());
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

    /**
     * New partitions start at their end; already assigned ones keep their position. Ready once every partition
     * has a position: if fixing one fails, the new partitions are dropped again, to be added afresh next time.
     */
    private void assignAllPartitions() {
        if (!isReady() && partitions(commandsTopic).isEmpty()) {
            return;
        }
        List<PartitionInfo> infos = partitions(topic);
        if (infos.isEmpty()) {
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
        try {
            added.forEach(tp -> consumer.position(tp, metadataTimeout));
        } catch (RuntimeException e) {
            consumer.assign(current);
            throw e;
        }
        ready.countDown();
    }

    /** The topic's partitions, none (logged once) while it does not exist. */
    private List<PartitionInfo> partitions(String name) {
        List<PartitionInfo> infos = consumer.partitionsFor(name, metadataTimeout);
        if (infos != null && !infos.isEmpty()) {
            return infos;
        }
        if (missingTopicsLogged.add(name)) {
            LOG.info("topic {} not found yet; waiting for it (the projector creates the topics)", name);
        }
        return List.of();
    }

    @PreDestroy
    void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
