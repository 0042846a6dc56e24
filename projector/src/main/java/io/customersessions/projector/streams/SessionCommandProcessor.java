package io.customersessions.projector.streams;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.CustomerSessionState;
import io.customersessions.avro.SessionDataKey;
import io.customersessions.domain.CustomerSession;
import io.customersessions.domain.PersonalData;
import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionEvent;
import io.customersessions.domain.SessionKey;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.eventlog.crypto.EventSealing;
import io.customersessions.projector.views.StoreKeys;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The single writer of each session: {@link CommandDecider decides} each command against its own stores and writes the
 * result. An accepted command forwards its events, the new state, a profile claim and its outcome, and updates the
 * session store, the listing views and (for an update or a return with an Idempotency-Key) the idempotency store; a
 * rejected one forwards only its outcome (and remembers it under its Idempotency-Key); a repeated Idempotency-Key
 * forwards the first outcome again, or, with another request, a rejection it does not remember, and changes nothing.
 * Keys are remembered for the key retention ({@link IdempotencyExpiry}). All of it commits in one transaction, at the
 * end of the commit interval or, once the stream thread's commands stop coming, earlier ({@link IdleCommit}).
 *
 * <p>Crypto-shredding: an event that holds personal data is appended with its payload redacted in clear and the
 * original sealed under the session's data key ({@link EventSealing}). The key is created with a {@link
 * SecureRandom} the first time a session without a live key has an event to seal (its id: that event's id), kept in
 * {@code session-keys} and written to the key topic in the same transaction as the event, so a reader that sees
 * the event can find its key.
 *
 * <p>A redaction ({@code SessionRedacted}) destroys the session's key in the same transaction (store entry deleted,
 * tombstone on the key topic): from then on nobody can read the personal data of the session's earlier events in
 * the log, which read as redacted. Events appended after it get a new key. It also erases the profile claim the
 * session made for the erased profile ({@code <applicationId>:<profileId>}, in the local store and, by a tombstone,
 * in the claim topic and every instance's global store), so a later session of that profile id counts as a first
 * session again, as for a new profile. And it rewrites the outcomes remembered for the session's Idempotency-Keys,
 * which hold the session as it was then: the store's changelog is compacted, so the personal values they held leave
 * it too.
 */
final class SessionCommandProcessor implements Processor<String, io.customersessions.avro.SessionCommand, String, Object> {

    /** Session ids are {@code partition · 2^40 + offset + 1} of the creating command: unique, stable, below 2^53. */
    static final int OFFSET_BITS = 40;

    private final String eventsTopic;
    private final Serializer<io.customersessions.avro.SessionEvent> eventSerializer;
    private final SecureRandom random = new SecureRandom();
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, CustomerSessionState> sessions;
    private KeyValueStore<String, SessionDataKey> dataKeys;
    private KeyValueStore<String, String> localClaims;
    private KeyValueStore<String, String> globalClaims;
    private KeyValueStore<String, CommandOutcome> firstOutcomes;
    private ListingViews views;
    private CommandDecider.Lookups lookups;
    private IdleCommit idleCommit;
    private IdempotencyExpiry keyExpiry;

    /**
     * @param eventSerializer writes events as the events topic holds them: the plaintext of a sealed event is its
     *                        original in exactly these bytes
     */
    SessionCommandProcessor(String eventsTopic, Serializer<io.customersessions.avro.SessionEvent> eventSerializer) {
        this.eventsTopic = eventsTopic;
        this.eventSerializer = eventSerializer;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.sessions = context.getStateStore(Topics.SESSION_STORE);
        this.dataKeys = context.getStateStore(Topics.SESSION_KEYS_STORE);
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
        views.rebuildIfMissing(context, sessions);
        this.idleCommit = IdleCommit.of(context);
        this.keyExpiry = IdempotencyExpiry.of(context, firstOutcomes);
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
            rejected.idempotencyKey().ifPresent(key -> keyExpiry.remember(key, rejected.outcome(),
                    record.value().getTime()));
        }
        forwardOutcome(record, result.outcome());
        idleCommit.processed();
    }

    private void accept(Record<String, ?> record, CommandDecider.Accepted accepted) {
        for (SessionEvent event : accepted.events()) {
            context.forward(record.withValue(forTheLog(record, event)));
            if (event instanceof SessionEvent.SessionRedacted) {
                destroyKey(record, event.meta().key());
                eraseProfileClaim(record, accepted.command(), accepted.before());
            }
        }
        CustomerSession after = accepted.after();
        // The outcome already carries the new state in its Avro form (AvroCodec.acceptedOutcome): one conversion.
        CustomerSessionState avroState = accepted.outcome().getSession();
        sessions.put(after.key().asString(), avroState);
        boolean erasure = accepted.events().stream().anyMatch(SessionEvent.SessionRedacted.class::isInstance);
        views.update(accepted.before(), after, erasure);
        context.forward(record.withValue(avroState));
        claimProfileIfFirst(record, accepted.before(), after);
        accepted.idempotencyKey().ifPresent(key -> keyExpiry.remember(key, accepted.outcome(),
                accepted.command().time()));
        if (erasure) {
            redactRememberedOutcomes(after.key());
        }
    }

    /** The event as the log holds it: as it is, or sealed when it holds personal data. */
    private io.customersessions.avro.SessionEvent forTheLog(Record<String, ?> record, SessionEvent event) {
        io.customersessions.avro.SessionEvent original = AvroCodec.toAvro(event);
        if (!EventSealing.holdsPersonalData(event)) {
            return original;
        }
        String sessionKey = event.meta().key().asString();
        SessionDataKey key = dataKeys.get(sessionKey);
        if (key == null) {
            key = EventSealing.newKey(event.meta().eventId(), random);
            dataKeys.put(sessionKey, key);
            context.forward(record.withKey(sessionKey).withValue(new SessionTopology.SessionKeyRecord(key)));
        }
        return EventSealing.sealed(event, eventSerializer.serialize(eventsTopic, original), key);
    }

    private void destroyKey(Record<String, ?> record, SessionKey session) {
        String sessionKey = session.asString();
        if (dataKeys.delete(sessionKey) != null) {
            context.forward(record.withKey(sessionKey).withValue(new SessionTopology.SessionKeyRecord(null)));
        }
    }

    /**
     * The claim this session made for the erased profile, if it made one: the profile the erasure names, which the
     * session may have had before its current one (whose claim then stays: that profile was not erased), or, for a
     * command that names none (written before schema v9), the profile the session had until the erasure.
     */
    private void eraseProfileClaim(Record<String, ?> record, SessionCommand command, Optional<CustomerSession> before) {
        String named = command instanceof SessionCommand.RedactPersonalData redact ? redact.erasedProfileId() : null;
        Optional<String> erased = named != null
                ? Optional.of(named)
                : before.filter(session -> !session.anonymous()).map(CustomerSession::profileId);
        erased.filter(profileId -> !profileId.isEmpty()).ifPresent(profileId -> {
            SessionKey session = command.key();
            String claimKey = CommandDecider.claimKey(session.applicationId(), profileId);
            if (session.integrationId().equals(localClaims.get(claimKey))) {
                localClaims.delete(claimKey);
                context.forward(record.withKey(claimKey).withValue(new SessionTopology.ProfileClaim(null)));
            }
        });
    }

    /**
     * Rewrites the outcomes remembered under the session's Idempotency-Keys without personal data: the session each
     * holds, and the request's digest (a hash of what the client sent, personal data included). A keyed update
     * repeated after the erasure is then told apart as another request (422); a return still by its items. The keys
     * are gathered first, then each outcome is read, rewritten and let go in turn: a session updated with a key
     * thousands of times never has all its remembered snapshots on the heap at once.
     */
    private void redactRememberedOutcomes(SessionKey key) {
        StoreKeys.Range range = StoreKeys.idempotencyOf(key);
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, CommandOutcome> entries = firstOutcomes.range(range.from(), range.to())) {
            while (entries.hasNext()) {
                keys.add(entries.peekNextKey());
                entries.next();
            }
        }
        for (String rememberedKey : keys) {
            CommandOutcome outcome = firstOutcomes.get(rememberedKey);
            CustomerSessionState session = outcome.getSession();
            CustomerSessionState redacted = session == null ? null
                    : AvroCodec.toAvro(PersonalData.redact(AvroCodec.fromAvro(session)));
            firstOutcomes.put(rememberedKey, CommandOutcome.newBuilder(outcome).setSession(redacted)
                    .setRequestDigest(null).build());
        }
    }

    /**
     * Keyed by the session the outcome is about, with the command's id in a header ({@link
     * Topics#COMMAND_ID_HEADER}) besides the command's own headers: each session-service instance skips the outcomes
     * it is not waiting for by the header alone.
     */
    /** An update's digest stays in the idempotency store: the outcome topic, which erasure never rewrites, has none. */
    private void forwardOutcome(Record<String, ?> record, CommandOutcome remembered) {
        CommandOutcome outcome = remembered.getRequestDigest() == null ? remembered
                : CommandOutcome.newBuilder(remembered).setRequestDigest(null).build();
        String key = new SessionKey(outcome.getApplicationId(), outcome.getIntegrationId()).asString();
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.remove(Topics.COMMAND_ID_HEADER);
        headers.add(Topics.COMMAND_ID_HEADER, outcome.getCommandId().getBytes(StandardCharsets.UTF_8));
        context.forward(record.withKey(key).withValue(outcome).withHeaders(headers));
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

    private long newSessionId() {
        RecordMetadata metadata = context.recordMetadata().orElseThrow();
        return ((long) metadata.partition() << OFFSET_BITS) + metadata.offset() + 1;
    }
}
