package io.customersessions.projector.streams;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.CustomerSessionState;
import io.customersessions.domain.CustomerSession;
import io.customersessions.domain.PersonalData;
import io.customersessions.domain.SessionEvent;
import io.customersessions.domain.SessionKey;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.projector.views.StoreKeys;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The single writer of each session: {@link CommandDecider decides} each command against its own stores and
 * writes the result. An accepted command forwards its events, the new state, a profile claim and its outcome, and
 * updates the session store, the listing views and (for a return with an Idempotency-Key) the idempotency store;
 * a rejected one forwards only its outcome (and remembers it under its Idempotency-Key); a repeated
 * Idempotency-Key forwards the first outcome again and changes nothing. All of it commits in one transaction.
 *
 * <p>A redaction also rewrites the outcomes remembered for the session's Idempotency-Keys, which hold the session
 * as it was then: the store's changelog is compacted, so the personal values they held leave it too.
 */
final class SessionCommandProcessor implements Processor<String, io.customersessions.avro.SessionCommand, String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(SessionCommandProcessor.class);

    /** Session ids are {@code partition · 2^40 + offset + 1} of the creating command: unique, stable, below 2^53. */
    static final int OFFSET_BITS = 40;

    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, CustomerSessionState> sessions;
    private KeyValueStore<String, String> localClaims;
    private KeyValueStore<String, String> globalClaims;
    private KeyValueStore<String, CommandOutcome> firstOutcomes;
    private ListingViews views;
    private CommandDecider.Lookups lookups;

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.sessions = context.getStateStore(Topics.SESSION_STORE);
        this.localClaims = context.getStateStore(Topics.PROFILE_CLAIMS_STORE);
        this.globalClaims = context.getStateStore(Topics.PROFILE_FIRST_SESSIONS_STORE);
        this.firstOutcomes = context.getStateStore(Topics.IDEMPOTENT_OUTCOMES_STORE);
        this.views = new ListingViews(context);
        this.lookups = new CommandDecider.Lookups() {
            @Override
            public Optional<CustomerSessionState> session(String sessionKey) {
                return Optional.ofNullable(sessions.get(sessionKey));
            }

            @Override
            public Optional<String> firstSessionOfProfile(String claimKey) {
                return Optional.ofNullable(localClaims.get(claimKey))
                        .or(() -> Optional.ofNullable(globalClaims.get(claimKey)));
            }

            @Override
            public Optional<CommandOutcome> firstOutcome(String idempotencyKey) {
                return Optional.ofNullable(firstOutcomes.get(idempotencyKey));
            }
        };
        scheduleViewRebuildIfMissing();
    }

    @Override
    public void process(Record<String, io.customersessions.avro.SessionCommand> record) {
        if (record.value() == null) {
            return;
        }
        CommandDecider.Result result = CommandDecider.decide(record.key(), record.value(), newSessionId(), lookups);
        if (result instanceof CommandDecider.Accepted accepted) {
            accept(record, accepted);
        } else if (result instanceof CommandDecider.Rejected rejected) {
            rejected.idempotencyKey().ifPresent(key -> firstOutcomes.put(key, rejected.outcome()));
        }
        forwardOutcome(record, result.outcome());
    }

    private void accept(Record<String, ?> record, CommandDecider.Accepted accepted) {
        for (SessionEvent event : accepted.events()) {
            context.forward(record.withValue(AvroCodec.toAvro(event)));
        }
        CustomerSession after = accepted.after();
        CustomerSessionState avroState = AvroCodec.toAvro(after);
        sessions.put(after.key().asString(), avroState);
        views.update(accepted.before(), after);
        context.forward(record.withValue(avroState));
        claimProfileIfFirst(record, accepted.before(), after);
        accepted.idempotencyKey().ifPresent(key -> firstOutcomes.put(key, accepted.outcome()));
        if (accepted.events().stream().anyMatch(SessionEvent.SessionRedacted.class::isInstance)) {
            redactRememberedOutcomes(after.key());
        }
    }

    private void redactRememberedOutcomes(SessionKey key) {
        StoreKeys.Range range = StoreKeys.idempotencyOf(key);
        List<KeyValue<String, CommandOutcome>> remembered = new ArrayList<>();
        try (KeyValueIterator<String, CommandOutcome> entries = firstOutcomes.range(range.from(), range.to())) {
            entries.forEachRemaining(remembered::add);
        }
        for (KeyValue<String, CommandOutcome> entry : remembered) {
            CustomerSessionState session = entry.value.getSession();
            if (session != null) {
                CustomerSessionState redacted = AvroCodec.toAvro(PersonalData.redact(AvroCodec.fromAvro(session)));
                firstOutcomes.put(entry.key, CommandOutcome.newBuilder(entry.value).setSession(redacted).build());
            }
        }
    }

    /** Keyed by the session the outcome is about, which is the one the session-service waits on. */
    private void forwardOutcome(Record<String, ?> record, CommandOutcome outcome) {
        String key = new SessionKey(outcome.getApplicationId(), outcome.getIntegrationId()).asString();
        context.forward(record.withKey(key).withValue(outcome));
    }

    private void claimProfileIfFirst(Record<String, ?> record, Optional<CustomerSession> before, CustomerSession after) {
        boolean profileChanged = before.map(b -> !b.profileId().equals(after.profileId())).orElse(true);
        if (after.anonymous() || !after.firstSession() || !profileChanged) {
            return;
        }
        String claimKey = CommandDecider.claimKey(after.key().applicationId(), after.profileId());
        if (localClaims.get(claimKey) == null) {
            localClaims.put(claimKey, after.key().integrationId());
            context.forward(record.withKey(claimKey).withValue(new SessionTopology.ProfileClaim(after.key().integrationId())));
        }
    }

    /**
     * Views added to a topology that already holds sessions start empty: fill them once, from a punctuation so that
     * the writes belong to a transaction like every other write of this processor.
     */
    private void scheduleViewRebuildIfMissing() {
        if (!views.missing(sessions)) {
            return;
        }
        Cancellable[] once = new Cancellable[1];
        once[0] = context.schedule(Duration.ofMillis(1), PunctuationType.WALL_CLOCK_TIME, now -> {
            once[0].cancel();
            if (views.missing(sessions)) {
                LOG.info("building the listing views of task {} from its stored sessions", context.taskId());
                views.rebuild(sessions);
            }
        });
    }

    private long newSessionId() {
        RecordMetadata metadata = context.recordMetadata().orElseThrow();
        return ((long) metadata.partition() << OFFSET_BITS) + metadata.offset() + 1;
    }
}
