package io.customersessions.projector.views;

import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;

import java.time.Instant;
import java.util.Comparator;

/**
 * Keys of the listing views, the history and the idempotency store: {@code |}-separated components, compared as
 * UTF-8 bytes by RocksDB. The processor writes with these and the query side scans with them, so both live here.
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
 *   <li>The four listing views and the former-profile index share one store ({@code session-listing}): each of
 *       their keys starts with its view's tag ({@code p|}, {@code s|}, {@code c|}, {@code i|}; {@code f|} and
 *       {@code fs|} for the index), so every range of one view stays inside that view.</li>
 *   <li>The listing views end with {@code <created millis, 16 digits>|<id, 16 digits>} (the creation-time view
 *       starts with them), so the keys of one application and state, one application and profile, or one
 *       application are in the listing's default order: by {@code created}, ties by {@code id}
 *       ({@code ListingQuery.Sort.DEFAULT}). A range scan of one partition of a view is therefore a listing in that
 *       order, and the partitions' scans merge into one ({@link #ORDER}).</li>
 * </ul>
 */
public final class StoreKeys {

    public static final int DIGITS = 16;
    /** Digits of an {@code updateCount} in history keys. */
    public static final int COUNT_DIGITS = 10;
    private static final char SEPARATOR = '|';
    private static final char AFTER_SEPARATOR = '}';
    private static final long MAX_PADDED = 9_999_999_999_999_999L;
    /**
     * Present in {@code session-listing} while the store is being built from the session store (after an upgrade),
     * with the session key the build has reached; outside every view's range (views' keys start with a tag).
     */
    public static final String LISTING_REBUILD = "!rebuild";
    private static final String PROFILE_VIEW = "p|";
    private static final String STATE_VIEW = "s|";
    private static final String CREATED_VIEW = "c|";
    private static final String ID_VIEW = "i|";
    private static final String FORMER_PROFILE_VIEW = "f|";
    private static final String FORMER_PROFILES_OF_SESSION = "fs|";

    private StoreKeys() {
    }

    /**
     * The order of keys in a store: RocksDB (and Kafka's in-memory store) compare the UTF-8 bytes, which is the
     * order of Unicode code points, not {@link String#compareTo} (UTF-16 units: it differs for characters beyond
     * U+FFFF). Merging scans of several partitions must use this order.
     */
    public static final Comparator<String> ORDER = StoreKeys::compareCodePoints;

    /** An inclusive key range, for {@code ReadOnlyKeyValueStore#range(from, to)}. */
    public record Range(String from, String to) {
    }

    /** {@code p|<app>|<profileId>|<created millis, 16 digits>|<id, 16 digits>}. */
    public static String byProfile(long applicationId, String profileId, Instant created, long id) {
        return PROFILE_VIEW + applicationId + "|" + escape(profileId) + "|" + createdAndId(created, id);
    }

    /** {@code s|<app>|<state>|<created millis, 16 digits>|<id, 16 digits>}. */
    public static String byState(long applicationId, SessionState state, Instant created, long id) {
        return STATE_VIEW + applicationId + "|" + state.wireName() + "|" + createdAndId(created, id);
    }

    /** {@code c|<app>|<created millis, 16 digits>|<id, 16 digits>}. */
    public static String byCreated(long applicationId, Instant created, long id) {
        return CREATED_VIEW + applicationId + "|" + createdAndId(created, id);
    }

    /** {@code i|<app>|<id, 16 digits>}. */
    public static String byId(long applicationId, long id) {
        return ID_VIEW + applicationId + "|" + padded(id);
    }

    /**
     * {@code f|<app>|<profileId>|<created millis, 16 digits>|<id, 16 digits>}: a session that had this profile before
     * the one it has now, so its earlier events hold the profile's personal data.
     */
    public static String byFormerProfile(long applicationId, String profileId, Instant created, long id) {
        return FORMER_PROFILE_VIEW + applicationId + "|" + escape(profileId) + "|" + createdAndId(created, id);
    }

    /** {@code fs|<app>|<id, 16 digits>|<profileId>}: the same fact as {@link #byFormerProfile}, found by session. */
    public static String formerProfileOf(long applicationId, long id, String profileId) {
        return FORMER_PROFILES_OF_SESSION + applicationId + "|" + padded(id) + "|" + escape(profileId);
    }

    /** A return's {@code <sessionKey>|<idempotencyKey>}: a key is remembered per session, as Talon.One scopes it. */
    public static String idempotency(SessionKey session, String idempotencyKey) {
        return escape(session.asString()) + "|" + escape(idempotencyKey);
    }

    /**
     * An update's {@code <sessionKey>|u|<idempotencyKey>}, apart from the returns' keys: an escaped key never holds a
     * bare {@code |}, so no return's entry can look like this.
     */
    public static String updateIdempotency(SessionKey session, String idempotencyKey) {
        return escape(session.asString()) + "|u|" + escape(idempotencyKey);
    }

    /**
     * An {@code idempotency-expiry} entry, {@code <rememberedUntil millis, 16 digits>|<idempotent-outcomes key>}: the
     * entries sort by when their outcome is forgotten.
     */
    public static String idempotencyExpiry(Instant rememberedUntil, String outcomeKey) {
        return padded(rememberedUntil.toEpochMilli()) + SEPARATOR + outcomeKey;
    }

