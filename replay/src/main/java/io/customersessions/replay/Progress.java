package io.customersessions.replay;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on a terminal stream: share of all records read (both topics, measured by offsets, so
 * compacted gaps and transaction markers count too), events folded per second, elapsed time. Redrawn in place with
 * {@code \r}, at most every {@value #REDRAW_MILLIS} ms however often it is updated. Safe to update from several
 * threads; counting an event costs next to nothing.
 */
final class Progress {

    static final long REDRAW_MILLIS = 200;
    private static final int BAR_WIDTH = 30;

    private final PrintStream out;
    private final LongSupplier nanoTime;
    private final long started;
    private final LongAdder events = new LongAdder();
    private long total;
    private long done;
    private long lastDrawn = Long.MIN_VALUE;
    private int lastLength;

    private Progress(PrintStream out, LongSupplier nanoTime) {
        this.out = out;
        this.nanoTime = nanoTime;
        this.started = nanoTime.getAsLong();
    }

    /** A bar on {@code out}, timed by {@code nanoTime}. */
    static Progress on(PrintStream out, LongSupplier nanoTime) {
        return new Progress(out, nanoTime);
    }

    /** No bar at all ({@code --quiet}). */
    static Progress none() {
        return new Progress(null, System::nanoTime);
    }

    /** The number of offsets to read in all. */
    synchronized void total(long offsets) {
        this.total = offsets;
    }

    /** {@code offsets} more have been read. */
    synchronized void advance(long offsets) {
        done += offsets;
        redraw(false);
    }

    /** One more event has been folded. */
    void folded() {
        events.increment();
    }

    /** Draws the final state and ends the line. */
    synchronized void finish() {
        done = Math.max(done, total);
        redraw(true);
        if (out != null) {
            out.println();
            out.flush();
        }
    }

    private void redraw(boolean force) {
        if (out == null) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (!force && lastDrawn != Long.MIN_VALUE && now - lastDrawn < REDRAW_MILLIS * 1_000_000) {
            return;
        }
        lastDrawn = now;
        String line = line(now);
        // Blanks over the rest of a longer previous line.
        out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        out.flush();
        lastLength = line.length();
    }

    private String line(long now) {
        double share = total == 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(share * BAR_WIDTH);
        long folded = events.sum();
        long seconds = (now - started) / 1_000_000_000L;
        return String.format(Locale.ROOT, "[%s%s] %3d%%  %,d events folded, %,.0f events/s  %d:%02d",
                "#".repeat(filled), " ".repeat(BAR_WIDTH - filled), (int) Math.floor(share * 100), folded,
                perSecond(folded, now - started), seconds / 60, seconds % 60);
    }

    static double perSecond(long count, long nanos) {
        return nanos <= 0 ? 0 : count * 1e9 / nanos;
    }
}
