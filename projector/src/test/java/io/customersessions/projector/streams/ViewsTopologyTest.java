package io.customersessions.projector.streams;

import io.customersessions.avro.CustomerSessionState;
import io.customersessions.domain.CartItem;
import io.customersessions.domain.ReturnedItem;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.projector.views.StoredEvent;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The views role's topology, fed with the event log the processor topology wrote, holds exactly the processor's read
 * stores: a views generation is a rebuild of the projection, not an approximation of it.
 */
class ViewsTopologyTest {

    private static final SessionKey S1 = new SessionKey(1, "s-1");
    private static final SessionKey S2 = new SessionKey(1, "s-2");
    private static final SessionKey S3 = new SessionKey(2, "s-1");

    private final TopologyFixture processor = new TopologyFixture();
    /** The processor's registry (the log's schema ids) and its data keys, as the key topic would give them. */
    private final TopologySerdes viewsSerdes = TopologySerdes.ours(processor.serdeConfig(), processor.dataKeys());
    private final TopologyTestDriver views = viewsDriver(viewsSerdes);

    @AfterEach
    void closeDrivers() {
        processor.close();
        views.close();
    }

    @Test
    void the_views_fold_of_the_event_log_gives_the_processors_session_store_byte_for_byte() {
        // given: every kind of change, a rejected command and two applications
        List<CartItem> cart = List.of(CartItem.of("SOCK", 3, new BigDecimal("12.99")),
                CartItem.of("CAP", 1, new BigDecimal("0.10")));
        processor.send(processor.upsert(S1, Optional.of(SessionState.OPEN),
                SessionChanges.NONE.withProfileId("customer-1").withCartItems(cart)));
        processor.send(processor.upsert(S2, Optional.empty(), SessionChanges.NONE.withProfileId("customer-1")));
        processor.send(processor.upsert(S3, Optional.of(SessionState.CLOSED), SessionChanges.NONE.withCartItems(cart)));
        processor.send(processor.setDiscounts(S1, Map.of("10% off", new BigDecimal("3.90"))));
        processor.send(processor.upsert(S1, Optional.of(SessionState.CLOSED), SessionChanges.NONE));
        processor.send(processor.returnItems(S1, "return-1", new ReturnedItem(0, 1)));
        processor.send(processor.upsert(S2, Optional.of(SessionState.PARTIALLY_RETURNED), SessionChanges.NONE));
        processor.send(processor.upsert(S2, Optional.of(SessionState.CANCELLED), SessionChanges.NONE));
        processor.send(reopen(S3));
        processor.send(processor.upsert(S3, Optional.empty(), SessionChanges.NONE.withProfileId("customer-9")));

        // when
        int events = pipeTheLogIntoTheViews();

        // then
        assertThat(events).isEqualTo(9);
        assertThat(entries(processor.<CustomerSessionState>store(Topics.SESSION_STORE), Object::toString))
                .containsOnlyKeys(S1.asString(), S2.asString(), S3.asString());
        assertTheViewsHoldTheProcessorsStores();
    }

    @Test
    void the_views_of_an_erased_session_read_from_the_sealed_log_without_its_key_are_the_processors() {
        // given: S1 with personal data, moved to another profile, erased, then given a profile again (a new key);
        // S2 keeps its data and moves to another profile too
        processor.send(processor.upsert(S1, Optional.empty(), SessionChanges.NONE.withProfileId("customer-1")
                .withIdentifiers(List.of("alice@example.com"))
                .withAttributes(new TreeMap<>(Map.of("shippingCity", "\"Berlin\"")))
                .withCartItems(List.of(CartItem.of("SOCK", 3, new BigDecimal("12.99"))))));
        processor.send(processor.upsert(S2, Optional.empty(), SessionChanges.NONE.withProfileId("customer-1")));
        processor.send(processor.upsert(S1, Optional.empty(), SessionChanges.NONE.withProfileId("customer-4")
                .withAttributes(new TreeMap<>(Map.of("note", "\"leave at the door\"")))));
        processor.send(processor.upsert(S2, Optional.empty(), SessionChanges.NONE.withProfileId("customer-3")));
        processor.send(AvroCodec.toAvro(new SessionCommand.RedactPersonalData("redact-1", S1,
                TopologyFixture.T0.plusSeconds(3600), null, "integration-api-key:0123456789ab")));
        processor.send(processor.upsert(S1, Optional.empty(), SessionChanges.NONE.withProfileId("customer-2")));

        // when: the views read the log after the first key of S1 is destroyed
        pipeTheLogIntoTheViews();

        // then
        assertTheViewsHoldTheProcessorsStores();
        assertThat(entries(views.<String, String>getKeyValueStore(Topics.SESSION_LISTING_STORE), Function.identity())
                .keySet()).as("S2's former profile, in both indexes; S1's (erased) in neither")
                .filteredOn(key -> key.startsWith("f")).hasSize(2).allMatch(key -> key.contains("customer-1"));
        Function<StoredEvent, String> event = stored -> stored.event().toString();
        assertThat(entries(views.<String, StoredEvent>getKeyValueStore(Topics.SESSION_HISTORY_STORE), event))
                .isEqualTo(entries(processor.<StoredEvent>store(Topics.SESSION_HISTORY_STORE), event));
        assertThat(views.<String, CustomerSessionState>getKeyValueStore(Topics.SESSION_STORE).get(S1.asString())
                .getProfileId()).isEqualTo("customer-2");
        assertThat(views.<String, CustomerSessionState>getKeyValueStore(Topics.SESSION_STORE).get(S2.asString())
                .getProfileId()).isEqualTo("customer-3");
    }