    /** The {@code idempotent-outcomes} key an {@link #idempotencyExpiry} entry names. */
    public static String expiringOutcome(String idempotencyExpiryKey) {
        return idempotencyExpiryKey.substring(DIGITS + 1);
    }

    /** The {@link #idempotencyExpiry} entries of outcomes forgotten before {@code time} (rememberedUntil < time). */
    public static Range forgottenBefore(Instant time) {
        return new Range(padded(0), padded(time.toEpochMilli()));
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

    /**
     * Time-index keys ({@link #eventByTime}) in the order of the event listing: time, then the session's
     * integrationId as it is (not escaped: {@code s-1} before {@code s-10}, where the keys have them the other way
     * round), then updateCount.
     */
    public static final Comparator<String> EVENT_LISTING_ORDER = Comparator
            .comparingLong(StoreKeys::eventMillis)
            .thenComparing(StoreKeys::eventIntegrationId)
            .thenComparing(key -> key.substring(key.length() - COUNT_DIGITS));

    private static long eventMillis(String eventByTimeKey) {
        int start = eventByTimeKey.indexOf(SEPARATOR) + 1;
        return Long.parseLong(eventByTimeKey.substring(start, start + DIGITS));
    }

    private static String eventIntegrationId(String eventByTimeKey) {
        int start = eventByTimeKey.indexOf(SEPARATOR) + 1 + DIGITS + 1;
        return unescape(eventByTimeKey.substring(start, eventByTimeKey.length() - COUNT_DIGITS - 1));
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

    /** Every Idempotency-Key remembered for one session in {@code idempotent-outcomes}, updates' and returns'. */
    public static Range idempotencyOf(SessionKey session) {
        return prefix(escape(session.asString()));
    }

    /** Every entry of one profile's sessions in the profile view. */
    public static Range profile(long applicationId, String profileId) {
        return prefix(PROFILE_VIEW + applicationId + "|" + escape(profileId));
    }

    /** The entries of one profile's sessions created within {@code [fromMillis, toMillis]}. */
    public static Range profile(long applicationId, String profileId, long fromMillis, long toMillis) {
        return createdWithin(PROFILE_VIEW + applicationId + "|" + escape(profileId) + "|", fromMillis, toMillis);
    }

    /** Every session that had this profile before its current one ({@link #byFormerProfile}). */
    public static Range formerProfile(long applicationId, String profileId) {
        return prefix(FORMER_PROFILE_VIEW + applicationId + "|" + escape(profileId));
    }

    /** Every former profile of one session ({@link #formerProfileOf}). */
    public static Range formerProfilesOf(long applicationId, long id) {
        return prefix(FORMER_PROFILES_OF_SESSION + applicationId + "|" + padded(id));
    }

    /** Every entry of one state's sessions in the state view. */
    public static Range state(long applicationId, SessionState state) {
        return prefix(STATE_VIEW + applicationId + "|" + state.wireName());
    }

    /** The entries of one state's sessions created within {@code [fromMillis, toMillis]}. */
    public static Range state(long applicationId, SessionState state, long fromMillis, long toMillis) {
        return createdWithin(STATE_VIEW + applicationId + "|" + state.wireName() + "|", fromMillis, toMillis);
    }

    /** Sessions created within {@code [fromMillis, toMillis]} in the creation-time view. */
    public static Range created(long applicationId, long fromMillis, long toMillis) {
        return createdWithin(CREATED_VIEW + applicationId + "|", fromMillis, toMillis);
    }

    /** Every session of one application in the id view, in {@code id} order. */
    public static Range ids(long applicationId) {
        return prefix(ID_VIEW + applicationId);
    }

    private static Range prefix(String prefix) {
        return new Range(prefix + SEPARATOR, prefix + AFTER_SEPARATOR);
    }

    /** {@code prefix} ends with a separator; the creation time follows it. */
    private static Range createdWithin(String prefix, long fromMillis, long toMillis) {
        return new Range(prefix + padded(fromMillis) + SEPARATOR, prefix + padded(toMillis) + AFTER_SEPARATOR);
    }

    private static String createdAndId(Instant created, long id) {
        return padded(created.toEpochMilli()) + SEPARATOR + padded(id);
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** Clamped to the padded range: times before 1970 sort first, as the earliest. */
    private static String padded(long value) {
        return zeroPadded(Math.max(0, Math.min(value, MAX_PADDED)), DIGITS);
    }

    /** {@code updateCount} is an int in the domain: 10 digits hold every value. */
    private static String paddedCount(long updateCount) {
        return zeroPadded(Math.max(0, Math.min(updateCount, Integer.MAX_VALUE)), COUNT_DIGITS);
    }

    /** {@code value} (0 ≤ value, at most {@code digits} digits) with leading zeros; every write builds keys with it. */
    private static String zeroPadded(long value, int digits) {
        String text = Long.toString(value);
        return "0".repeat(digits - text.length()) + text;
    }

    private static String unescape(String escaped) {
        if (escaped.indexOf('\\') < 0) {
            return escaped;
        }
        StringBuilder raw = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            raw.append(c == '\\' && i + 1 < escaped.length() ? escaped.charAt(++i) : c);
        }
        return raw.toString();
    }

    private static String escape(String component) {
        if (component.indexOf('\\') < 0 && component.indexOf(SEPARATOR) < 0) {
            return component;
        }
        return component.replace("\\", "\\\\").replace("|", "\\|");
    }
}
