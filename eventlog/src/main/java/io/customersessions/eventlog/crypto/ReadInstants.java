package io.customersessions.eventlog.crypto;

/**
 * When the calling thread last received records from the log ({@link System#nanoTime()}), as recorded by {@link
 * ReadInstantInterceptor} on the consumers it polls. A record deserialized on a thread was received at or before that
 * instant, so it is a safe "read no later than" instant for {@link KafkaDataKeys}: with it, a run of erased events
 * from one poll costs one catch-up of the key topic instead of one each. Without the interceptor (or on a thread
 * that has not polled) the answer is "now", which is always safe and only slower. Safe only if every consumer whose
 * sealed events a thread deserializes carries the interceptor: a poll of another consumer after the last recorded
 * one would make the answer too early. I/O plumbing, not domain time.
 */
public final class ReadInstants {

    private static final ThreadLocal<long[]> LAST_POLL = new ThreadLocal<>();

    private ReadInstants() {
    }

    /** A {@link System#nanoTime()} at or after the moment this thread received the records it now reads. */
    public static long current() {
        long[] last = LAST_POLL.get();
        return last == null ? System.nanoTime() : last[0];
    }

    static void recordPoll() {
        long[] last = LAST_POLL.get();
        if (last == null) {
            LAST_POLL.set(new long[] {System.nanoTime()});
        } else {
            last[0] = System.nanoTime();
        }
    }
}
