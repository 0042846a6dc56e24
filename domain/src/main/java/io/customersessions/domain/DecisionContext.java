package io.customersessions.domain;

import java.util.Optional;

/**
 * Facts the decider needs from outside the session, looked up by the adapter before deciding so that
 * {@code decide} stays pure.
 *
 * @param newSessionId          the id a session created by this command gets (the adapter derives it
 *                              deterministically from the command's position in the command log)
 * @param firstSessionOfProfile for the profile the session will have after the command: the integration
 *                              id of that profile's first session, if the profile already has one
 */
public record DecisionContext(long newSessionId, Optional<String> firstSessionOfProfile) {

    public DecisionContext {
        firstSessionOfProfile = firstSessionOfProfile == null ? Optional.empty() : firstSessionOfProfile;
    }

    public static DecisionContext of(long newSessionId) {
        return new DecisionContext(newSessionId, Optional.empty());
    }
}