    @Test
    void a_session_erased_while_the_views_follow_the_log_loses_its_former_profiles_there_as_in_the_processor() {
        // given: the views have read S1's move from customer-1 to customer-4 while its key was alive
        processor.send(processor.upsert(S1, Optional.empty(), SessionChanges.NONE.withProfileId("customer-1")));
        processor.send(processor.upsert(S1, Optional.empty(), SessionChanges.NONE.withProfileId("customer-4")));
        pipeTheLogIntoTheViews();
        assertThat(entries(views.<String, String>getKeyValueStore(Topics.SESSION_LISTING_STORE), Function.identity())
                .keySet()).filteredOn(key -> key.startsWith("f")).hasSize(2);

        // when
        processor.send(AvroCodec.toAvro(new SessionCommand.RedactPersonalData("redact-1", S1,
                TopologyFixture.T0.plusSeconds(3600), null, "integration-api-key:0123456789ab", "customer-1")));
        pipeTheLogIntoTheViews();

        // then
        assertTheViewsHoldTheProcessorsStores();
        assertThat(entries(views.<String, String>getKeyValueStore(Topics.SESSION_LISTING_STORE), Function.identity())
                .keySet()).noneMatch(key -> key.startsWith("f"));
    }

    /** The processor's event log as the topic holds it (sealed), into the views driver; returns how many events. */
    private int pipeTheLogIntoTheViews() {
        List<KeyValue<String, byte[]>> log = processor.rawEvents.readKeyValuesToList();
        TestInputTopic<String, byte[]> eventLog = views.createInputTopic(TopologyFixture.TOPICS.events(),
                Serdes.String().serializer(), new ByteArraySerializer());
        log.forEach(event -> eventLog.pipeInput(event.key, event.value));
        return log.size();
    }

    private void assertTheViewsHoldTheProcessorsStores() {
        Serializer<CustomerSessionState> bytes = viewsSerdes.state().serializer();
        Function<CustomerSessionState, String> hex = state -> HexFormat.of().formatHex(bytes.serialize("x", state));
        Map<String, String> processorSessions = entries(processor.store(Topics.SESSION_STORE), hex);
        assertThat(entries(views.getKeyValueStore(Topics.SESSION_STORE), hex)).isEqualTo(processorSessions);
        assertThat(entries(views.<String, String>getKeyValueStore(Topics.SESSION_LISTING_STORE), Function.identity()))
                .isEqualTo(entries(processor.<String>store(Topics.SESSION_LISTING_STORE), Function.identity()));
        Function<StoredEvent, String> position = stored -> stored.event().getEventId() + "@" + stored.partition() + ":"
                + stored.offset() + " " + stored.after();
        assertThat(entries(views.<String, StoredEvent>getKeyValueStore(Topics.SESSION_HISTORY_STORE), position))
                .isEqualTo(entries(processor.<StoredEvent>store(Topics.SESSION_HISTORY_STORE), position));
        assertThat(entries(views.<String, String>getKeyValueStore(Topics.EVENTS_BY_TIME_STORE), Function.identity()))
                .isEqualTo(entries(processor.<String>store(Topics.EVENTS_BY_TIME_STORE), Function.identity()));
    }

    @Test
    void the_views_topology_reads_only_the_event_log_and_writes_no_topic() {
        // when
        StreamsBuilder builder = new StreamsBuilder();
        SessionTopology.buildViews(builder, TopologyFixture.TOPICS, viewsSerdes);
        TopologyDescription description = builder.build().describe();

        // then: it cannot decide a command again, nor append anything
        List<TopologyDescription.Node> nodes = description.subtopologies().stream()
                .flatMap(sub -> sub.nodes().stream()).toList();
        assertThat(nodes).filteredOn(TopologyDescription.Source.class::isInstance)
                .extracting(node -> ((TopologyDescription.Source) node).topicSet())
                .containsExactly(java.util.Set.of(TopologyFixture.TOPICS.events()));
        assertThat(nodes).noneMatch(TopologyDescription.Sink.class::isInstance);
        assertThat(description.globalStores()).isEmpty();
        assertThat(nodes).filteredOn(TopologyDescription.Processor.class::isInstance)
                .flatExtracting(node -> ((TopologyDescription.Processor) node).stores())
                .doesNotContain(Topics.IDEMPOTENT_OUTCOMES_STORE, Topics.PROFILE_CLAIMS_STORE);
    }

    private static io.customersessions.avro.SessionCommand reopen(SessionKey key) {
        return AvroCodec.toAvro(new SessionCommand.ReopenSession("reopen-" + key.asString(), key,
                TopologyFixture.T0.plusSeconds(100), null));
    }

    private static <V> Map<String, String> entries(KeyValueStore<String, V> store, Function<V, String> text) {
        Map<String, String> entries = new TreeMap<>();
        try (KeyValueIterator<String, V> all = store.all()) {
            all.forEachRemaining(entry -> entries.put(entry.key, text.apply(entry.value)));
        }
        return entries;
    }

    private static TopologyTestDriver viewsDriver(TopologySerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        SessionTopology.buildViews(builder, TopologyFixture.TOPICS, serdes);
        Topology topology = builder.build();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "views-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        try {
            Path target = Files.createDirectories(Path.of("target"));
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(target, "ttd-views").toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new TopologyTestDriver(topology, props);
    }
}
