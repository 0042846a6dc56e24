package io.customersessions.replay;

import io.customersessions.avro.SessionDataKey;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.admin.TopicAdmin;
import io.customersessions.eventlog.crypto.EventSealing;
import io.customersessions.eventlog.crypto.KafkaDataKeys;
import io.customersessions.eventlog.serde.AvroWireDeserializer;
import io.customersessions.eventlog.serde.AvroWireSerializer;
import io.customersessions.launcher.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.crypto.SecretKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link KafkaDataKeys} against a real broker: keys written in transactions, as the processor writes them, are
 * found once committed, tombstones erase them, a miss catches up only as far as it must, and only the partitions of
 * the sessions asked about are held, and letting go of a partition forgets its keys without ever making a live key
 * read as erased.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaDataKeysTest {

    private static final Map<String, Object> SERDE = Map.of("schema.registry.url", "mock://data-keys-test",
            "specific.avro.reader", true);

    private final SecureRandom random = new SecureRandom();
    private final AvroWireSerializer serializer = new AvroWireSerializer();
    private final AtomicLong readInstant = new AtomicLong();
    private EmbeddedKafkaBroker broker;
    private String topic;
    private String scratch;
    private KafkaProducer<String, byte[]> producer;
    private KafkaDataKeys keys;

    @BeforeAll
    void startBroker() throws Exception {
        Path target = Files.createDirectories(Path.of("target"));
        broker = EmbeddedKafkaBroker.start(Files.createTempDirectory(target, "data-keys-broker"), 0);
        serializer.configure(SERDE, false);
    }

    @AfterAll
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void openKeys() {
        Topics topics = Topics.defaults().withPrefix("keys-" + UUID.randomUUID() + "-");
        TopicAdmin.ensureTopics(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), topics,
                3, (short) 1, 30_000);
        topic = topics.sessionKeys();
        scratch = topics.commands();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "keys-test-" + UUID.randomUUID()),
                new StringSerializer(), new ByteArraySerializer());
        producer.initTransactions();
        readInstant.set(System.nanoTime());
        keys = openKeys(readInstant::get);
    }

    private KafkaDataKeys openKeys(LongSupplier readInstant) {
        AvroWireDeserializer values = new AvroWireDeserializer();
        values.configure(SERDE, false);
        return new KafkaDataKeys(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), topic,
                values, Duration.ofSeconds(30), Duration.ofSeconds(10), readInstant);
    }

    @AfterEach
    void closeKeys() {
        keys.close();
        producer.close();
    }

    @Test
    void a_committed_key_is_found_and_a_tombstone_erases_it() {
        // given
        SessionDataKey key = EventSealing.newKey("cmd-1/0", random);
        commit("1:s-1", key);
        readInstant.set(System.nanoTime());

        // when
        Optional<SecretKey> found = keys.find("1:s-1", "cmd-1/0");
        commit("1:s-1", null);

        // then: found, and gone within a poll of the tombstone, also for a reader that found it before
        assertThat(found).hasValueSatisfying(secret ->
                assertThat(secret.getEncoded()).isEqualTo(EventSealing.secretKey(key).getEncoded()));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            readInstant.set(System.nanoTime());
            return keys.find("1:s-1", "cmd-1/0").isEmpty();
        });
    }

    @Test
    void a_key_topic_that_could_not_be_read_for_a_moment_is_read_on_from_where_it_failed() {
        // given: a session's key, its erasure and a new key, the last of which cannot be decoded the first time
        // (the schema registry away for a moment, say)
        SessionDataKey erased = EventSealing.newKey("cmd-1/0", random);
        SessionDataKey current = EventSealing.newKey("cmd-3/0", random);
        byte[] erasedBytes = serializer.serialize(topic, erased);
        byte[] currentBytes = serializer.serialize(topic, current);
        AvroWireDeserializer values = new AvroWireDeserializer();
        values.configure(SERDE, false);
        AtomicInteger failuresLeft = new AtomicInteger(1);
        AtomicInteger erasedKeyDecoded = new AtomicInteger();
        Deserializer<Object> onceFailing = (topic, data) -> {
            if (Arrays.equals(data, currentBytes) && failuresLeft.getAndDecrement() > 0) {
                throw new SerializationException("simulated: the schema registry cannot be reached");
            }
            if (Arrays.equals(data, erasedBytes)) {
                erasedKeyDecoded.incrementAndGet();
            }
            return values.deserialize(topic, data);
        };
        commit("1:s-1", erased);
        commit("1:s-1", null);
        commit("1:s-1", current);
        readInstant.set(System.nanoTime());
        try (KafkaDataKeys recovering = new KafkaDataKeys(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), topic, onceFailing,
                Duration.ofSeconds(30), Duration.ofSeconds(10), readInstant::get)) {

            // when: look-ups are asked for (the first ones fail with the reader)
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> recovering.find("1:s-1", "cmd-3/0").isPresent());

            // then: the failure happened; reading went on from the failed record, not back over the erased key
            assertThat(failuresLeft).hasNegativeValue();
            assertThat(erasedKeyDecoded).hasValue(1);
            assertThat(recovering.find("1:s-1", "cmd-1/0")).isEmpty();
            SessionDataKey later = EventSealing.newKey("cmd-4/0", random);
            commit("1:s-2", later);
            readInstant.set(System.nanoTime());
            assertThat(recovering.find("1:s-2", "cmd-4/0")).hasValueSatisfying(secret ->
                    assertThat(secret.getEncoded()).isEqualTo(EventSealing.secretKey(later).getEncoded()));
        }
    }

    @Test
    void a_new_key_of_the_session_after_an_erasure_opens_its_events_and_not_the_older_ones() {
        // given
        commit("1:s-1", EventSealing.newKey("cmd-1/0", random));
        commit("1:s-1", null);
        SessionDataKey second = EventSealing.newKey("cmd-3/0", random);
        commit("1:s-1", second);
        readInstant.set(System.nanoTime());

        // then
        assertThat(keys.find("1:s-1", "cmd-3/0")).isPresent();
        assertThat(keys.find("1:s-1", "cmd-1/0")).isEmpty();
    }

    @Test
    void a_run_of_erased_events_read_before_a_complete_catch_up_costs_that_one_catch_up() {
        // given: events of erased keys of one partition, all read now
        int partition = partitionOf("1:s-2");
        List<String> erased = sessionsIn(partition, "1:erased-", 4);
        String live = "1:s-2";
        commit(live, EventSealing.newKey("cmd-2/0", random));
        readInstant.set(System.nanoTime());

        // when
        List<Optional<SecretKey>> answers = List.of(keys.find(erased.get(0), "cmd-0/0"),
                keys.find(erased.get(1), "cmd-1/0"), keys.find(erased.get(2), "cmd-5/0"));
        long catchUps = keys.catchUps();
        readInstant.set(System.nanoTime());
        Optional<SecretKey> readLater = keys.find(erased.get(3), "cmd-6/0");

        // then
        assertThat(answers).allMatch(Optional::isEmpty);
        assertThat(catchUps).isEqualTo(1);
        assertThat(keys.find(live, "cmd-2/0")).as("a key committed before the read").isPresent();
        assertThat(readLater).isEmpty();
        assertThat(keys.catchUps()).as("an event read after the catch-up started needs one of its own").isEqualTo(2);
    }

    @Test
    void a_key_whose_transaction_is_not_yet_decided_is_waited_for_not_taken_for_erased() throws Exception {
        // given: the key is written, its transaction still open (its event's partition may already have the marker)
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, "1:s-3", serializer.serialize(topic,
                EventSealing.newKey("cmd-4/0", random)))).get(10, TimeUnit.SECONDS);
        producer.flush();
        readInstant.set(System.nanoTime());

        // when
        CompletableFuture<Optional<SecretKey>> found = CompletableFuture.supplyAsync(
                () -> keys.find("1:s-3", "cmd-4/0"));

        // then: no answer while the transaction is open, the key once it commits
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !found.isDone());
        producer.commitTransaction();
        assertThat(found.get(20, TimeUnit.SECONDS)).isPresent();
    }

    @Test
    void a_key_still_undecided_after_the_settle_wait_is_no_answer_outside_transactions_and_erased_inside()
            throws Exception {
        // given: the key is written, its transaction left open past the readers' settle wait (a marker delayed)
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, "1:s-9", serializer.serialize(topic,
                EventSealing.newKey("cmd-9/0", random)))).get(10, TimeUnit.SECONDS);
        producer.flush();
        readInstant.set(System.nanoTime());
        AvroWireDeserializer values = new AvroWireDeserializer();
        values.configure(SERDE, false);
        Map<String, Object> connection = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaDataKeys outside = new KafkaDataKeys(connection, topic, values, Duration.ofSeconds(30),
                Duration.ofMillis(500), readInstant::get, false);
             KafkaDataKeys inside = new KafkaDataKeys(connection, topic, values, Duration.ofSeconds(30),
                     Duration.ofMillis(500), readInstant::get, true)) {

            // when / then: a reader outside transactions gives no answer (its caller retries), never "erased"
            assertThatThrownBy(() -> outside.find("1:s-9", "cmd-9/0")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("undecided");
            // the processor's reader, whose own transaction may be the undecided one, reads it as erased
            assertThat(inside.find("1:s-9", "cmd-9/0")).isEmpty();
            // and once the transaction commits, the retry finds the key
            producer.commitTransaction();
            readInstant.set(System.nanoTime());
            assertThat(outside.find("1:s-9", "cmd-9/0")).isPresent();
        }
    }

    @Test
    void only_the_keys_of_the_partitions_asked_about_are_held() {
        // given: the keys of 30 sessions, over the topic's 3 partitions
        Map<Integer, List<Integer>> byPartition = spread(30);
        List<Integer> asked = byPartition.values().iterator().next();
        readInstant.set(System.nanoTime());

        // when
        Optional<SecretKey> found = keys.find("1:spread-" + asked.get(0), "cmd-" + asked.get(0) + "/0");

        // then
        assertThat(found).isPresent();
        assertThat(byPartition).hasSize(3);
        assertThat(keys.keysHeld()).isEqualTo(asked.size());
    }

    @Test
    void a_partition_let_go_of_forgets_its_keys_and_is_read_again_from_its_beginning_when_asked() {
        // given: the keys of 30 sessions over the 3 partitions, two partitions read, one of them up to a miss
        Map<Integer, List<Integer>> byPartition = spread(30);
        assertThat(byPartition).hasSize(3);
        List<Integer> partitions = List.copyOf(byPartition.keySet());
        List<Integer> kept = byPartition.get(partitions.get(0));
        List<Integer> letGo = byPartition.get(partitions.get(1));
        String erased = sessionsIn(partitions.get(1), "1:erased-", 1).get(0);
        readInstant.set(System.nanoTime());
        assertThat(keys.find("1:spread-" + kept.get(0), "cmd-" + kept.get(0) + "/0")).isPresent();
        assertThat(keys.find("1:spread-" + letGo.get(0), "cmd-" + letGo.get(0) + "/0")).isPresent();
        assertThat(keys.find(erased, "cmd-99/0")).isEmpty();
        assertThat(keys.keysHeld()).isEqualTo(kept.size() + letGo.size());

        // when: the instance reads the events of the first and third partitions only
        int unchanged = keys.keepOnly(Set.of(), 6);
        int released = keys.keepOnly(Set.of(partitions.get(0), partitions.get(2)), 3);

        // then
        assertThat(unchanged).as("a log of another partition count says nothing of the key topic's").isZero();
        assertThat(released).isEqualTo(1);
        assertThat(keys.keysHeld()).isEqualTo(kept.size());
        // (an event read before the miss settled the partition: what was settled went with the keys)
        assertThat(keys.find("1:spread-" + letGo.get(1), "cmd-" + letGo.get(1) + "/0")).isPresent();
        assertThat(keys.keysHeld()).isEqualTo(kept.size() + letGo.size());
    }

    @Test
    void letting_go_of_a_partition_while_its_keys_are_looked_up_never_makes_a_live_key_read_as_erased()
            throws Exception {
        // given: live keys of one partition
        int partition = partitionOf("1:busy-0");
        List<String> sessions = sessionsIn(partition, "1:busy-", 8);
        for (int i = 0; i < sessions.size(); i++) {
            commit(sessions.get(i), EventSealing.newKey("cmd-" + i + "/0", random));
        }
        readInstant.set(System.nanoTime());

        // when: each look-up starts with its partition let go of, and as it starts to catch up another thread lets
        // go of every partition again (so each look-up meets one let-go, before or while it waits)
        Semaphore lookUpsMissed = new Semaphore(0);
        AtomicBoolean looking = new AtomicBoolean(true);
        AtomicLong released = new AtomicLong();
        List<String> erased = new ArrayList<>();
        try (KafkaDataKeys busy = openKeys(() -> {
            lookUpsMissed.release();
            return System.nanoTime();
        })) {
            CompletableFuture<Void> releasing = CompletableFuture.runAsync(() -> {
                while (looking.get()) {
                    if (lookUpsMissed.tryAcquire()) {
                        long before = released.get();
                        while (looking.get() && released.addAndGet(busy.keepOnly(Set.of(), 3)) == before) {
                            Thread.onSpinWait();
                        }
                    }
                    Thread.onSpinWait();
                }
            });
            try {
                for (int round = 0; round < 100; round++) {
                    int i = round % sessions.size();
                    busy.keepOnly(Set.of(), 3);
                    if (busy.find(sessions.get(i), "cmd-" + i + "/0").isEmpty()) {
                        erased.add(round + ": " + sessions.get(i));
                    }
                }
            } finally {
                looking.set(false);
                releasing.get(10, TimeUnit.SECONDS);
            }
        }

        // then
        assertThat(erased).isEmpty();
        assertThat(released.get()).as("partitions let go of").isGreaterThanOrEqualTo(99);
    }

    @Test
    void a_key_found_outside_its_partition_makes_every_partition_read() {
        // given: two keys sent to other partitions than Kafka's default partitioner gives them (one into the
        // partition of a session asked about, one into a third partition), and that session's own key
        String astray = "1:astray";
        int home = partitionOf(astray);
        int elsewhere = (home + 1) % 3;
        int asked = (home + 2) % 3;
        sendTo(elsewhere, astray, EventSealing.newKey("cmd-7/0", random));
        sendTo(asked, sessionsIn(home, "1:b-", 1).get(0), EventSealing.newKey("cmd-9/0", random));
        String neighbour = sessionsIn(asked, "1:n-", 1).get(0);
        commit(neighbour, EventSealing.newKey("cmd-8/0", random));
        readInstant.set(System.nanoTime());

        // when: the neighbour's partition is read, with the stray key in it
        Optional<SecretKey> neighbours = keys.find(neighbour, "cmd-8/0");
        readInstant.set(System.nanoTime());
        Optional<SecretKey> astrays = keys.find(astray, "cmd-7/0");

        // then: the other stray key is found too, in a partition no session asked about was in
        assertThat(neighbours).isPresent();
        assertThat(astrays).isPresent();
    }

    /** Commits the keys of sessions {@code 1:spread-0} to {@code count - 1}; their numbers by partition. */
    private Map<Integer, List<Integer>> spread(int count) {
        Map<Integer, List<Integer>> byPartition = new HashMap<>();
        for (int i = 0; i < count; i++) {
            int partition = commit("1:spread-" + i, EventSealing.newKey("cmd-" + i + "/0", random));
            byPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(i);
        }
        return byPartition;
    }

    private void sendTo(int partition, String sessionKey, SessionDataKey key) {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, partition, sessionKey, serializer.serialize(topic, key)));
        producer.commitTransaction();
    }

    /** Commits a key (or a tombstone) as the processor does, to the partition Kafka's default partitioner gives it. */
    private int commit(String sessionKey, SessionDataKey key) {
        producer.beginTransaction();
        Future<RecordMetadata> sent = producer.send(new ProducerRecord<>(topic, sessionKey,
                key == null ? null : serializer.serialize(topic, key)));
        producer.commitTransaction();
        return partition(sent);
    }

    /** Where Kafka's default partitioner puts a key, told by the broker: a record to a topic of as many partitions. */
    private int partitionOf(String sessionKey) {
        producer.beginTransaction();
        Future<RecordMetadata> sent = producer.send(new ProducerRecord<>(scratch, sessionKey, new byte[0]));
        producer.commitTransaction();
        return partition(sent);
    }

    private static int partition(Future<RecordMetadata> sent) {
        try {
            return sent.get(10, TimeUnit.SECONDS).partition();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first {@code count} of {@code prefix}0, 1, … whose keys go to {@code partition}. */
    private List<String> sessionsIn(int partition, String prefix, int count) {
        List<String> sessions = new ArrayList<>();
        for (int i = 0; sessions.size() < count; i++) {
            if (partitionOf(prefix + i) == partition) {
                sessions.add(prefix + i);
            }
        }
        return sessions;
    }
}
