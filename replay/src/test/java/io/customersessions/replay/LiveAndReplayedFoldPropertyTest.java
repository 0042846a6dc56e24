package io.customersessions.replay;

import io.customersessions.avro.CustomerSessionState;
import io.customersessions.avro.SessionDataKey;
import io.customersessions.avro.SessionRedacted;
import io.customersessions.domain.CartItem;
import io.customersessions.domain.ReturnedItem;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.eventlog.crypto.DataKeys;
import io.customersessions.eventlog.crypto.EventSealing;
import io.customersessions.eventlog.crypto.UnsealingEventDeserializer;
import io.customersessions.projector.streams.SessionTopology;
import io.customersessions.projector.streams.TopologySerdes;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The determinism proof: random command sequences over several sessions and profiles (every command kind, rejected
 * ones, If-Match values, returns with repeated Idempotency-Keys, reopens, discounts, times out of order) are decided
 * and folded LIVE by the processor's real topology ({@link SessionTopology#build} on a {@link TopologyTestDriver},
 * real Avro serdes), and the event log it wrote is folded again by REPLAY ({@link Verifier}, the code path of the
 * replay command). Per session, the state topic's latest record and the replayed state written by the same
 * serializer are the same bytes, and the Verifier finds no difference.
 *
 * <p>With crypto-shredding in the topology: the log holds personal data sealed, and the replay opens it with the
 * keys the key topic holds after the run, as the replay command does. Erasures among the random commands destroy
 * their session's key, so the replay reads that session's earlier events redacted, and the bytes are still equal.
 */
class LiveAndReplayedFoldPropertyTest {

    private static final Topics TOPICS = Topics.defaults();
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private static final List<SessionKey> SESSIONS = List.of(new SessionKey(1, "s-1"), new SessionKey(1, "s-2"),
            new SessionKey(1, "s-3"), new SessionKey(2, "s-1"));
    private static final List<String> PROFILES = List.of("", "customer-1", "customer-2");

    /**
     * One driver for all tries of the property (a driver per try would cost far more than the try): each try uses
     * sessions and profiles of its own, and reads only what its commands wrote.
     */
    private final TopologySerdes serdes = serdes(this::liveKey);
    private final TopologyTestDriver driver = processor(serdes);
    private final TestInputTopic<String, io.customersessions.avro.SessionCommand> commands = driver.createInputTopic(
            TOPICS.commands(), Serdes.String().serializer(), serdes.commands().serializer());
    private final TestOutputTopic<String, byte[]> eventLog = raw(TOPICS.events());
    private final TestOutputTopic<String, byte[]> stateTopic = raw(TOPICS.state());
    private final TestOutputTopic<String, SessionDataKey> keyTopic = driver.createOutputTopic(TOPICS.sessionKeys(),
            new StringDeserializer(), serdes.keys().deserializer());
    /** The key topic as a reader holds it: the latest key per session, tombstones applied. */
    private final Map<String, SessionDataKey> keysInTheTopic = new HashMap<>();
    private int tries;

    /** One generated command, before ids and times are stamped. */
    sealed interface Step {
        SessionKey key();

        Integer ifMatch();

        /** Seconds after the previous command: negative ones test that event time never goes backwards. */
        int clockStep();
    }

    record Upsert(SessionKey key, Integer ifMatch, int clockStep, Optional<SessionState> state, SessionChanges changes)
            implements Step {
    }

    record Return(SessionKey key, Integer ifMatch, int clockStep, List<ReturnedItem> items, String idempotencyKey)
            implements Step {
    }

    record Reopen(SessionKey key, Integer ifMatch, int clockStep) implements Step {
    }

    record Discounts(SessionKey key, Integer ifMatch, int clockStep, Map<String, BigDecimal> discounts)
            implements Step {
    }

    /** DELETE /v1/customer_data: the erasure of the session's personal data. */
    record Redact(SessionKey key, Integer ifMatch, int clockStep) implements Step {
    }

