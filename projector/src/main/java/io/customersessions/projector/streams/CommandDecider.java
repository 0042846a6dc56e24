package io.customersessions.projector.streams;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.CustomerSessionState;
import io.customersessions.domain.CustomerSession;
import io.customersessions.domain.Decision;
import io.customersessions.domain.DecisionContext;
import io.customersessions.domain.Rejection;
import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionDecider;
import io.customersessions.domain.SessionEvent;
import io.customersessions.domain.SessionKey;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.projector.views.StoreKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the processor decides for one command, as a value: written once and used by the processor, which
 * then writes the result, and by the dry run ({@code POST /internal/v1/decide}), which only answers it. Nothing
 * here writes; every fact from outside the command comes through {@link Lookups}.
 *
 * <p>Order of checks: a command that does not decode, or is keyed for another session, is rejected as invalid input; an
 * update or a return whose Idempotency-Key this session has seen, and has not forgotten by the command's time ({@link
 * #stillRemembered}), gets the first outcome again if it is the same request, and is rejected if it is another;
 * everything else is {@link SessionDecider#decide decided} against the current state. The outcome to remember under an
 * Idempotency-Key carries what that check compares: an update's {@link RequestDigest}, a return's items. Updates and
 * returns remember their keys apart ({@link StoreKeys#updateIdempotency}), so a processor of an earlier version, which
 * knows only keyed returns, never takes an update's outcome for a return's.
 */
public final class CommandDecider {

    private static final Logger LOG = LoggerFactory.getLogger(CommandDecider.class);

    private CommandDecider() {
    }

    /** What a decision reads besides the command. */
    public interface Lookups {

        /** The current state of the session with this {@code SessionKey.asString()}. */
        Optional<CustomerSessionState> session(String sessionKey);

        /** The integration id of the first session of {@code applicationId:profileId}, if it has one. */
        Optional<String> firstSessionOfProfile(String claimKey);

        /** The first outcome remembered under {@link StoreKeys#idempotency}. */
        Optional<CommandOutcome> firstOutcome(String idempotencyKey);
    }

    /** The decision; {@link #outcome()} is the answer to the command in every case. */
    public sealed interface Result {
        CommandOutcome outcome();
    }

    /** A repeated Idempotency-Key: the first outcome, addressed to this command. Nothing is to be written. */
    public record Repeated(CommandOutcome outcome) implements Result {
    }

    /** Nothing is appended; the outcome is to be remembered under {@code idempotencyKey} when present. */
    public record Rejected(CommandOutcome outcome, Optional<String> idempotencyKey) implements Result {
    }

    /**
     * {@code events} are to be appended and {@code after} (their fold onto {@code before}) stored; the outcome is to
     * be remembered under {@code idempotencyKey} when present.
     */
    public record Accepted(SessionCommand command, Optional<CustomerSession> before, List<SessionEvent> events,
                           CustomerSession after, CommandOutcome outcome, Optional<String> idempotencyKey)
            implements Result {
    }

    /**
     * @param recordKey    the key the command was appended with
     * @param newSessionId the id a session created by this command gets
     */
    public static Result decide(String recordKey, io.customersessions.avro.SessionCommand avroCommand,
                                long newSessionId, Lookups lookups) {
        SessionCommand command;
        try {
            command = AvroCodec.fromAvro(avroCommand);
        } catch (RuntimeException e) {
            LOG.warn("rejecting malformed command {}: {}", avroCommand.getCommandId(), e.getMessage());
            SessionKey key = new SessionKey(avroCommand.getApplicationId(), avroCommand.getIntegrationId());
            return new Rejected(AvroCodec.rejectedOutcome(avroCommand.getCommandId(), key, Rejection.of(
                    Rejection.Reason.INVALID_INPUT, "malformed command: " + e.getMessage()), Optional.empty()),
                    Optional.empty());
        }
        SessionKey key = command.key();
        if (!key.asString().equals(recordKey)) {
            return new Rejected(AvroCodec.rejectedOutcome(command.commandId(), key, Rejection.of(
                    Rejection.Reason.INVALID_INPUT, "command keyed '" + recordKey + "' names session '"
                            + key.asString() + "'"), Optional.empty()), Optional.empty());
        }
        Optional<String> clientKey = clientKey(command);
        Optional<String> idempotencyKey = clientKey.map(client -> command instanceof SessionCommand.UpsertSession
                ? StoreKeys.updateIdempotency(key, client) : StoreKeys.idempotency(key, client));
        Optional<CommandOutcome> first = idempotencyKey.flatMap(lookups::firstOutcome)
                .filter(outcome -> stillRemembered(outcome, command.time()));
        String digest = command instanceof SessionCommand.UpsertSession && clientKey.isPresent()
                ? RequestDigest.of((io.customersessions.avro.UpsertSession) avroCommand.getPayload()) : null;
        if (first.isPresent() && sameRequest(first.get(), command, digest)) {
            return new Repeated(CommandOutcome.newBuilder(first.get()).setCommandId(command.commandId()).build());
        }
        Optional<CustomerSession> current = lookups.session(key.asString()).map(AvroCodec::fromAvro);
        if (first.isPresent()) {
            return new Rejected(AvroCodec.rejectedOutcome(command.commandId(), key, Rejection.of(
                    Rejection.Reason.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key '" + clientKey.get() + "' was first "
                            + "sent with another request for this session: a key names one request, so a different "
                            + "update or return needs a key of its own"), current), Optional.empty());
        }
        SessionDecider.Decided decided = SessionDecider.decideAndFold(current, command,
                new DecisionContext(newSessionId, firstSessionOfProfile(command, current, lookups)));
        Decision decision = decided.decision();
        if (decision instanceof Decision.Accepted accepted) {
            CustomerSession after = decided.after().orElseThrow();
            return new Accepted(command, current, accepted.events(), after, remembering(command, digest,
                    AvroCodec.acceptedOutcome(command.commandId(), key, accepted.events(), after)), idempotencyKey);
        }
        Rejection rejection = ((Decision.Rejected) decision).rejection();
        return new Rejected(remembering(command, digest, AvroCodec.rejectedOutcome(command.commandId(), key,
                rejection, current)), idempotencyKey);
    }

    /**
     * Whether a command is the request first sent with its key. An update: the same {@link RequestDigest} of its
     * payload (If-Match aside, as the Idempotency-Key draft compares the payload); an outcome without one (erased)
     * matches no update. A return: the same items; an outcome remembered before outcomes carried the items (null)
     * is taken to be of the same return.
     */
    private static boolean sameRequest(CommandOutcome first, SessionCommand command, String digest) {
        if (command instanceof SessionCommand.UpsertSession) {
            return digest.equals(first.getRequestDigest());
        }
        List<io.customersessions.avro.ReturnedItem> items = first.getReturnedItems();
        return items == null || items.stream().map(AvroCodec::fromAvro).toList()
                .equals(((SessionCommand.ReturnItems) command).returnedItems());
    }

    /**
     * Whether a command of {@code commandTime} still finds the outcome remembered under its key: before the
     * outcome's {@code rememberedUntil} ({@link IdempotencyExpiry}); one remembered before outcomes had it, always.
     */
    private static boolean stillRemembered(CommandOutcome outcome, Instant commandTime) {
        return outcome.getRememberedUntil() == null || commandTime.isBefore(outcome.getRememberedUntil());
    }

    /**
     * A command with an Idempotency-Key: its outcome, to be remembered, carries what tells a repeat apart: an
     * update's digest, a return's items.
     */
    private static CommandOutcome remembering(SessionCommand command, String digest, CommandOutcome outcome) {
        if (digest != null) {
            outcome.setRequestDigest(digest);
        }
        if (command instanceof SessionCommand.ReturnItems returnItems && returnItems.idempotencyKey() != null) {
            outcome.setReturnedItems(returnItems.returnedItems().stream().map(AvroCodec::toAvro).toList());
        }
        return outcome;
    }

    /** {@code <applicationId>:<profileId>}, the key of the profile claim stores and topic. */
    public static String claimKey(long applicationId, String profileId) {
        return applicationId + ":" + profileId;
    }

    /** The client's Idempotency-Key, which updates and returns may carry. */
    private static Optional<String> clientKey(SessionCommand command) {
        if (command instanceof SessionCommand.ReturnItems returnItems) {
            return Optional.ofNullable(returnItems.idempotencyKey());
        }
        if (command instanceof SessionCommand.UpsertSession upsert) {
            return Optional.ofNullable(upsert.idempotencyKey());
        }
        return Optional.empty();
    }

    /**
     * firstSession needs to know whether the profile already has a session, and sessions of one profile live on
     * different partitions. The processor's own claims are visible at once; other tasks' claims arrive through the
     * global store after their transaction commits. Two brand-new sessions of one new profile created on
     * different partitions within one commit interval may therefore both be marked first (documented).
     *
     * <p>Looked up only when the decider can use it: for a session the command creates, or one whose profile the
     * command changes ({@link SessionDecider} sets {@code firstSession} in no other case). Most commands update a
     * session of an unchanged profile, and this saves them one or two store reads.
     */
    private static Optional<String> firstSessionOfProfile(SessionCommand command, Optional<CustomerSession> current,
                                                          Lookups lookups) {
        if (!(command instanceof SessionCommand.UpsertSession upsert)) {
            return Optional.empty();
        }
        String given = upsert.changes().profileId();
        String profile = given != null ? given : current.map(CustomerSession::profileId).orElse("");
        boolean profileChanges = current.map(session -> !session.profileId().equals(profile)).orElse(true);
        return profile.isEmpty() || !profileChanges
                ? Optional.empty()
                : lookups.firstSessionOfProfile(claimKey(command.key().applicationId(), profile));
    }
}
