package io.customersessions.projector.streams;

import io.customersessions.avro.CustomerSessionState;
import io.customersessions.domain.CustomerSession;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.projector.views.StoreKeys;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The secondary views the Management API lists from, kept by the processor in the same transaction as the
 * session store, so a listing never sees a view disagree with a committed session. Each view maps a key of
 * {@link StoreKeys} to the session's integration id; a session whose profile or state changes moves to its new
 * key and leaves its old one. Anonymous sessions are not in the profile view. The keys end with the session's
 * creation time and id, so each view's ranges are in the listing's default order.
 */
final class ListingViews {

    private static final Logger LOG = LoggerFactory.getLogger(ListingViews.class);

    /** A view and a session's key in it (none: the session is not in the view). */
    private record View(KeyValueStore<String, String> store, Function<CustomerSession, Optional<String>> key) {

        void move(Optional<CustomerSession> before, CustomerSession after) {
            Optional<String> oldKey = before.flatMap(key);
            Optional<String> newKey = key.apply(after);
            if (Objects.equals(oldKey, newKey)) {
                return;
            }
            oldKey.ifPresent(store::delete);
            newKey.ifPresent(k -> store.put(k, after.key().integrationId()));
        }

        boolean isEmpty() {
            return ListingViews.isEmpty(store);
        }
    }

    private final View byProfile;
    private final List<View> views;

    ListingViews(ProcessorContext<?, ?> context) {
        this.byProfile = new View(context.getStateStore(Topics.SESSIONS_BY_PROFILE_STORE), s -> s.anonymous()
                ? Optional.empty()
                : Optional.of(StoreKeys.byProfile(s.key().applicationId(), s.profileId(), s.created(), s.id())));
        View byState = new View(context.getStateStore(Topics.SESSIONS_BY_STATE_STORE),
                s -> Optional.of(StoreKeys.byState(s.key().applicationId(), s.state(), s.created(), s.id())));
        View byCreated = new View(context.getStateStore(Topics.SESSIONS_BY_CREATED_STORE),
                s -> Optional.of(StoreKeys.byCreated(s.key().applicationId(), s.created(), s.id())));
        View byId = new View(context.getStateStore(Topics.SESSIONS_BY_ID_STORE),
                s -> Optional.of(StoreKeys.byId(s.key().applicationId(), s.id())));
        this.views = List.of(byProfile, byState, byCreated, byId);
    }

    /** Moves {@code after}'s entries from where {@code before} had them; unchanged entries are not rewritten. */
    void update(Optional<CustomerSession> before, CustomerSession after) {
        views.forEach(view -> view.move(before, after));
    }

    /**
     * Views added to a topology that already holds sessions start empty: fills them once, from a punctuation so that
     * the writes belong to a transaction like every other write of the calling processor.
     */
    void rebuildOnceIfMissing(ProcessorContext<?, ?> context, KeyValueStore<String, CustomerSessionState> sessions) {
        if (!missing(sessions)) {
            return;
        }
        Cancellable[] once = new Cancellable[1];
        once[0] = context.schedule(Duration.ofMillis(1), PunctuationType.WALL_CLOCK_TIME, now -> {
            once[0].cancel();
            if (missing(sessions)) {
                LOG.info("building the listing views of task {} from its stored sessions", context.taskId());
                rebuild(sessions);
            }
        });
    }

    /**
     * True when a view is empty while sessions exist: the view was added to a topology that had already folded
     * sessions (an upgrade; a view whose key layout changes gets a new store name, so it is added too), and
     * {@link #rebuild} must fill it. The profile view may rightly be empty (only anonymous sessions): it counts as
     * missing only when a stored session has a profile, which is looked for only while that view is empty.
     */
    private boolean missing(KeyValueStore<String, CustomerSessionState> sessions) {
        return !missingViews(sessions).isEmpty();
    }

    /**
     * Indexes every stored session in the views that are {@link #missing}, as if each had just been created;
     * views that already hold entries are left as they are.
     */
    private void rebuild(KeyValueStore<String, CustomerSessionState> sessions) {
        List<View> missing = missingViews(sessions);
        if (missing.isEmpty()) {
            return;
        }
        try (KeyValueIterator<String, CustomerSessionState> all = sessions.all()) {
            all.forEachRemaining(entry -> {
                CustomerSession session = AvroCodec.fromAvro(entry.value);
                missing.forEach(view -> view.move(Optional.empty(), session));
            });
        }
    }

    private List<View> missingViews(KeyValueStore<String, CustomerSessionState> sessions) {
        if (isEmpty(sessions)) {
            return List.of();
        }
        return views.stream()
                .filter(View::isEmpty)
                .filter(view -> view != byProfile || anyWithProfile(sessions))
                .toList();
    }

    private static boolean isEmpty(KeyValueStore<String, ?> store) {
        try (KeyValueIterator<String, ?> any = store.all()) {
            return !any.hasNext();
        }
    }

    /** As {@link CustomerSession#anonymous()}, on the stored form (no decoding of the whole session). */
    private static boolean anyWithProfile(KeyValueStore<String, CustomerSessionState> sessions) {
        try (KeyValueIterator<String, CustomerSessionState> all = sessions.all()) {
            while (all.hasNext()) {
                if (!all.next().value.getProfileId().isEmpty()) {
                    return true;
                }
            }
            return false;
        }
    }
}
