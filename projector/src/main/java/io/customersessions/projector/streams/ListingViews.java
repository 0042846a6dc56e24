package io.customersessions.projector.streams;

import io.customersessions.avro.CustomerSessionState;
import io.customersessions.domain.CustomerSession;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.projector.views.ListingBuild;
import io.customersessions.projector.views.StoreKeys;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The secondary views the Management API lists from, kept by the processor in the same transaction as the
 * session store, so a listing never sees a view disagree with a committed session. Each view maps a key of
 * {@link StoreKeys} to the session's integration id; a session whose profile or state changes moves to its new
 * key and leaves its old one. Anonymous sessions are not in the profile view. The keys end with the session's
 * creation time and id, so each view's ranges are in the listing's default order. The four views (and the index
 * below) share one store, {@link Topics#SESSION_LISTING_STORE}, their keys told apart by a tag.
 *
 * <p>The same store holds the former-profile index the erasure of a profile needs: a session whose profile changes
 * (other than by its erasure) keeps an entry under each profile it leaves ({@link StoreKeys#byFormerProfile}, and
 * {@link StoreKeys#formerProfileOf} to find them by session), as its earlier events hold that profile's personal
 * data; its erasure removes them all, as after it no event of the session can be opened. Both are decided from the
 * session's states and whether the change is an erasure, so a views generation folding the events keeps the same
 * entries as the processor. Changes made before this index existed left none.
 */
final class ListingViews {

    private static final Logger LOG = LoggerFactory.getLogger(ListingViews.class);
    /** Sessions indexed per punctuation (and so at most per transaction) while the store is built. */
    static final int REBUILD_CHUNK = 5_000;

    /** A view: a session's key in it (none: the session is not in the view). */
    private record View(Function<CustomerSession, Optional<String>> key) {
    }

    private static final List<View> VIEWS = List.of(
            new View(s -> s.anonymous()
                    ? Optional.empty()
                    : Optional.of(StoreKeys.byProfile(s.key().applicationId(), s.profileId(), s.created(), s.id()))),
            new View(s -> Optional.of(StoreKeys.byState(s.key().applicationId(), s.state(), s.created(), s.id()))),
            new View(s -> Optional.of(StoreKeys.byCreated(s.key().applicationId(), s.created(), s.id()))),
            new View(s -> Optional.of(StoreKeys.byId(s.key().applicationId(), s.id()))));

    private final KeyValueStore<String, String> store;
    /**
     * A build is due but its marker is not written yet: written before the first entry this processor writes, so
     * neither the build's own check nor the query side takes a store that commands have begun to fill for complete.
     */
    private boolean markBeforeWriting;

    ListingViews(ProcessorContext<?, ?> context) {
        this.store = context.getStateStore(Topics.SESSION_LISTING_STORE);
    }

    /**
     * Moves {@code after}'s entries from where {@code before} had them; unchanged entries are not rewritten. A
     * profile the session leaves becomes a former profile of it, unless {@code erasure} (the change is the session's
     * erasure), which removes every former profile of the session instead.
     */
    void update(Optional<CustomerSession> before, CustomerSession after, boolean erasure) {
        markIfDue();
        for (View view : VIEWS) {
            Optional<String> oldKey = before.flatMap(view.key());
            Optional<String> newKey = view.key().apply(after);
            if (Objects.equals(oldKey, newKey)) {
                continue;
            }
            oldKey.ifPresent(store::delete);
            newKey.ifPresent(k -> store.put(k, after.key().integrationId()));
        }
        if (erasure) {
            forgetFormerProfiles(after);
        } else {
            before.filter(b -> !b.anonymous() && !b.profileId().equals(after.profileId()))
                    .ifPresent(left -> rememberFormerProfile(after, left.profileId()));
        }
    }

    private void rememberFormerProfile(CustomerSession session, String profileId) {
        long app = session.key().applicationId();
        store.put(StoreKeys.byFormerProfile(app, profileId, session.created(), session.id()),
                session.key().integrationId());
        store.put(StoreKeys.formerProfileOf(app, session.id(), profileId), profileId);
    }

    private void forgetFormerProfiles(CustomerSession session) {
        long app = session.key().applicationId();
        StoreKeys.Range range = StoreKeys.formerProfilesOf(app, session.id());
        List<KeyValue<String, String>> former = new ArrayList<>();
        try (KeyValueIterator<String, String> entries = store.range(range.from(), range.to())) {
            entries.forEachRemaining(former::add);
        }
        for (KeyValue<String, String> entry : former) {
            store.delete(StoreKeys.byFormerProfile(app, entry.value, session.created(), session.id()));
            store.delete(entry.key);
        }
    }

    /**
     * A listing store added to a topology that already holds sessions starts empty: fills it from the session store,
     * {@value #REBUILD_CHUNK} sessions per punctuation, so that each chunk's writes commit in a transaction of their
     * own like every other write of the calling processor (one transaction for a large store would outlive the
     * producer's transaction timeout, be aborted, and start over for ever). {@link StoreKeys#LISTING_REBUILD} marks
     * the store while it is incomplete, with the session key the rebuild has reached: it is committed with each
     * chunk, so a restart resumes where the last commit left off, and the query side answers 503 while it is there.
     * Commands processed meanwhile keep their sessions' entries current; a session the rebuild reaches afterwards
     * gets the same entries again.
     */
    void rebuildIfMissing(ProcessorContext<?, ?> context, KeyValueStore<String, CustomerSessionState> sessions) {
        if (!ListingBuild.incomplete(store, () -> sessions)) {
            return;
        }
        // Decided here, once: records this task processes before the first punctuation fill the store, which then
        // no longer looks missing although it lacks every session stored before.
        markBeforeWriting = !ListingBuild.marked(store);
        Cancellable[] task = new Cancellable[1];
        task[0] = context.schedule(Duration.ofMillis(1), PunctuationType.WALL_CLOCK_TIME, now -> {
            if (markIfDue()) {
                LOG.info("building the listing views of task {} from its stored sessions", context.taskId());
            }
            if (rebuildNextChunk(sessions)) {
                task[0].cancel();
                LOG.info("built the listing views of task {}", context.taskId());
            }
        });
    }

    private boolean markIfDue() {
        if (!markBeforeWriting) {
            return false;
        }
        markBeforeWriting = false;
        store.put(StoreKeys.LISTING_REBUILD, "");
        return true;
    }

    /**
     * Indexes the next {@value #REBUILD_CHUNK} sessions after the one the marker names, as if each had just been
     * created, and moves the marker on; removes it and returns true when no session is left.
     */
    private boolean rebuildNextChunk(KeyValueStore<String, CustomerSessionState> sessions) {
        String reached = store.get(StoreKeys.LISTING_REBUILD);
        String last = reached;
        int indexed = 0;
        try (KeyValueIterator<String, CustomerSessionState> next =
                     reached.isEmpty() ? sessions.all() : sessions.range(reached, null)) {
            while (indexed < REBUILD_CHUNK && next.hasNext()) {
                KeyValue<String, CustomerSessionState> entry = next.next();
                if (entry.key.equals(reached)) {
                    continue; // the range starts with the last session of the previous chunk
                }
                update(Optional.empty(), AvroCodec.fromAvro(entry.value), false);
                last = entry.key;
                indexed++;
            }
            if (!next.hasNext()) {
                store.delete(StoreKeys.LISTING_REBUILD);
                return true;
            }
        }
        store.put(StoreKeys.LISTING_REBUILD, last);
        return false;
    }
}