    @AfterProperty
    void closeDriver() {
        driver.close();
    }

    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    void the_live_fold_and_the_replay_of_its_log_give_the_same_bytes_per_session(
            @ForAll("histories") List<Step> history, @ForAll @IntRange(min = 0, max = 2) int hotSessions) {
        // given
        String tryPrefix = "try-" + (++tries) + "-";

        // when: live
        Instant time = T0;
        for (int i = 0; i < history.size(); i++) {
            Step step = history.get(i);
            time = time.plusSeconds(step.clockStep());
            SessionCommand command = command(step, tryPrefix, tryPrefix + "cmd-" + i, time);
            commands.pipeInput(command.key().asString(), AvroCodec.toAvro(command));
        }
        List<KeyValue<String, byte[]>> events = eventLog.readKeyValuesToList();
        Map<String, byte[]> latestStates = new LinkedHashMap<>();
        stateTopic.readKeyValuesToList().forEach(record -> latestStates.put(record.key, record.value));

        keyTopic.readKeyValuesToList().forEach(record -> {
            if (record.value == null) {
                keysInTheTopic.remove(record.key);
            } else {
                keysInTheTopic.put(record.key, record.value);
            }
        });

        // when: replay, as the replay command does: live states as stored, then every event in log order, unsealed
        // with the keys the key topic holds now; few sessions kept as objects, the others in wire form between events
        StateCodec codec = codec(serdes);
        Verifier verifier = new Verifier(Optional.empty(), codec, hotSessions);
        latestStates.forEach(verifier::live);
        UnsealingEventDeserializer log = new UnsealingEventDeserializer(serdes.events().deserializer(),
                keysOf(keysInTheTopic));
        List<io.customersessions.avro.SessionEvent> replayed = events.stream()
                .map(event -> log.deserialize(TOPICS.events(), event.value)).toList();
        for (int i = 0; i < events.size(); i++) {
            verifier.fold(events.get(i).key, replayed.get(i), false);
        }
        Comparison comparison = verifier.compare();

        // then
        assertThat(comparison.differences()).isEmpty();
        assertThat(comparison.sessionsChecked()).isEqualTo(latestStates.size());
        assertThat(comparison.eventsFolded()).isEqualTo(events.size());
        latestStates.forEach((key, live) -> {
            CustomerSessionState rebuilt = verifier.rebuilt(key).orElseThrow();
            assertThat(codec.encode(rebuilt)).as("the bytes of %s", key).isEqualTo(live);
        });
        // an erased session's personal data before its erasure is gone from the log for every reader
        Set<String> erased = new HashSet<>();
        for (int i = replayed.size() - 1; i >= 0; i--) {
            io.customersessions.avro.SessionEvent event = replayed.get(i);
            String key = events.get(i).key;
            if (erased.contains(key)) {
                assertThat(EventSealing.holdsPersonalData(AvroCodec.fromAvro(event)))
                        .as("event %s before the erasure of %s", event.getEventId(), key).isFalse();
            } else if (event.getPayload() instanceof SessionRedacted) {
                erased.add(key);
            }
        }
    }

    /** The live processor's own key store, which its history reads with. */
    private Optional<SessionDataKey> liveKey(String sessionKey) {
        return Optional.ofNullable(driver.<String, SessionDataKey>getKeyValueStore(Topics.SESSION_KEYS_STORE)
                .get(sessionKey));
    }

    private static DataKeys keysOf(Map<String, SessionDataKey> keys) {
        return (sessionKey, keyId) -> Optional.ofNullable(keys.get(sessionKey))
                .filter(key -> key.getKeyId().equals(keyId)).map(EventSealing::secretKey);
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        return step().list().ofMinSize(1).ofMaxSize(40);
    }

