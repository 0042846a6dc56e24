package io.customersessions.projector.streams;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.CustomerSessionState;
import io.customersessions.avro.SessionCommand;
import io.customersessions.avro.SessionDataKey;
import io.customersessions.avro.SessionEvent;
import io.customersessions.domain.ReturnedItem;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.eventlog.crypto.DataKeys;
import io.customersessions.eventlog.crypto.EventSealing;
import io.customersessions.projector.query.StateStores;
import io.customersessions.projector.views.StoreKeys;
import io.customersessions.projector.views.StoredEvent;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

import java.io.IOException;
import java.math.BigDecimal;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The processor topology on a {@link TopologyTestDriver} with real Avro serdes (in-memory registry) and no broker,
 * plus builders for commands. Each command gets a fresh id and a time one second after the previous one.
 *
 * <p>Readers of the event log (the history, {@link #events}) open sealed personal data with {@link #dataKeys()},
 * the processor's own {@code session-keys} store: the driver runs the history right when an event is written, with
 * its key in the store; a key destroyed there is gone for every later reader, as in the key topic.
 */
public final class TopologyFixture implements AutoCloseable {

    public static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    public static final Topics TOPICS = Topics.defaults();

    private TopologyTestDriver driver;
    private TopologySerdes serdes;
    private Map<String, Object> serdeConfig;
    private TestInputTopic<String, SessionCommand> commands;
    /**
     * The event log as its readers read it (unsealed where the key is live). It and {@link #rawEvents} read one
     * queue: a record read from one is gone from the other.
     */
    public TestOutputTopic<String, SessionEvent> events;
    /** The event log's records as they are in the topic. */
    public TestOutputTopic<String, byte[]> rawEvents;
    public TestOutputTopic<String, SessionDataKey> sessionKeys;
    public TestOutputTopic<String, CustomerSessionState> states;
    public TestOutputTopic<String, CommandOutcome> outcomes;
    public TestOutputTopic<String, String> profileClaims;
    private int sequence;
    private Duration clockAdvance = Duration.ZERO;

    private final Map<String, String> settings;

    public TopologyFixture() {
        this(Map.of());
    }

    /** @param settings Kafka Streams settings besides the fixture's own, e.g. {@code customer-sessions.*} ones */
    public TopologyFixture(Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
        start();
    }

    /** A fresh driver: empty topics and stores, commands numbered from 1 again. */
    public synchronized void reset() {
        driver.close();
        sequence = 0;
        clockAdvance = Duration.ZERO;
        start();
    }

    private void start() {
        serdeConfig = Map.of("schema.registry.url", "mock://topology-" + UUID.randomUUID());
        serdes = TopologySerdes.ours(serdeConfig, dataKeys());
        StreamsBuilder builder = new StreamsBuilder();
        SessionTopology.build(builder, TOPICS, serdes);

        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir().toString());
        props.put("processing.exception.handler.global.enabled", "true");
        props.putAll(settings);
        driver = new TopologyTestDriver(builder.build(), props, T0);

        commands = driver.createInputTopic(TOPICS.commands(), Serdes.String().serializer(), serdes.commands().serializer());
        events = driver.createOutputTopic(TOPICS.events(), Serdes.String().deserializer(),
                serdes.eventLog().deserializer());
        rawEvents = driver.createOutputTopic(TOPICS.events(), Serdes.String().deserializer(),
                new ByteArrayDeserializer());
        sessionKeys = driver.createOutputTopic(TOPICS.sessionKeys(), Serdes.String().deserializer(),
                serdes.keys().deserializer());
        states = driver.createOutputTopic(TOPICS.state(), Serdes.String().deserializer(), serdes.state().deserializer());
        outcomes = driver.createOutputTopic(TOPICS.outcomes(), Serdes.String().deserializer(),
                serdes.outcomes().deserializer());
        profileClaims = driver.createOutputTopic(TOPICS.profileFirstSessions(), Serdes.String().deserializer(),
                Serdes.String().deserializer());
    }

    private static Path stateDir() {
        try {
            Path target = Files.createDirectories(Path.of("target"));
            return Files.createTempDirectory(target, "ttd");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        driver.close();
    }

    // ------------------------------------------------------------------ input

    /**
     * Appends {@code command} keyed by its session, as the session-service does, with its time as the record's
     * timestamp (the producer stamps the record as the command is sent): the stream time is the latest command's.
     */
    public synchronized void send(SessionCommand command) {
        commands.pipeInput(new SessionKey(command.getApplicationId(), command.getIntegrationId()).asString(), command,
                command.getTime());
    }

    /** As {@link #send}, with record headers. */
    public synchronized void send(SessionCommand command, Headers headers) {
        commands.pipeInput(new TestRecord<>(
                new SessionKey(command.getApplicationId(), command.getIntegrationId()).asString(), command, headers,
                command.getTime()));
    }

    public synchronized void sendKeyed(String key, SessionCommand command) {
        commands.pipeInput(key, command, command.getTime());
    }

    /** Drops everything written so far to the output topics. */
    public synchronized void drainOutputs() {
        events.readValuesToList();
        sessionKeys.readValuesToList();
        states.readValuesToList();
        outcomes.readValuesToList();
        profileClaims.readValuesToList();
    }

    public SessionCommand upsert(SessionKey key, Optional<SessionState> state, SessionChanges changes) {
        return AvroCodec.toAvro(new io.customersessions.domain.SessionCommand.UpsertSession(
                nextCommandId(), key, nextTime(), null, state, changes));
    }

    public SessionCommand returnItems(SessionKey key, String idempotencyKey, ReturnedItem... items) {
        return AvroCodec.toAvro(new io.customersessions.domain.SessionCommand.ReturnItems(
                nextCommandId(), key, nextTime(), null, List.of(items), idempotencyKey));
    }

    public SessionCommand setDiscounts(SessionKey key, Map<String, BigDecimal> discounts) {
        return AvroCodec.toAvro(new io.customersessions.domain.SessionCommand.SetDiscounts(
                nextCommandId(), key, nextTime(), null, new TreeMap<>(discounts)));
    }

    private synchronized String nextCommandId() {
        sequence++;
        return "cmd-" + sequence;
    }

    private synchronized Instant nextTime() {
        return T0.plusSeconds(sequence).plus(clockAdvance);
    }

    /** Commands built from now on are {@code advance} later than they would have been (their times stay ordered). */
    public synchronized void advanceClock(Duration advance) {
        clockAdvance = clockAdvance.plus(advance);
    }

    /** Advances the processor's wall clock (from {@link #T0}), running the wall-clock punctuations that come due. */
    public synchronized void advanceWallClock(Duration advance) {
        driver.advanceWallClockTime(advance);
    }

    // ------------------------------------------------------------------ stores

    /** The session's entries in the history store, oldest first. */
    public List<KeyValue<String, StoredEvent>> history(SessionKey key) {
        StoreKeys.Range range = StoreKeys.sessionHistory(key.applicationId(), key.integrationId());
        List<KeyValue<String, StoredEvent>> entries = new ArrayList<>();
        try (KeyValueIterator<String, StoredEvent> all = this.<StoredEvent>store(Topics.SESSION_HISTORY_STORE)
                .range(range.from(), range.to())) {
            all.forEachRemaining(entries::add);
        }
        return entries;
    }

    public synchronized <V> KeyValueStore<String, V> store(String name) {
        return driver.getKeyValueStore(name);
    }

    /** The processor's live data keys ({@code session-keys}), always those of the current driver. */
    public DataKeys dataKeys() {
        return (sessionKey, keyId) -> Optional.ofNullable(this.<SessionDataKey>store(Topics.SESSION_KEYS_STORE)
                .get(sessionKey)).filter(key -> key.getKeyId().equals(keyId)).map(EventSealing::secretKey);
    }

    /** The serde configuration (its in-memory registry holds the schema ids of the records written here). */
    public Map<String, Object> serdeConfig() {
        return serdeConfig;
    }

    public CustomerSessionState session(SessionKey key) {
        return this.<CustomerSessionState>store(Topics.SESSION_STORE).get(key.asString());
    }

    /** The driver's stores as the query side reads them; always those of the current driver. */
    public StateStores stateStores() {
        return new StateStores() {
            @Override
            public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
                return TopologyFixture.this.store(name);
            }
        };
    }
}
