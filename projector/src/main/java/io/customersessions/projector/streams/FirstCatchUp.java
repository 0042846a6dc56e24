package io.customersessions.projector.streams;

import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.config.LogSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Whether this projector has once folded the event log as far as the log reached when it first looked. Until then a
 * store fed by the event log holds a partial fold, and a read of it would be a wrong answer (a session or a history
 * entry not reached yet: a 404, a short history) rather than a 503: every store of a views generation, which folds
 * the log from its beginning, and the processor's history stores, which do the same when the processor's group has
 * no offsets on the event log yet (its history sub-topology is new to it, or its offsets were reset). Once caught up
 * it stays so: from then on a store trails the log by about a commit interval, and a steady stream of events would
 * keep "lag 0" from ever being true.
 *
 * <p>The target is the log's committed end (last stable offset) on every partition of the event log when the offsets
 * were first read. It is reached once this generation's group has committed offsets at or past it on all of them: the
 * whole group's, since one instance answers the reads the others forward to it. The offsets are read with the Admin
 * API twice a second from start-up until then, never on a request's thread.
 *
 * <p>Kafka Streams commits an offset only for a partition it has read a record of: a partition whose records after
 * the group's offset are all aborted ones (a transaction that failed, not yet followed by a committed record there)
 * holds the catch-up back until its next committed record. A processor writes one soon, as it decides the failed
 * transaction's commands again.
 */
@Singleton
@Requires(property = "kafka.enabled", notEquals = "false")
public class FirstCatchUp {

    private static final Logger LOG = LoggerFactory.getLogger(FirstCatchUp.class);

    /** The processor's stores that its history sub-topology folds from the event log. */
    private static final Set<String> HISTORY_STORES = Set.of(Topics.SESSION_HISTORY_STORE,
            Topics.SESSION_HISTORY_HEADS_STORE, Topics.EVENTS_BY_TIME_STORE);

    /** How far the first catch-up is. */
    public sealed interface Progress {
        record CaughtUp() implements Progress {
        }

        /** {@code offsets}: offsets before the target not consumed yet, over all partitions (markers included). */
        record Behind(long offsets) implements Progress {
        }

        /** The offsets could not be read (yet). */
        record Unknown(String reason) implements Progress {
        }
    }

    private final Generation.Role role;
    private final String eventsTopic;
    private final Supplier<GenerationLag.LogPositions> positions;
    private Map<TopicPartition, Long> target;
    private volatile Progress progress = new Progress.Unknown("the offsets have not been read yet");

    @Inject
    public FirstCatchUp(Generation generation, LogSettings log, GenerationLag lag) {
        this(generation.role(), log.topics().events(), lag::positions);
    }

    /** With the offsets {@code positions} reads (for a generation whose event log is {@code eventsTopic}). */
    public FirstCatchUp(Generation.Role role, String eventsTopic, Supplier<GenerationLag.LogPositions> positions) {
        this.role = role;
        this.eventsTopic = eventsTopic;
        this.positions = positions;
    }

    public Progress progress() {
        return progress;
    }

    /**
     * Whether reads of {@code store} are answered only once caught up: every store of a views generation, the
     * processor's history stores.
     */
    public boolean gates(String store) {
        return role == Generation.Role.VIEWS || HISTORY_STORES.contains(store);
    }

    /** Reads the offsets again, until caught up. */
    @Scheduled(fixedDelay = "500ms")
    public synchronized void check() {
        if (progress instanceof Progress.CaughtUp) {
            return;
        }
        GenerationLag.LogPositions now;
        try {
            now = positions.get();
        } catch (GenerationLag.LagUnavailableException e) {
            progress = new Progress.Unknown(String.valueOf(e.getMessage()));
            return;
        }
        if (target == null) {
            target = new HashMap<>();
            now.ends().forEach((partition, end) -> {
                if (partition.topic().equals(eventsTopic)) {
                    target.put(partition, end);
                }
            });
        }
        long behind = target.entrySet().stream().mapToLong(end -> now.behind(end.getKey(), end.getValue())).sum();
        if (behind > 0) {
            progress = new Progress.Behind(behind);
            return;
        }
        progress = new Progress.CaughtUp();
        boolean views = role == Generation.Role.VIEWS;
        LOG.info("{} has folded {} as far as it reached when first looked at ({} offsets): {} are served",
                views ? "This views generation" : "The processor", eventsTopic,
                target.values().stream().mapToLong(Long::longValue).sum(),
                views ? "its stores" : "the history stores");
    }
}
