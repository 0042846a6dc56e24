package io.customersessions.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * The rule every warm-up of the bench follows (the limit's, the fold's, each kind of HTTP request's): rounds go on
 * until the JIT compilers use less than {@link #WARM_SHARE_OF_A_CORE} of a core during one, because a long-running
 * service has compiled its hot code, and a measurement taken while the compilers take half of the two cores says
 * little about it. No round starts after {@code limit} has passed; where {@code /proc} does not show the compiler
 * threads, a round reads as quiet, so there is one.
 */
final class JitWarmup {

    static final double WARM_SHARE_OF_A_CORE = 0.10;

    private JitWarmup() {
    }

    /**
     * Runs {@code round}, which returns the cores the JIT compilers used during it, until one is quiet or {@code
     * limit} has passed; at least once. Returns each round's cores, in order.
     */
    static List<Double> rounds(Duration limit, DoubleSupplier round) {
        long started = System.nanoTime();
        List<Double> jitCores = new ArrayList<>();
        double last;
        do {
            last = round.getAsDouble();
            jitCores.add(last);
        } while (last >= WARM_SHARE_OF_A_CORE && System.nanoTime() - started < limit.toNanos());
        return jitCores;
    }

    /** Runs {@code work} and returns the cores the JIT compilers of processes {@code pids} used meanwhile. */
    static double coresDuring(List<Long> pids, Runnable work) {
        long before = compilerNanos(pids);
        long started = System.nanoTime();
        work.run();
        return (compilerNanos(pids) - before) / (double) Math.max(1, System.nanoTime() - started);
    }

    private static long compilerNanos(List<Long> pids) {
        return pids.stream().mapToLong(Machine::jitCompilerCpuNanos).sum();
    }
}
