package io.customersessions.projector.streams;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.CustomerSessionState;
import io.customersessions.avro.SessionDataKey;
import io.customersessions.avro.SessionEvent;
import io.customersessions.eventlog.Topics;
import io.customersessions.projector.views.StoredEventSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;


/**
 * The processor topology, built by a plain static method so tests need neither DI nor a broker.
 *
 * <pre>
 * commands ──▶ decide + evolve (single writer per session key) ──┬─▶ events           (the log, personal data sealed)
 *                 │  stores: sessions, profile-claims, session-  ├─▶ session keys     (compacted, data keys)
 *                 │    keys, idempotent-outcomes, idempotency-   ├─▶ state            (compacted change feed)
 *                 │    expiry, session-listing                   │
 *                 │  global: profile-first-sessions ◀────────────┼─▶ profile claims   (compacted)
 *                 │                                              └─▶ outcomes         (answers to the session-service)
 * events (the log) ──▶ unseal ──▶ history: fold with evolve ──▶ stores: session-history, session-history-heads,
 *                                                                       events-by-time
 * </pre>
 *
 * All outputs of one command are written in one exactly-once transaction with the store updates and the
 * command's consumed offset: a command is applied once or not at all.
 *
 * <p>{@link #buildViews} is the read-only sibling: the same read stores, folded from the event log alone.
 *
 * <p>The stores are not cached: with Kafka Streams' record cache the fold used more CPU per command and its commits
 * took twice as long (each flushes the cache), because a session's keys rarely repeat within one commit.
 */
public final class SessionTopology {

    private static final String[] PROCESSOR_STORES = {Topics.SESSION_STORE, Topics.PROFILE_CLAIMS_STORE,
            Topics.SESSION_KEYS_STORE, Topics.IDEMPOTENT_OUTCOMES_STORE, Topics.IDEMPOTENCY_EXPIRY_STORE,
            Topics.SESSION_LISTING_STORE};

    private SessionTopology() {
    }

