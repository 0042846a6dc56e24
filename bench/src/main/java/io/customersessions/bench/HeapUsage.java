package io.customersessions.bench;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM's heap, committed and used, as {@code jcmd <pid> GC.heap_info} prints it: one line for G1 ({@code
 * garbage-first heap   total 245760K, used 143746K} on JDK 17, {@code total reserved 6172672K, committed 245760K,
 * used 143746K} on JDK 25), one per generation for the serial and parallel collectors (summed). Other
 * collectors' output (ZGC's, Shenandoah's) reads as nothing.
 */
record HeapUsage(long committedBytes, long usedBytes) {

    private static final Pattern SPACE = Pattern.compile(
            "total (?:reserved \\d+K, committed )?(\\d+)K, used (\\d+)K");

    static Optional<HeapUsage> parse(String heapInfo) {
        Matcher space = SPACE.matcher(heapInfo);
        long committedKib = 0;
        long usedKib = 0;
        boolean found = false;
        while (space.find()) {
            committedKib += Long.parseLong(space.group(1));
            usedKib += Long.parseLong(space.group(2));
            found = true;
        }
        return found ? Optional.of(new HeapUsage(committedKib * 1024, usedKib * 1024)) : Optional.empty();
    }
}
