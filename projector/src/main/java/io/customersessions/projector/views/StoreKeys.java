package io.customersessions.projector.views;

import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;

import java.time.Instant;

/**
 * Keys of the listing views and of the idempotency store: {@code |}-separated components, compared as UTF-8
 * bytes by RocksDB. The processor writes with these and the query side scans with them, so both live here.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Text components are escaped ({@code \} → {@code \\}, {@code |} → {@code \|}), so a separator is never
 *       part of a component and a prefix {@code <app>|<component>|} matches exactly that component: profile
 *       {@code a} never matches the entries of profile {@code a|b}. Ids without those two characters (all
 *       usual ones) appear verbatim.</li>
 *   <li>Numbers are zero-padded to {@value #DIGITS} digits, so byte order is numeric order (ids are below
 *       2<sup>53</sup>, creation times before year 318857).</li>
 *   <li>Every {@link Range} is inclusive and exact: its upper bound replaces the prefix's last separator by
 *       {@code }}, the next character after {@code |}, which no key of the prefix reaches and no other key
 *       falls below.</li>
 * </ul>
 */
public final class StoreKeys {

    public static final int DIGITS = 16;
    /** Digits of an {@code updateCount} in history keys. */
    public static final int COUNT_DIGITS = 10;
    private static final char SEPARATOR = '|';
    private static final char AFTER_SEPARATOR = '}';
    private static final long MAX_PADDED = 9_999_999_999_999_999L;

    private StoreKeys() {
    }

    /** An inclusive key range, for {@code ReadOnlyKeyValueStore#range(from, to)}. */
    public record Range(String from, String to) {
    }

    public static String byProfile(long applicationId, String profileId, String integrationId) {
        return applicationId + "|" + escape(profileId) + "|" + escape(integrationId);
    }

    public static String byState(long applicationId, SessionState state, String integrationId) {
        return applicationId + "|" + state.wireName() + "|" + escape(integrationId);
    }

    public static String byCreated(long applicationId, Instant created, String integrationId) {
        return applicationId + "|" + padded(created.toEpochMilli()) + "|" + escape(integrationId);
    }

    public static String byId(long applicationId, long id) {
        return applicationId + "|" + padded(id);
    }

    /** {@code <sessionKey>|<idempotencyKey>}: a key is remembered per session, as Talon.One scopes it. */
    public static String idempotency(SessionKey session, String idempotencyKey) {
        return escape(session.asString()) + "|" + escape(idempotencyKey);
    }

    /** A history entry: {@code <app>|<integrationId>|<updateCount, 10 digits>}, so a session's events sort in order. */
    public static String history(long applicationId, String integrationId, long updateCount) {
        return applicationId + "|" + escape(integrationId) + "|" + paddedCount(updateCount);
    }

    /** A time-index entry: {@code <app>|<time millis, 16 digits>|<integrationId>|<updateCount, 10 digits>}. */
    public static String eventByTime(long applicationId, Instant time, String integrationId, long updateCount) {
        return applicationId + "|" + padded(time.toEpochMilli()) + "|" + escape(integrationId) + "|"
                + paddedCount(updateCount);
    }

    /** Every history entry of one session, in {@code updateCount} order. */
    public static Range sessionHistory(long applicationId, String integrationId) {
        return prefix(applicationId + "|" + escape(integrationId));
    }

    /** The history entries of one session with {@code updateCount <= upTo}. */
    public static Range sessionHistoryUpTo(long applicationId, String integrationId, long upTo) {
        String prefix = applicationId + "|" + escape(integrationId);
        return new Range(prefix + SEPARATOR, prefix + SEPARATOR + paddedCount(upTo));
    }

    /** Time-index entries of events within {@code [fromMillis, toMillis]}. */
    public static Range eventTimes(long applicationId, long fromMillis, long toMillis) {
        return new Range(applicationId + "|" + padded(fromMillis) + SEPARATOR,
                applicationId + "|" + padded(toMillis) + AFTER_SEPARATOR);
    }

    /** Every Idempotency-Key remembered for one session in {@code idempotent-outcomes}. */
    public static Range idempotencyOf(SessionKey session) {
        return prefix(escape(session.asString()));
    }

    /** Every entry of one profile's sessions in {@code sessions-by-profile}. */
    public static Range profile(long applicationId, String profileId) {
        return prefix(applicationId + "|" + escape(profileId));
    }

    /** Every entry of one state's sessions in {@code sessions-by-state}. */
    public static Range state(long applicationId, SessionState state) {
        return prefix(applicationId + "|" + state.wireName());
    }

    /** Sessions created within {@code [fromMillis, toMillis]} in {@code sessions-by-created}. */
    public static Range created(long applicationId, long fromMillis, long toMillis) {
        return new Range(applicationId + "|" + padded(fromMillis) + SEPARATOR,
                applicationId + "|" + padded(toMillis) + AFTER_SEPARATOR);
    }

    /** Every entry of one application, in any view. */
    public static Range application(long applicationId) {
        return prefix(Long.toString(applicationId));
    }

    private static Range prefix(String prefix) {
        return new Range(prefix + SEPARATOR, prefix + AFTER_SEPARATOR);
    }

    /** Clamped to the padded range: times before 1970 sort first, as the earliest. */
    private static String padded(long value) {
        return String.format("%0" + DIGITS + "d", Math.max(0, Math.min(value, MAX_PADDED)));
    }

    /** {@code updateCount} is an int in the domain: 10 digits hold every value. */
    private static String paddedCount(long updateCount) {
        return String.format("%0" + COUNT_DIGITS + "d", Math.max(0, Math.min(updateCount, Integer.MAX_VALUE)));
    }

    private static String escape(String component) {
        if (component.indexOf('\\') < 0 && component.indexOf(SEPARATOR) < 0) {
            return component;
        }
        return component.replace("\\", "\\\\").replace("|", "\\|");
    }
}
