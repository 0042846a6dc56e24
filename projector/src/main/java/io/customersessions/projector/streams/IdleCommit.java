package io.customersessions.projector.streams;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;

import java.time.Duration;

/**
 * Commits the stream thread's transaction as soon as the commands stop coming, rather than at the end of {@code
 * commit.interval.ms}. Under exactly-once a command's outcome is visible only after its transaction commits, and a
 * PUT waits for it: at a light load most of that wait was the rest of the commit interval.
 *
 * <p>The thread is idle when two checks at least the idle time ({@value #SETTING}) apart saw it process nothing in
 * between: no command, and no event of the history, which shares the thread. Checks run between the thread's loops,
 * so time it spends committing is not mistaken for idleness: after a commit, the thread processes the records that
 * came meanwhile before its next check. Under a steady load it is seldom idle (only when a poll waits for records
 * still being fetched), and commits come every {@code commit.interval.ms} as before, each carrying many commands.
 *
 * <p>Idleness is per stream thread, not per task: under exactly-once v2 a commit covers every task of the thread, so
 * a task whose partition is quiet must not commit while another one is busy. The commit is requested (Kafka
 * Streams' {@link ProcessorContext#commit()}, done at the end of the thread's current loop) by every task that
 * processed a command since its own last request. Kafka Streams commits on request only when a task that asked
 * also has something to commit, and a task whose commands the interval's own commit already took has not: so each
 * task asks for its own commands, not one for all. A request that finds nothing to commit stays pending and commits
 * that task's next command without waiting, which costs one early commit and breaks nothing.
 *
 * <p>This decides when a transaction ends, never what it holds: it reads the wall clock, and nothing it does changes
 * a decision, an event or a state.
 */
final class IdleCommit {

    /** The Kafka Streams setting (in {@code kafka.streams.default}) of the idle time in ms; 0 or absent: off. */
    static final String SETTING = "customer-sessions.commit.when.idle.ms";

    private static final ThreadLocal<ThreadActivity> THREADS = ThreadLocal.withInitial(ThreadActivity::new);
    private static final Duration CHECK_EVERY = Duration.ofMillis(1);

    /** What the stream thread processed; only that thread reads and writes it. */
    private static final class ThreadActivity {
        /** Records processed: commands and history events. */
        long records;
        /** Commands processed. */
        long commands;
        long lastCheckMs = Long.MIN_VALUE / 2;
        long recordsAtLastCheck;
        /** Whether it processed nothing between its two latest checks. */
        boolean idle;
    }

    private final ProcessorContext<?, ?> context;
    private final long idleMs;
    /** The thread's {@link ThreadActivity#commands} after this task's latest command. */
    private long processedUpTo;
    /** {@link #processedUpTo} when this task last requested a commit. */
    private long requestedUpTo;

    private IdleCommit(ProcessorContext<?, ?> context, long idleMs) {
        this.context = context;
        this.idleMs = idleMs;
    }

    /** Reads {@link #SETTING} from the application's configuration and, when it is on, schedules the check. */
    static IdleCommit of(ProcessorContext<?, ?> context) {
        Object setting = context.appConfigs().get(SETTING);
        long idleMs = setting == null ? 0 : Long.parseLong(setting.toString().trim());
        if (idleMs < 0) {
            throw new IllegalArgumentException(SETTING + " must be 0 (off) or more, not " + idleMs);
        }
        IdleCommit idleCommit = new IdleCommit(context, idleMs);
        if (idleMs > 0) {
            context.schedule(CHECK_EVERY, PunctuationType.WALL_CLOCK_TIME, idleCommit::check);
        }
        return idleCommit;
    }

    /** Called for each command this task processes, on the stream thread. */
    void processed() {
        ThreadActivity thread = THREADS.get();
        thread.records++;
        thread.commands++;
        processedUpTo = thread.commands;
    }

    /** Called for each other record the stream thread processes: it keeps the thread busy but commits nothing. */
    static void busy() {
        THREADS.get().records++;
    }

    /**
     * Each task checks: the first check the idle time after the thread's previous one tells whether the thread was
     * idle in between, and every task that processed a command since its last request then asks for the commit.
     */
    private void check(long nowMs) {
        ThreadActivity thread = THREADS.get();
        if (nowMs - thread.lastCheckMs >= idleMs) {
            thread.idle = thread.records == thread.recordsAtLastCheck;
            thread.lastCheckMs = nowMs;
            thread.recordsAtLastCheck = thread.records;
        }
        boolean stillIdle = thread.idle && thread.records == thread.recordsAtLastCheck;
        if (stillIdle && processedUpTo > requestedUpTo) {
            requestedUpTo = processedUpTo;
            context.commit();
        }
    }
}
