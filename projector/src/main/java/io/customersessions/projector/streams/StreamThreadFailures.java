package io.customersessions.projector.streams;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * What becomes of a stream thread that failed: an exception (a registry that did not answer, a record that could
 * not be written, a bug met by one record) replaces the thread after a pause, and the new thread starts again from
 * the last committed transaction, so a passing failure heals and nothing is skipped; an {@link Error} (out of
 * memory) shuts the client down, and liveness then fails ({@code StreamsLiveness}).
 *
 * <p>Kafka Streams' default shuts the client down on every failure, which left the instance unable to fold or
 * answer until restarted by hand. The pause keeps a failure that repeats (a registry down for minutes) from
 * replacing the thread in a tight loop; under exactly-once the replaced thread's stores are restored from their
 * changelogs first, as after a crash.
 */
public final class StreamThreadFailures implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StreamThreadFailures.class);

    private final Duration pause;
    private final Runnable counted;

    /**
     * @param counted told of every failure: a thread replaced again and again (a failure that repeats, such as a bug
     *                met by one record, which no replacement gets past) shows only there and in the log, since the
     *                client stays {@code RUNNING} and so live
     */
    public StreamThreadFailures(Duration pause, Runnable counted) {
        this.pause = pause;
        this.counted = counted;
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        counted.run();
        StreamThreadExceptionResponse response = response(exception);
        if (response == StreamThreadExceptionResponse.SHUTDOWN_CLIENT) {
            LOG.error("A stream thread failed with an error; shutting the Kafka Streams client down", exception);
            return response;
        }
        LOG.error("A stream thread failed; replacing it in {} ms", pause.toMillis(), exception);
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return response;
    }

    /** Kafka Streams hands the failure over wrapped in a {@code StreamsException}: the causes are looked at too. */
    static StreamThreadExceptionResponse response(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof Error) {
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
        }
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