    private static Arbitrary<Step> step() {
        Arbitrary<SessionKey> key = Arbitraries.of(SESSIONS);
        Arbitrary<Integer> ifMatch = Arbitraries.integers().between(0, 6).injectNull(0.85);
        Arbitrary<Integer> clock = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.integers().between(0, 120)),
                Tuple.of(1, Arbitraries.integers().between(-600, -1)));
        Arbitrary<Step> upsert = Combinators.combine(key, ifMatch, clock,
                Arbitraries.of(SessionState.values()).optional(0.6), changes()).as(Upsert::new);
        Arbitrary<Step> returns = Combinators.combine(key, ifMatch, clock,
                Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 3))
                        .as(ReturnedItem::new).list().ofMinSize(1).ofMaxSize(2),
                Arbitraries.of("", "return-1", "return-2").map(k -> k.isEmpty() ? null : k)).as(Return::new);
        Arbitrary<Step> reopen = Combinators.combine(key, ifMatch, clock).as(Reopen::new);
        Arbitrary<Step> redact = Combinators.combine(key, clock).as((k, c) -> new Redact(k, null, c));
        Arbitrary<Step> discounts = Combinators.combine(key, ifMatch, clock,
                Arbitraries.maps(Arbitraries.of("10% off", "bundle", "loyalty"), money(-1, 20)).ofMaxSize(2))
                .as(Discounts::new);
        return Arbitraries.frequencyOf(
                Tuple.of(6, upsert), Tuple.of(2, returns),
                Tuple.of(1, reopen), Tuple.of(1, discounts), Tuple.of(1, redact));
    }

    /** Valid and invalid changes (a quantity of 0 is a 400): profiles appear, change and vanish. */
    private static Arbitrary<SessionChanges> changes() {
        Arbitrary<String> profile = Arbitraries.of(PROFILES).injectNull(0.5);
        Arbitrary<List<CartItem>> cart = Combinators.combine(Arbitraries.of("SOCK", "CAP", "SHOE"),
                        Arbitraries.integers().between(0, 4), money(0, 50))
                .as(CartItem::of).list().ofMaxSize(3).injectNull(0.4);
        Arbitrary<List<String>> coupons = Arbitraries.of("WELCOME10", "SPRING").list().uniqueElements().ofMaxSize(2)
                .injectNull(0.7);
        Arbitrary<Map<String, String>> attributes = Arbitraries.maps(Arbitraries.of("city", "gift"),
                Arbitraries.of("Berlin", "yes", "")).ofMaxSize(2).injectNull(0.7);
        Arbitrary<Map<String, BigDecimal>> costs = Arbitraries.maps(Arbitraries.of("shipping", "wrapping"),
                money(0, 10)).ofMaxSize(2).injectNull(0.8);
        return Combinators.combine(profile, cart, coupons, attributes, costs).as((p, items, codes, attrs, extra) ->
                new SessionChanges(p, null, null, codes, null, null, items,
                        extra == null ? null : new TreeMap<>(extra), null,
                        attrs == null ? null : new TreeMap<>(attrs), null));
    }

    /** Prices with cents, e.g. 0.10 or 12.99, from {@code min} to {@code max}. */
    private static Arbitrary<BigDecimal> money(int min, int max) {
        return Arbitraries.integers().between(min * 100, max * 100).map(cents -> BigDecimal.valueOf(cents, 2));
    }

    /** The step's command, on the sessions and profiles of this try ({@code prefix}). */
    private static SessionCommand command(Step step, String prefix, String commandId, Instant time) {
        SessionKey key = new SessionKey(step.key().applicationId(), prefix + step.key().integrationId());
        if (step instanceof Upsert u) {
            SessionChanges changes = u.changes().profileId() == null || u.changes().profileId().isEmpty()
                    ? u.changes() : u.changes().withProfileId(prefix + u.changes().profileId());
            return new SessionCommand.UpsertSession(commandId, key, time, u.ifMatch(), u.state(), changes);
        }
        if (step instanceof Return r) {
            return new SessionCommand.ReturnItems(commandId, key, time, r.ifMatch(), r.items(), r.idempotencyKey());
        }
        if (step instanceof Discounts d) {
            return new SessionCommand.SetDiscounts(commandId, key, time, d.ifMatch(), new TreeMap<>(d.discounts()));
        }
        if (step instanceof Redact) {
            return new SessionCommand.RedactPersonalData(commandId, key, time, null, "integration-api-key:0123456789ab");
        }
        return new SessionCommand.ReopenSession(commandId, key, time, step.ifMatch());
    }

    private static TopologySerdes serdes(java.util.function.Function<String, Optional<SessionDataKey>> liveKeys) {
        Map<String, Object> config = Map.of("schema.registry.url", "mock://determinism-" + UUID.randomUUID());
        return TopologySerdes.ours(config, (sessionKey, keyId) -> liveKeys.apply(sessionKey)
                .filter(key -> key.getKeyId().equals(keyId)).map(EventSealing::secretKey));
    }

    private static TopologyTestDriver processor(TopologySerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        SessionTopology.build(builder, TOPICS, serdes);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "determinism");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir().toString());
        props.put("processing.exception.handler.global.enabled", "true");
        return new TopologyTestDriver(builder.build(), props);
    }

    /** The records written to {@code topic}, undecoded: the bytes a consumer of the topic reads. */
    private TestOutputTopic<String, byte[]> raw(String topic) {
        return driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The projector's own serde for the state topic, as the replay command's codec does with the registry's. */
    private static StateCodec codec(TopologySerdes serdes) {
        return new StateCodec() {
            @Override
            public CustomerSessionState decode(byte[] wire) {
                return serdes.state().deserializer().deserialize(TOPICS.state(), wire);
            }

            @Override
            public byte[] encode(CustomerSessionState state) {
                return serdes.state().serializer().serialize(TOPICS.state(), state);
            }
        };
    }

    private static Path stateDir() {
        try {
            return Files.createTempDirectory(Files.createDirectories(Path.of("target")), "determinism");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
