package io.customersessions.eventlog.crypto;

import javax.crypto.SecretKey;
import java.util.Optional;

/**
 * Where readers of the event log find the data keys that unseal personal data (see {@link EventSealing}). A key
 * not found is an erased one: the event then reads as redacted. So an implementation must not report a key
 * missing merely because it has not seen it yet: the key is committed in the same transaction as the first event
 * sealed with it, and an implementation answers for the log as committed when the caller read the event.
 */
@FunctionalInterface
public interface DataKeys {

    /** The key {@code keyId} of the session {@code sessionKey} ({@code <applicationId>:<integrationId>}), unless erased. */
    Optional<SecretKey> find(String sessionKey, String keyId);
}
