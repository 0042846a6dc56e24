package io.customersessions.projector.routing;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Lines that must each arrive within a deadline. The JDK's HTTP client bounds the wait for an answer's headers but
 * not for its body, so another instance that stops sending in the middle of a streamed answer (its host gone, say)
 * would hold the reading thread, and the export, for good. When a line is late the answer's body is closed and the
 * reading thread interrupted, which ends the blocked read with an error (JDK 17's client needs both: it retries an
 * interrupted wait unless the body is closed); the interrupt is then cleared, so the pooled thread goes on clean.
 */
final class LineDeadline implements Iterator<String> {

    /** One alarm per line read: a stopped one leaves the queue at once, not when it would have rung. */
    private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, task -> {
        Thread thread = new Thread(task, "line-deadline");
        thread.setDaemon(true);
        return thread;
    });

    static {
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private final Iterator<String> lines;
    private final Closeable body;
    private final Duration perLine;
    private final String source;

    /** {@code lines} read from {@code body}, sent by {@code source} (for the error message). */
    LineDeadline(Iterator<String> lines, Closeable body, Duration perLine, String source) {
        this.lines = lines;
        this.body = body;
        this.perLine = perLine;
        this.source = source;
    }

    @Override
    public boolean hasNext() {
        Alarm alarm = new Alarm(Thread.currentThread(), body);
        alarm.timer = TIMER.schedule(alarm::ring, perLine.toNanos(), TimeUnit.NANOSECONDS);
        boolean more;
        try {
            more = lines.hasNext();
        } catch (RuntimeException e) {
            if (alarm.stop()) {
                throw late(e);
            }
            throw e;
        }
        // An alarm that rang just as the line arrived cut nothing short: its interrupt is cleared, the line kept.
        alarm.stop();
        return more;
    }

    @Override
    public String next() {
        return lines.next();
    }

    /**
     * Closes the body and interrupts the reader when it rings, unless stopped first; both under one lock, so no
     * interrupt outlives it.
     */
    private static final class Alarm {
        private final Thread reader;
        private final Closeable body;
        private boolean armed = true;
        private ScheduledFuture<?> timer;

        Alarm(Thread reader, Closeable body) {
            this.reader = reader;
            this.body = body;
        }

        synchronized void ring() {
            if (armed) {
                armed = false;
                try {
                    body.close();
                } catch (IOException | RuntimeException e) {
                    // the interrupt below still ends the read
                }
                reader.interrupt();
            }
        }

        /** True if it had rung, in which case the interrupt it sent is cleared. Called by the reader. */
        boolean stop() {
            synchronized (this) {
                timer.cancel(false);
                if (armed) {
                    armed = false;
                    return false;
                }
            }
            Thread.interrupted();
            return true;
        }
    }

    private UncheckedIOException late(RuntimeException cause) {
        IOException late = new IOException(source + " sent no line within " + perLine);
        late.addSuppressed(cause);
        return new UncheckedIOException(late);
    }
}
