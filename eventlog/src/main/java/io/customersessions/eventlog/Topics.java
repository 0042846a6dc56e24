package io.customersessions.eventlog;

/**
 * Names of every topic and state store, defined once. Topic names can be prefixed per deployment
 * (e.g. for a test run) with {@link #withPrefix}; store names are local to the Streams application.
 *
 * <p>All records of one session are keyed by {@code SessionKey.asString()} ({@code <applicationId>:<integrationId>}),
 * so one partition, and therefore one stream task, is the single writer of each session.
 */
public record Topics(String commands, String events, String state, String outcomes, String profileFirstSessions,
                     String sessionKeys) {

    /** Commands accepted by the session-service after stateless validation (delete policy). */
    public static final String COMMANDS = "customer-session-commands";
    /** The event log, the source of truth (kept forever). */
    public static final String EVENTS = "customer-session-events";
    /** Current state per session, the change feed (compacted). */
    public static final String STATE = "customer-session-state";
    /** One outcome per command, read by the session-service to answer the waiting request (short retention). */
    public static final String OUTCOMES = "customer-session-outcomes";
    /**
     * A header of every outcome record: the id of the command it answers, in UTF-8. Every session-service instance
     * reads every outcome, and with it skips the outcomes of other instances' commands without decoding them.
     */
    public static final String COMMAND_ID_HEADER = "command-id";
    /** applicationId:profileId → integration id of the profile's first session (compacted, first writer wins). */
    public static final String PROFILE_FIRST_SESSIONS = "customer-session-profile-first-sessions";
    /**
     * Session data keys (crypto-shredding): session key → the AES key that seals the session's personal data in the
     * event log (compacted). The erasure of a session's personal data writes a tombstone, after which the events
     * sealed with the key read as redacted.
     */
    public static final String SESSION_KEYS = "customer-session-keys";

    /** The processor's store of current sessions (key: session key, value: CustomerSessionState). */
    public static final String SESSION_STORE = "customer-sessions";
    /** The processor's local record of the profile claims it made, visible before they reach the global store. */
    public static final String PROFILE_CLAIMS_STORE = "profile-claims";
    /** The processor's live data key per session (key: session key, value: SessionDataKey), see {@link #SESSION_KEYS}. */
    public static final String SESSION_KEYS_STORE = "session-keys";
    /** Global store of {@link #PROFILE_FIRST_SESSIONS}, readable by every task. */
    public static final String PROFILE_FIRST_SESSIONS_STORE = "profile-first-sessions";
    /**
     * The first outcome of each update or return that carried an Idempotency-Key (key: {@code
     * <sessionKey>|<idempotencyKey>} for a return, {@code <sessionKey>|u|<idempotencyKey>} for an update; value:
     * CommandOutcome). A repeated key is answered with it and appends nothing.
     */
    public static final String IDEMPOTENT_OUTCOMES_STORE = "idempotent-outcomes";
    /**
     * When each outcome of {@link #IDEMPOTENT_OUTCOMES_STORE} is forgotten, in that order (key: {@code <rememberedUntil
     * epoch millis, 16 digits>|<its key there>}; value: empty): the processor purges the forgotten ones by a range
     * from the start, without reading the others.
     */
    public static final String IDEMPOTENCY_EXPIRY_STORE = "idempotency-expiry";
    /**
     * The listing views the Management API lists from, one store (one changelog) for the four of them: each key starts
     * with its view's tag, and the value is the session's integrationId.
     * <ul>
     *   <li>{@code p|<applicationId>|<profileId>|<created epoch millis, 16 digits>|<id, 16 digits>}: sessions with a
     *       profile;</li>
     *   <li>{@code s|<applicationId>|<state>|<created epoch millis, 16 digits>|<id, 16 digits>}: every session;</li>
     *   <li>{@code c|<applicationId>|<created epoch millis, 16 digits>|<id, 16 digits>}: every session;</li>
     *   <li>{@code i|<applicationId>|<id, 16 digits>}: every session, by the Management API's numeric id.</li>
     * </ul>
     * One store rather than four: each exactly-once transaction then writes one changelog partition per task for
     * them, not four. It replaced {@code sessions-by-profile-v2}, {@code sessions-by-state-v2}, {@code
     * sessions-by-created-v2} and {@code sessions-by-id}, the same keys without the tag; an upgraded processor builds
     * it from its session store.
     */
    public static final String SESSION_LISTING_STORE = "session-listing";
    /**
     * Every event of the log with where it is in the log and the state after it, fed from the event log topic
     * itself: {@code <applicationId>|<integrationId>|<updateCount, 10 digits>} → stored event.
     */
    public static final String SESSION_HISTORY_STORE = "session-history";
    /** The last state folded from the event log per session key, the starting point of the next history entry. */
    public static final String SESSION_HISTORY_HEADS_STORE = "session-history-heads";
    /**
     * Time index of the history: {@code <applicationId>|<event time epoch millis, 16 digits>|<integrationId>|
     * <updateCount, 10 digits>} → the entry's key in {@link #SESSION_HISTORY_STORE}.
     */
    public static final String EVENTS_BY_TIME_STORE = "events-by-time";

    public static Topics defaults() {
        return new Topics(COMMANDS, EVENTS, STATE, OUTCOMES, PROFILE_FIRST_SESSIONS, SESSION_KEYS);
    }

    public Topics withPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return this;
        }
        return new Topics(prefix + commands, prefix + events, prefix + state, prefix + outcomes,
                prefix + profileFirstSessions, prefix + sessionKeys);
    }
}
