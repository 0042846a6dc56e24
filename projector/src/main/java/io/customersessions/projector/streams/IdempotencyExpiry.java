package io.customersessions.projector.streams;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.eventlog.Topics;
import io.customersessions.projector.views.StoreKeys;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Remembers the outcomes of commands with an Idempotency-Key for a while, not for good: each is stored with
 * {@code rememberedUntil}, its command's time plus the key retention ({@value #SETTING}), and a command of that time
 * or later is decided as a new request ({@link CommandDecider}). Whether a key is remembered is therefore decided by
 * the two commands' times alone, from the log, never by when the purge below runs: a retention changed later
 * applies to keys remembered from then on.
 *
 * <p>The purge deletes what no command can find any more. Every {@link #PURGE_EVERY} of wall-clock time it deletes the
 * outcomes forgotten more than {@link #CLOCK_SKEW_ALLOWANCE} before the earlier of the task's stream time (the latest
 * command's record timestamp, which the session-service's producer stamps as it sends it) and the projector's own
 * clock: a command whose time lags by less than that (session-service instances whose clocks disagree) still finds
 * every key it would have found, and one clock running ahead, a session-service's or the projector's, cannot purge a
 * key the others still count as remembered. The outcomes are found through {@code idempotency-expiry}, ordered by
 * {@code rememberedUntil}, so a purge reads only the entries due; at most {@link #MAX_PURGED_PER_RUN} per run, so that
 * a backlog is spread over several transactions. A run that reached that bound leaves a backlog, and the next run
 * comes {@link #CHECK_EVERY} later rather than {@link #PURGE_EVERY}: so the purge keeps up with up to {@value
 * #MAX_PURGED_PER_RUN} keys forgotten per second and partition, not per minute. An entry whose key was remembered
 * again since (reused after it was forgotten) is dropped without deleting the newer outcome. Outcomes remembered
 * before outcomes had {@code rememberedUntil} have no entry and are kept for good, as they were promised.
 */
final class IdempotencyExpiry {

    /** The Kafka Streams setting (in {@code kafka.streams.default}) of the key retention in ms; absent: 24 h. */
    static final String SETTING = "customer-sessions.idempotency.key.retention.ms";
    static final Duration DEFAULT_RETENTION = Duration.ofHours(24);
    /** Ten years: longer is keeping for good, and a bound keeps {@code rememberedUntil} far from overflowing. */
    static final Duration MAX_RETENTION = Duration.ofDays(3653);
    static final Duration CLOCK_SKEW_ALLOWANCE = Duration.ofHours(1);
    static final Duration PURGE_EVERY = Duration.ofMinutes(1);
    /** How often the purge's punctuator runs: it purges when a backlog is left or {@link #PURGE_EVERY} has passed. */
    static final Duration CHECK_EVERY = Duration.ofSeconds(1);
    /** Small enough that a run, one per second per task while a backlog lasts, holds the stream thread briefly. */
    static final int MAX_PURGED_PER_RUN = 2_000;

    private final KeyValueStore<String, CommandOutcome> outcomes;
    private final KeyValueStore<String, String> expiry;
    private final Duration retention;
    private long lastRunMs = Long.MIN_VALUE / 2;
    private boolean backlog;

    private IdempotencyExpiry(KeyValueStore<String, CommandOutcome> outcomes, KeyValueStore<String, String> expiry,
                              Duration retention) {
        this.outcomes = outcomes;
        this.expiry = expiry;
        this.retention = retention;
    }

    /** Reads {@link #SETTING} from the application's configuration and schedules the purge. */
    static IdempotencyExpiry of(ProcessorContext<?, ?> context, KeyValueStore<String, CommandOutcome> outcomes) {
        IdempotencyExpiry keyExpiry = new IdempotencyExpiry(outcomes,
                context.getStateStore(Topics.IDEMPOTENCY_EXPIRY_STORE), retention(context.appConfigs().get(SETTING)));
        context.schedule(CHECK_EVERY, PunctuationType.WALL_CLOCK_TIME,
                wallClock -> keyExpiry.purgeIfDue(wallClock, context.currentStreamTimeMs()));
        return keyExpiry;
    }

    private void purgeIfDue(long wallClockMs, long streamTimeMs) {
        if (!backlog && wallClockMs - lastRunMs < PURGE_EVERY.toMillis()) {
            return;
        }
        lastRunMs = wallClockMs;
        backlog = purge(Instant.ofEpochMilli(Math.min(wallClockMs, streamTimeMs))) == MAX_PURGED_PER_RUN;
    }

    static Duration retention(Object setting) {
        if (setting == null) {
            return DEFAULT_RETENTION;
        }
        long ms = Long.parseLong(setting.toString().trim());
        if (ms < 1 || ms > MAX_RETENTION.toMillis()) {
            throw new IllegalArgumentException(SETTING + " must be from 1 to " + MAX_RETENTION.toMillis()
                    + " ms (ten years), not " + ms);
        }
        return Duration.ofMillis(ms);
    }

    /** Remembers {@code outcome}, setting its {@code rememberedUntil}, under {@code key} of idempotent-outcomes. */
    void remember(String key, CommandOutcome outcome, Instant commandTime) {
        Instant until = commandTime.plus(retention);
        outcome.setRememberedUntil(until);
        outcomes.put(key, outcome);
        expiry.put(StoreKeys.idempotencyExpiry(until, key), "");
    }

    /** Purges what is due, at most {@link #MAX_PURGED_PER_RUN}; returns how many entries it took. */
    private int purge(Instant now) {
        Instant before = now.minus(CLOCK_SKEW_ALLOWANCE);
        StoreKeys.Range due = StoreKeys.forgottenBefore(before);
        List<String> entries = new ArrayList<>();
        try (KeyValueIterator<String, String> range = expiry.range(due.from(), due.to())) {
            while (range.hasNext() && entries.size() < MAX_PURGED_PER_RUN) {
                entries.add(range.next().key);
            }
        }
        for (String entry : entries) {
            expiry.delete(entry);
            String outcomeKey = StoreKeys.expiringOutcome(entry);
            CommandOutcome outcome = outcomes.get(outcomeKey);
            if (outcome != null && outcome.getRememberedUntil() != null
                    && outcome.getRememberedUntil().isBefore(before)) {
                outcomes.delete(outcomeKey);
            }
        }
        return entries.size();
    }
}
