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
    private long eventsFolded;

    /** The rebuilt history of one session, as far as the comparison needs it. */
    private static final class Fold {
        /** After the last settled event; null before it. */
        private CustomerSession settled;
        /** After each recent event, in order; null until the first. */
        private List<CustomerSession> recent;
        private boolean touchedSince;
        /** Why the session could not be folded further, or null. */
        private String error;

        CustomerSession current() {
            return recent != null ? recent.get(recent.size() - 1) : settled;
        }

        int settledCount() {
            return settled == null ? 0 : settled.updateCount();
        }

        /** The fold after exactly {@code updateCount} events, if it is kept: the settled one or a recent one. */
        Optional<CustomerSession> at(int updateCount) {
            if (settled != null && settled.updateCount() == updateCount) {
                return Optional.of(settled);
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
        this.since = since;
        this.codec = codec;
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
            fold.settled = next;
        }
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

    /** Adds the session's differences; false when the session is not compared at all. */
    private boolean compare(String key, Fold fold, byte[] liveWire, Collection<Difference> out) {
        if (fold != null && since.isPresent() && !fold.touchedSince) {
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
            if (fold.settled == null) {
                return false;
            }
            out.add(new Difference(key, Difference.SESSION_FIELD, Comparison.ABSENT,
                    "updateCount " + fold.current().updateCount()));
            return true;
        }
        CustomerSessionState rebuilt = AvroCodec.toAvro(fold.current());
        if (Arrays.equals(liveWire, codec.encode(rebuilt))) {
            return true;
        }
        CustomerSessionState liveState = codec.decode(liveWire);
        CustomerSession comparable = comparable(fold, liveState);
        if (comparable != fold.current()) {
            rebuilt = AvroCodec.toAvro(comparable);
        }
        out.addAll(Comparison.fieldByField(key, liveState, rebuilt));
        return true;
    }

    private static CustomerSession comparable(Fold fold, CustomerSessionState liveState) {
        int n = liveState.getUpdateCount();
        CustomerSession all = fold.current();
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
