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
     * The first outcome of each return that carried an Idempotency-Key (key: {@code <sessionKey>|<idempotencyKey>},
     * value: CommandOutcome). A repeated key is answered with it and appends nothing.
     */
    public static final String IDEMPOTENT_OUTCOMES_STORE = "idempotent-outcomes";
    /**
     * Listing view: {@code <applicationId>|<profileId>|<created epoch millis, 16 digits>|<id, 16 digits>} →
     * integrationId (sessions with a profile). {@code -v2}: the key layout before it ended with the integrationId.
     */
    public static final String SESSIONS_BY_PROFILE_STORE = "sessions-by-profile-v2";
    /**
     * Listing view: {@code <applicationId>|<state>|<created epoch millis, 16 digits>|<id, 16 digits>} →
     * integrationId. {@code -v2}: the key layout before it ended with the integrationId.
     */
    public static final String SESSIONS_BY_STATE_STORE = "sessions-by-state-v2";
    /**
     * Listing view: {@code <applicationId>|<created epoch millis, 16 digits>|<id, 16 digits>} → integrationId.
     * {@code -v2}: the key layout before it ended with the integrationId.
     */
    public static final String SESSIONS_BY_CREATED_STORE = "sessions-by-created-v2";
    /** Listing view: {@code <applicationId>|<id, 16 digits>} → integrationId (the Management API's numeric id). */
    public static final String SESSIONS_BY_ID_STORE = "sessions-by-id";
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
