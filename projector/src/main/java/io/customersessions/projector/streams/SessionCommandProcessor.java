package io.customersessions.projector.streams;

import io.customersessions.avro.CustomerSessionState;
import io.customersessions.domain.CustomerSession;
import io.customersessions.domain.Decision;
import io.customersessions.domain.DecisionContext;
import io.customersessions.domain.Rejection;
import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionDecider;
import io.customersessions.domain.SessionEvent;
import io.customersessions.domain.SessionKey;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.codec.AvroCodec;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * The single writer of each session: reads its current state, runs the pure decider, folds the accepted
 * events with the same {@code evolve} that replay uses, and forwards events, new state, profile claim and
 * the command's outcome. A rejected command forwards only its outcome.
 */
final class SessionCommandProcessor implements Processor<String, io.customersessions.avro.SessionCommand, String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(SessionCommandProcessor.class);

    /** Session ids are {@code partition · 2^40 + offset + 1} of the creating command: unique, stable, below 2^53. */
    static final int OFFSET_BITS = 40;

    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, CustomerSessionState> sessions;
    private KeyValueStore<String, String> localClaims;
    private KeyValueStore<String, String> globalClaims;

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.sessions = context.getStateStore(Topics.SESSION_STORE);
        this.localClaims = context.getStateStore(Topics.PROFILE_CLAIMS_STORE);
        this.globalClaims = context.getStateStore(Topics.PROFILE_FIRST_SESSIONS_STORE);
    }

    @Override
    public void process(Record<String, io.customersessions.avro.SessionCommand> record) {
        io.customersessions.avro.SessionCommand avroCommand = record.value();
        if (avroCommand == null) {
            return;
        }
        SessionCommand command;
        try {
            command = AvroCodec.fromAvro(avroCommand);
        } catch (RuntimeException e) {
            LOG.warn("rejecting malformed command {} at {}: {}", avroCommand.getCommandId(), position(), e.getMessage());
            SessionKey key = new SessionKey(avroCommand.getApplicationId(), avroCommand.getIntegrationId());
            reject(record, avroCommand.getCommandId(), key, Rejection.of(Rejection.Reason.INVALID_INPUT,
                    "malformed command: " + e.getMessage()), Optional.empty());
            return;
        }
        SessionKey key = command.key();
        if (!key.asString().equals(record.key())) {
            reject(record, command.commandId(), key, Rejection.of(Rejection.Reason.INVALID_INPUT,
                    "command keyed '" + record.key() + "' names session '" + key.asString() + "'"), Optional.empty());
            return;
        }

        Optional<CustomerSession> current = Optional.ofNullable(sessions.get(key.asString())).map(AvroCodec::fromAvro);
        Decision decision = SessionDecider.decide(current, command, decisionContext(command, current));
        if (decision instanceof Decision.Accepted accepted) {
            accept(record, command, current, accepted.events());
        } else if (decision instanceof Decision.Rejected rejected) {
            reject(record, command.commandId(), key, rejected.rejection(), current);
        }
    }

    private void accept(Record<String, ?> record, SessionCommand command, Optional<CustomerSession> current,
                        List<SessionEvent> events) {
        String key = command.key().asString();
        CustomerSession state = null;
        Optional<CustomerSession> folded = current;
        for (SessionEvent event : events) {
            state = SessionDecider.evolve(folded, event);
            folded = Optional.of(state);
            context.forward(record.withValue(AvroCodec.toAvro(event)));
        }
        CustomerSessionState avroState = AvroCodec.toAvro(state);
        sessions.put(key, avroState);
        context.forward(record.withValue(avroState));
        claimProfileIfFirst(record, current, state);
        context.forward(record.withValue(AvroCodec.acceptedOutcome(command.commandId(), command.key(), events, state)));
    }

    private void reject(Record<String, ?> record, String commandId, SessionKey key, Rejection rejection,
                        Optional<CustomerSession> current) {
        context.forward(record.withKey(key.asString())
                .withValue(AvroCodec.rejectedOutcome(commandId, key, rejection, current)));
    }

    /**
     * firstSession needs to know whether the profile already has a session, and sessions of one profile live on
     * different partitions. This task's own claims are visible at once; other tasks' claims arrive through the
     * global store after their transaction commits. Two brand-new sessions of one new profile created on
     * different partitions within one commit interval may therefore both be marked first (documented).
     */
    private DecisionContext decisionContext(SessionCommand command, Optional<CustomerSession> current) {
        String profile = current.map(CustomerSession::profileId).orElse("");
        if (command instanceof SessionCommand.UpsertSession upsert && upsert.changes().profileId() != null) {
            profile = upsert.changes().profileId();
        }
        Optional<String> firstOfProfile = Optional.empty();
        if (!profile.isEmpty()) {
            String claimKey = claimKey(command.key().applicationId(), profile);
            firstOfProfile = Optional.ofNullable(localClaims.get(claimKey))
                    .or(() -> Optional.ofNullable(globalClaims.get(claimKey)));
        }
        return new DecisionContext(newSessionId(), firstOfProfile);
    }

    private void claimProfileIfFirst(Record<String, ?> record, Optional<CustomerSession> before, CustomerSession after) {
        boolean profileChanged = before.map(b -> !b.profileId().equals(after.profileId())).orElse(true);
        if (after.anonymous() || !after.firstSession() || !profileChanged) {
            return;
        }
        String claimKey = claimKey(after.key().applicationId(), after.profileId());
        if (localClaims.get(claimKey) == null) {
            localClaims.put(claimKey, after.key().integrationId());
            context.forward(record.withKey(claimKey).withValue(new SessionTopology.ProfileClaim(after.key().integrationId())));
        }
    }

    private long newSessionId() {
        RecordMetadata metadata = context.recordMetadata().orElseThrow();
        return ((long) metadata.partition() << OFFSET_BITS) + metadata.offset() + 1;
    }

    private String position() {
        return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?");
    }

    static String claimKey(long applicationId, String profileId) {
        return applicationId + ":" + profileId;
    }
}
