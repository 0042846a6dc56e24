package io.customersessions.bench;

import org.apache.kafka.common.utils.AppInfoParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What the figures were measured on: they mean little without it. */
record Machine(int cores, String cpu, long memoryBytes, String jvm, long maxHeapBytes, String os, String kafka) {

    static Machine current() {
        Runtime runtime = Runtime.getRuntime();
        return new Machine(runtime.availableProcessors(), cpuModel(), memTotal(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                runtime.maxMemory(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                AppInfoParser.getVersion());
    }

    List<String> lines() {
        return List.of(
                "cores: " + cores + " (" + cpu + ")",
                String.format(Locale.ROOT, "RAM: %.1f GiB", memoryBytes / (double) (1L << 30)),
                String.format(Locale.ROOT, "JVM: %s (bench JVM max heap %.1f GiB)", jvm,
                        maxHeapBytes / (double) (1L << 30)),
                "OS: " + os,
                "Kafka: " + kafka + " (one embedded KRaft node inside the bench JVM, 6 partitions per topic)");
    }

    private static String cpuModel() {
        return readLines("/proc/cpuinfo").stream().filter(line -> line.startsWith("model name"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    }

    private static long memTotal() {
        return readLines("/proc/meminfo").stream().filter(line -> line.startsWith("MemTotal:"))
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024).findFirst().orElse(0L);
    }

    /** {@code VmRSS} of a process, from {@code /proc/<pid>/status}. */
    static Optional<Long> rssBytes(long pid) {
        return readLines("/proc/" + pid + "/status").stream().filter(line -> line.startsWith("VmRSS:"))
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024).findFirst();
    }

    /**
     * CPU time of the HotSpot JIT compiler threads of process {@code pid}; 0 where {@code /proc} does not show them.
     * They are hidden from {@code ThreadMXBean}; Linux lists them in {@code /proc/<pid>/task} as "C1/C2
     * CompilerThre(ad)". Their user + system time, in clock ticks of 10 ms (Linux's USER_HZ).
     * ({@code CompilationMXBean.getTotalCompilationTime} is elapsed time, which on busy cores counts the waits.)
     */
    static long jitCompilerCpuNanos(long pid) {
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.matches("C[12] CompilerThre.*")) {
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    }
                } catch (IOException | RuntimeException threadGone) {
                    // the thread ended between listing and reading
                }
            }
        } catch (IOException | RuntimeException noProc) {
            return 0;
        }
        return ticks * 10_000_000L;
    }

    private static List<String> readLines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