    /** Adds the topology to {@code builder} and returns the stream of processor outputs (for DI frameworks that want a KStream bean). */
    public static KStream<String, Object> build(StreamsBuilder builder, Topics topics, TopologySerdes serdes) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(Topics.SESSION_STORE), Serdes.String(),
                TopologySerdes.underSubjectOf(topics.state(), serdes.state())));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(Topics.PROFILE_CLAIMS_STORE), Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(Topics.SESSION_KEYS_STORE), Serdes.String(),
                TopologySerdes.underSubjectOf(topics.sessionKeys(), serdes.keys())));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(Topics.IDEMPOTENT_OUTCOMES_STORE), Serdes.String(),
                TopologySerdes.underSubjectOf(topics.outcomes(), serdes.outcomes())));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(Topics.IDEMPOTENCY_EXPIRY_STORE), Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(Topics.SESSION_LISTING_STORE), Serdes.String(), Serdes.String()));
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Topics.PROFILE_FIRST_SESSIONS_STORE),
                        Serdes.String(), Serdes.String()).withLoggingDisabled(),
                topics.profileFirstSessions(),
                Consumed.with(Serdes.String(), Serdes.String()).withName("profile-first-sessions-source"),
                FirstWriterWinsProcessor::new);

        eventLogWithHistory(builder, topics, serdes);

        KStream<String, Object> outputs = builder
                .stream(topics.commands(), Consumed.with(Serdes.String(), serdes.commands()).withName("commands"))
                .process(() -> new SessionCommandProcessor(topics.events(), serdes.events().serializer()),
                        Named.as("decide-and-fold"), PROCESSOR_STORES);

        outputs.filter((k, v) -> v instanceof SessionEvent, Named.as("only-events"))
                .mapValues(v -> (SessionEvent) v, Named.as("as-event"))
                .to(topics.events(), Produced.with(Serdes.String(), serdes.events()).withName("events"));
        outputs.filter((k, v) -> v instanceof CustomerSessionState, Named.as("only-states"))
                .mapValues(v -> (CustomerSessionState) v, Named.as("as-state"))
                .to(topics.state(), Produced.with(Serdes.String(), serdes.state()).withName("state"));
        outputs.filter((k, v) -> v instanceof CommandOutcome, Named.as("only-outcomes"))
                .mapValues(v -> (CommandOutcome) v, Named.as("as-outcome"))
                .to(topics.outcomes(), Produced.with(Serdes.String(), serdes.outcomes()).withName("outcomes"));
        outputs.filter((k, v) -> v instanceof SessionKeyRecord, Named.as("only-session-keys"))
                .mapValues(v -> ((SessionKeyRecord) v).key(), Named.as("as-session-key"))
                .to(topics.sessionKeys(), Produced.with(Serdes.String(), serdes.keys()).withName("session-keys"));
        outputs.filter((k, v) -> v instanceof ProfileClaim, Named.as("only-claims"))
                .mapValues(v -> ((ProfileClaim) v).integrationId(), Named.as("as-claim"))
                .to(topics.profileFirstSessions(),
                        Produced.with(Serdes.String(), Serdes.String()).withName("profile-claims"));
        return outputs;
    }

    /**
     * The views role's topology: no command processor, no decision stores, no output topic. It reads the event log
     * from its beginning (under an application id of its own, see {@code Generation}) and folds it into the stores
     * the query API reads, under the same names: the session store and listing views (by {@link
     * SessionViewsProcessor}, with {@code ListingViews}) and the history ({@link HistoryProcessor}, as in {@link
     * #build}). Each event is applied in one exactly-once transaction with its consumed offset. Sealed personal data
     * is opened as for the history; the events of a session whose data key was erased read as redacted, and since
     * redaction commutes with the fold, the session still ends in the processor's (redacted) state.
     *
     * <pre>
     * events (the log) ──┬─▶ sessions: fold with evolve ──▶ stores: customer-sessions, session-listing
     *                    └─▶ history: fold with evolve  ──▶ stores: session-history, session-history-heads, events-by-time
     * </pre>
     *
     * Returns the event log stream (for DI frameworks that want a KStream bean).
     */
    public static KStream<String, SessionEvent> buildViews(StreamsBuilder builder, Topics topics, TopologySerdes serdes) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(Topics.SESSION_STORE), Serdes.String(),
                TopologySerdes.underSubjectOf(topics.state(), serdes.state())));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(Topics.SESSION_LISTING_STORE), Serdes.String(), Serdes.String()));
        KStream<String, SessionEvent> events = eventLogWithHistory(builder, topics, serdes);
        events.process(SessionViewsProcessor::new, Named.as("session-views"), Topics.SESSION_STORE,
                Topics.SESSION_LISTING_STORE);
        return events;
    }

    /**
     * The history, a sub-topology of its own: it reads the event log (read committed, as every consumer of this
     * exactly-once application) and shares no store with the command processor, so it needs no co-partitioning
     * with the commands topic and lags the log by at most one commit. It reads the log through {@link
     * TopologySerdes#eventLog()}: sealed personal data is opened with the session's data key, or reads as redacted
     * once the key is erased; as redaction commutes with the fold, the history still ends in the live state. Returns the event log stream for the views
     * role's further processor.
     */
    private static KStream<String, SessionEvent> eventLogWithHistory(StreamsBuilder builder, Topics topics,
                                                                     TopologySerdes serdes) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(Topics.SESSION_HISTORY_HEADS_STORE), Serdes.String(),
                TopologySerdes.underSubjectOf(topics.state(), serdes.state())));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(Topics.SESSION_HISTORY_STORE), Serdes.String(),
                new StoredEventSerde(topics.events(), serdes.events())));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(Topics.EVENTS_BY_TIME_STORE), Serdes.String(), Serdes.String()));
        KStream<String, SessionEvent> events = builder.stream(topics.events(),
                Consumed.with(Serdes.String(), serdes.eventLog()).withName("event-log"));
        events.process(HistoryProcessor::new, Named.as("history"), Topics.SESSION_HISTORY_HEADS_STORE,
                Topics.SESSION_HISTORY_STORE, Topics.EVENTS_BY_TIME_STORE);
        return events;
    }

    /**
     * The first session of a profile, keyed {@code <applicationId>:<profileId>}. Written by the processor when a
     * session gets a profile that had no session yet; with a null {@code integrationId}, a tombstone: the claiming
     * session's personal data was erased.
     */
    record ProfileClaim(String integrationId) {
    }

    /**
     * A session's data key for the key topic, keyed by session key; with a null {@code key}, a tombstone: the key is
     * destroyed and the events sealed with it read as redacted from then on.
     */
    record SessionKeyRecord(SessionDataKey key) {
    }
}
