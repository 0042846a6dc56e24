package io.customersessions.domain;

import java.util.Objects;

/**
 * Identity of a customer session: the application that owns it and the integration id the shop chose.
 * Its {@link #asString()} form is the Kafka record key of every command, event and state record of the
 * session, so that one partition, and therefore one writer, owns each session.
 */
public record SessionKey(long applicationId, String integrationId) {

    public SessionKey {
        Objects.requireNonNull(integrationId, "integrationId");
    }

    /** {@code <applicationId>:<integrationId>}; the integration id may itself contain ':'. */
    public String asString() {
        return applicationId + ":" + integrationId;
    }

    public static SessionKey parse(String key) {
        int colon = key.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not a session key: " + key);
        }
        return new SessionKey(Long.parseLong(key.substring(0, colon)), key.substring(colon + 1));
    }

    @Override
    public String toString() {
        return asString();
    }
}
