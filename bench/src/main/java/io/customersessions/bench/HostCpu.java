package io.customersessions.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The whole machine's CPU time from {@code /proc/stat}, to tell under what contention a figure was measured. On a
 * virtual machine the hypervisor may run other guests on the cores this one was given; that time is counted as
 * {@code steal}: the figures of a run measured under steal are lower than the machine can do, so each is reported
 * with the steal during its own measurement (BENCHMARKS.md shows runs of the same build apart by a factor of ten).
 *
 * @param total all CPU time of all cores so far (user, nice, system, idle, iowait, irq, softirq, steal), in ticks
 * @param steal the part of it the hypervisor gave to other guests
 */
record HostCpu(long total, long steal) {

    private static final Path PROC_STAT = Path.of("/proc/stat");

    /** Now; empty where {@code /proc/stat} is not readable (not Linux). */
    static Optional<HostCpu> now() {
        try (var lines = Files.lines(PROC_STAT)) {
            return lines.findFirst().flatMap(HostCpu::parse);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The aggregate line of {@code /proc/stat}: {@code cpu  user nice system idle iowait irq softirq steal guest
     * guest_nice}. Guest time is already counted in user and nice, so it is not added again; kernels older than
     * 2.6.11 have no steal field (0).
     */
    static Optional<HostCpu> parse(String line) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length < 5 || !fields[0].equals("cpu")) {
            return Optional.empty();
        }
        try {
            long total = 0;
            for (int i = 1; i <= Math.min(8, fields.length - 1); i++) {
                total += Long.parseLong(fields[i]);
            }
            long steal = fields.length > 8 ? Long.parseLong(fields[8]) : 0;
            return Optional.of(new HostCpu(total, steal));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The share of the machine's CPU time the hypervisor took from {@code start} to this sample (0 to 1). */
    Optional<Double> stealShareSince(HostCpu start) {
        long elapsed = total - start.total;
        return elapsed <= 0 ? Optional.empty() : Optional.of((steal - start.steal) / (double) elapsed);
    }

    /**
     * {@code " · steal 12 %"}: what to append to a figure measured since {@code start}; empty when either sample is
     * missing or no time passed.
     */
    static String stealSince(Optional<HostCpu> start) {
        return start.flatMap(from -> now().flatMap(to -> to.stealShareSince(from)))
                .map(share -> String.format(Locale.ROOT, " · steal %.0f %%", 100 * share))
                .orElse("");
    }
}
