package io.customersessions.projector.query;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.CustomerSessionState;
import io.customersessions.avro.SessionCommand;
import io.customersessions.domain.SessionKey;
import io.customersessions.eventlog.Topics;
import io.customersessions.projector.streams.CommandDecider;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * The processor's decision for a command, against the current stores, without writing anything: what
 * {@code dry=true} answers. The decision is {@link CommandDecider}'s, the one the processor runs; only the
 * lookups differ, reading the queryable stores instead of the task's own. Profile claims of other partitions
 * owned by this instance are therefore visible a commit interval earlier than to the processor.
 */
@Singleton
public class DryRun {

    /** A would-be-created session has no position in the command log, hence no id yet. */
    static final long NO_SESSION_ID = 0;

    private final StateStores stores;

    public DryRun(StateStores stores) {
        this.stores = stores;
    }

    /** @throws StoreUnavailableException while the stores are not queryable */
    public CommandOutcome decide(SessionCommand command) {
        String key = new SessionKey(command.getApplicationId(), command.getIntegrationId()).asString();
        return StoreUnavailableException.whileReading(() ->
                CommandDecider.decide(key, command, NO_SESSION_ID, new StoreLookups()).outcome());
    }

    private final class StoreLookups implements CommandDecider.Lookups {
        @Override
        public Optional<CustomerSessionState> session(String sessionKey) {
            return Optional.ofNullable(stores.sessions().get(sessionKey));
        }

        @Override
        public Optional<String> firstSessionOfProfile(String claimKey) {
            return Optional.ofNullable(stores.strings(Topics.PROFILE_CLAIMS_STORE).get(claimKey))
                    .or(() -> Optional.ofNullable(stores.strings(Topics.PROFILE_FIRST_SESSIONS_STORE).get(claimKey)));
        }

        @Override
        public Optional<CommandOutcome> firstOutcome(String idempotencyKey) {
            return Optional.ofNullable(stores.firstOutcomes().get(idempotencyKey));
        }
    }
}
