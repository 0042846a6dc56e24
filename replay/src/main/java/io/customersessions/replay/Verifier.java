package io.customersessions.replay;

import io.customersessions.avro.CustomerSessionState;
import io.customersessions.domain.CustomerSession;
import io.customersessions.domain.SessionDecider;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.replay.Comparison.Difference;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rebuilds every session from the event log with the domain's one fold ({@link SessionDecider#evolve} over {@link
 * AvroCodec#fromAvro}) into a fresh in-memory map, and compares each rebuilt session ({@link AvroCodec#toAvro}) with
 * the live projection's {@code CustomerSessionState}, field by field. Pure: no Kafka, no clock. Not thread-safe.
 *
 * <p>Feed it the live states ({@link #live}, latest record value per key) and every event of every session in log
 * order ({@link #fold}); the events of one session are all in one partition, so their log order is their order. A
 * live state byte-for-byte equal to the rebuilt one written the same way is equal without further ado (see {@link
 * StateCodec}); any other is decoded and compared field by field under the rule below.
 *
 * <h2>Which rebuilt state a live state is compared with</h2>
 * The processor writes a command's events and the session's new state in one transaction, but the reader captures
 * the two topics one after the other, so it may see a session's newest events without its newest state. The reader
 * therefore captures (1) the event log's end offsets {@code E0}, (2) the state topic's end offsets {@code S}, (3) the
 * event log's end offsets {@code E1}, reads the state topic up to {@code S} and the events up to {@code E1}, and
 * marks each event below {@code E0} <em>settled</em> (committed before {@code S} was taken, so its state is in the
 * live projection) and each event in {@code [E0, E1)} <em>recent</em> (its state may or may not be). For a session
 * with live {@code updateCount} n, whose settled events fold to count s and all events to count c:
 * <ul>
 *   <li>s ≤ n ≤ c: the live state is compared with the fold of exactly its first n events (a lag by recent events
 *       only, which is no difference);</li>
 *   <li>otherwise with the fold of all events: a live state behind its settled events (a lost projection update) or
 *       ahead of the log is a difference, and so is every field that then differs;</li>
 *   <li>a session with no live state is a difference only if it has a settled event (a session created by recent
 *       events only was created after the capture);</li>
 *   <li>a live state without any event is a difference;</li>
 *   <li>an event that cannot be folded (the log contradicts itself) is a difference of its session, whose later
 *       events are then not folded.</li>
 * </ul>
 * Kafka writes a transaction's commit markers to its partitions one by one, so a capture can still split one
 * transaction; {@link #recompare} therefore takes a second look at the sessions that differed, after the reader
 * has fed the records written to both topics since the first capture (for those sessions only, all marked recent).
 * Only differences that persist are reported.
 *
 * <p>With {@code since}, only sessions with at least one event at or after that instant are compared (a live
 * state without events: if it was updated at or after it), but every session's whole history is folded.
 */
public final class Verifier {

    private final Optional<Instant> since;
    private final StateCodec codec;
    /** In wire form: see {@link StateCodec}. */
    private final Map<String, byte[]> live = new HashMap<>();
    private final Map<String, Fold> folds = new HashMap<>();
    /** The sessions folded last, least recently folded first: see {@link Fold}. */
    private final Map<String, Fold> hot;
    /** False once the codec could not write a state: the others are then kept as objects, not written in vain. */
    private boolean codecWrites = true;
    private long eventsFolded;

    /** Sessions whose settled state is kept as an object (see {@link Fold}); beyond them, in wire form. */
    static final int HOT_SESSIONS = 4_096;

    /**
     * The rebuilt history of one session, as far as the comparison needs it. The state after the last settled event
     * is kept as an object while the session is among the {@code hotSessions} most recently folded ones, and written
     * in the projector's wire form once it leaves them ({@link #compact}): a log of millions of sessions then holds
     * one byte array per session instead of an object graph, which the garbage collector would otherwise copy and
     * trace over and over. A session's events are usually close together in the log, so most sessions are folded
     * whole as objects and written once, the write the byte-for-byte comparison needs anyway.
     */
    private final class Fold {
        /** After the last settled event while the session is hot; null before it or when kept as {@link #settledWire}. */
        private CustomerSession settled;
        /** The same, as {@link StateCodec#encode} writes it, once the session is no longer hot; else null. */
        private byte[] settledWire;
        private int settledCount;
        /** After each recent event, in order; null until the first. */
        private List<CustomerSession> recent;
        private boolean touchedSince;
        /** Why the session could not be folded further, or null. */
        private String error;

        CustomerSession current() {
            return recent != null ? recent.get(recent.size() - 1) : settled();
        }

        /** After the last settled event; null before it. */
        CustomerSession settled() {
            return settled == null && settledWire != null ? AvroCodec.fromAvro(codec.decode(settledWire)) : settled;
        }

        boolean hasSettled() {
            return settled != null || settledWire != null;
        }

        int settledCount() {
            return settledCount;
        }

        void settle(CustomerSession next) {
            settled = next;
            settledWire = null;
            settledCount = next.updateCount();
        }

        /** Keeps the settled state in wire form, unless there is none or the codec cannot write one. */
        void compact() {
            if (settled != null && recent == null && codecWrites) {
                byte[] wire = codec.encode(AvroCodec.toAvro(settled));
                if (wire == null) {
                    codecWrites = false;
                } else {
                    settledWire = wire;
                    settled = null;
                }
            }
        }

        /** The fold after exactly {@code updateCount} events, if it is kept: the settled one or a recent one. */
        Optional<CustomerSession> at(int updateCount) {
            if (hasSettled() && settledCount == updateCount) {
                return Optional.of(settled());
            }
            return recent == null ? Optional.empty()
                    : recent.stream().filter(s -> s.updateCount() == updateCount).findFirst();
        }
    }

    /**
     * @param since when present, compare only sessions with an event at or after it
     * @param codec reads the live states, and writes rebuilt ones for the byte-for-byte fast path
     */
    public Verifier(Optional<Instant> since, StateCodec codec) {
        this(since, codec, HOT_SESSIONS);
    }

    /** @param hotSessions how many of the sessions folded last keep their settled state as an object */
    Verifier(Optional<Instant> since, StateCodec codec, int hotSessions) {
        this.since = since;
        this.codec = codec;
        this.hot = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Fold> eldest) {
                if (size() <= hotSessions) {
                    return false;
                }
                eldest.getValue().compact();
                return true;
            }
        };
    }

    /**
     * The live projection's record value for {@code sessionKey}, as stored; a later call replaces it, null (a
     * tombstone) removes it.
     */
    public void live(String sessionKey, byte[] wire) {
        if (wire == null) {
            live.remove(sessionKey);
        } else {
            live.put(sessionKey, wire);
        }
    }

    /**
     * Folds the next event of the session {@code sessionKey} (the record key).
     *
     * @param recent true for an event committed after the first capture (see the class comment); once a session has
     *               a recent event, all its later events are recent too
     */
    public void fold(String sessionKey, io.customersessions.avro.SessionEvent event, boolean recent) {
        Fold fold = folds.computeIfAbsent(sessionKey, key -> new Fold());
        if (since.isPresent() && !event.getTime().isBefore(since.get())) {
            fold.touchedSince = true;
        }
        if (fold.error != null) {
            return;
        }
        if (!recent && fold.recent != null) {
            throw new IllegalArgumentException("a settled event of " + sessionKey + " after a recent one: events "
                    + "must be fed in log order, settled ones first");
        }
        CustomerSession next;
        try {
            next = SessionDecider.evolve(Optional.ofNullable(fold.current()), AvroCodec.fromAvro(event));
        } catch (RuntimeException e) {
            fold.error = "event " + event.getEventId() + " cannot be folded: " + e.getMessage();
            return;
        }
        if (recent) {
            if (fold.recent == null) {
                fold.recent = new ArrayList<>(2);
            }
            fold.recent.add(next);
        } else {
            fold.settle(next);
        }
        hot.put(sessionKey, fold);
        eventsFolded++;
    }

    /**
     * The session {@code sessionKey} as the events fed so far fold to (settled and recent alike), as the projector
     * writes it; empty for a session without events, or one whose events could not be folded.
     */
    public Optional<CustomerSessionState> rebuilt(String sessionKey) {
        Fold fold = folds.get(sessionKey);
        if (fold == null || fold.error != null || fold.current() == null) {
            return Optional.empty();
        }
        return Optional.of(AvroCodec.toAvro(fold.current()));
    }

    public long eventsFolded() {
        return eventsFolded;
    }

    /** Compares every session (within {@code since}) of either side. */
    public Comparison compare() {
        List<Difference> differences = new ArrayList<>();
        long checked = 0;
        for (Map.Entry<String, Fold> entry : folds.entrySet()) {
            checked += compare(entry.getKey(), entry.getValue(), live.get(entry.getKey()), differences) ? 1 : 0;
        }
        for (Map.Entry<String, byte[]> entry : live.entrySet()) {
            if (!folds.containsKey(entry.getKey())) {
                checked += compare(entry.getKey(), null, entry.getValue(), differences) ? 1 : 0;
            }
        }
        return new Comparison(checked, eventsFolded, sorted(differences));
    }

    /**
     * Compares again the sessions that differed in {@code previous}, with what was fed since; the other sessions'
     * results stand. The count of sessions checked stays that of {@code previous}.
     */
    public Comparison recompare(Comparison previous) {
        List<Difference> differences = new ArrayList<>();
        for (String key : previous.sessionsWithDifferences()) {
            compare(key, folds.get(key), live.get(key), differences);
        }
        return new Comparison(previous.sessionsChecked(), eventsFolded, sorted(differences));
    }

    /**
     * Whether a session without an event at or after {@code since} has a live state that says it changed since then
     * (an update no event of the log explains): as written from its own fold, it cannot.
     */
    private boolean changedSince(byte[] liveWire, Fold fold) {
        if (liveWire == null || (fold.recent == null && Arrays.equals(liveWire, fold.settledWire))) {
            return false;
        }
        return !codec.decode(liveWire).getUpdated().isBefore(since.orElseThrow());
    }

    /** Adds the session's differences; false when the session is not compared at all. */
    private boolean compare(String key, Fold fold, byte[] liveWire, Collection<Difference> out) {
        if (fold != null && since.isPresent() && !fold.touchedSince && !changedSince(liveWire, fold)) {
            return false;
        }
        if (fold == null) {
            CustomerSessionState liveState = codec.decode(liveWire);
            if (since.isPresent() && liveState.getUpdated().isBefore(since.get())) {
                return false;
            }
            out.add(new Difference(key, Difference.SESSION_FIELD, "updateCount " + liveState.getUpdateCount(),
                    Comparison.ABSENT));
            return true;
        }
        if (fold.error != null) {
            out.add(new Difference(key, Difference.FOLD_FIELD,
                    liveWire == null ? Comparison.ABSENT : "updateCount " + codec.decode(liveWire).getUpdateCount(),
                    fold.error));
            return true;
        }
        if (liveWire == null) {
            if (!fold.hasSettled()) {
                return false;
            }
            out.add(new Difference(key, Difference.SESSION_FIELD, Comparison.ABSENT,
                    "updateCount " + fold.current().updateCount()));
            return true;
        }
        boolean written = fold.recent == null && fold.settledWire != null;
        if (written && Arrays.equals(liveWire, fold.settledWire)) {
            return true;
        }
        CustomerSession current = fold.current();
        CustomerSessionState rebuilt = AvroCodec.toAvro(current);
        if (!written && Arrays.equals(liveWire, codec.encode(rebuilt))) {
            return true;
        }
        CustomerSessionState liveState = codec.decode(liveWire);
        CustomerSession comparable = comparable(fold, current, liveState);
        if (comparable != current) {
            rebuilt = AvroCodec.toAvro(comparable);
        }
        out.addAll(Comparison.fieldByField(key, liveState, rebuilt));
        return true;
    }

    private static CustomerSession comparable(Fold fold, CustomerSession all, CustomerSessionState liveState) {
        int n = liveState.getUpdateCount();
        if (n >= fold.settledCount() && n < all.updateCount()) {
            return fold.at(n).orElse(all);
        }
        return all;
    }

    /** By session, each session's differences in field order. */
    private static List<Difference> sorted(List<Difference> differences) {
        differences.sort(Comparator.comparing(Difference::sessionKey));
        return differences;
    }
}
