package io.customersessions.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * What a service's JVM spent during a measurement, read from its own Prometheus endpoint ({@code GET /prometheus},
 * open without a key) before and after: its CPU time, the bytes it allocated and its garbage collector's pauses.
 * Spread over the requests of the measurement these say what one request costs the service: the bytes depend little
 * on the host, and the CPU time does not count waiting for a core (but grows on a slower host). A collector pausing
 * every request in flight for several milliseconds a few times a second puts a floor under the p99 that no request
 * path can go below.
 *
 * @param cpuNanos       the process's CPU time so far ({@code process_cpu_time_ns_total})
 * @param allocatedBytes bytes allocated in the young generation so far ({@code jvm_gc_memory_allocated_bytes_total}:
 *                       Micrometer adds them up at each collection, so over a measurement it is exact only to the
 *                       young generation's size)
 * @param pauses         collector pauses so far (every {@code jvm_gc_pause_seconds_count} series)
 * @param pauseSeconds   their total length ({@code jvm_gc_pause_seconds_sum})
 */
record ServiceMetrics(double cpuNanos, double allocatedBytes, double pauses, double pauseSeconds) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The service's figures now; empty when its endpoint cannot be read or lacks them. */
    static Optional<ServiceMetrics> scrape(String baseUrl) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/prometheus"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString(
                    StandardCharsets.UTF_8));
            return response.statusCode() == 200 ? parse(response.body()) : Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Prometheus' text format: {@code name{labels} value} per line, {@code #} comments. */
    static Optional<ServiceMetrics> parse(String exposition) {
        double cpu = Double.NaN;
        double allocated = Double.NaN;
        double pauses = 0;
        double pauseSeconds = 0;
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            int brace = line.indexOf('{');
            String name = line.substring(0, brace >= 0 && brace < space ? brace : space).trim();
            double value;
            try {
                value = Double.parseDouble(line.substring(space + 1).trim());
            } catch (NumberFormatException e) {
                continue;
            }
            switch (name) {
                case "process_cpu_time_ns_total" -> cpu = value;
                case "jvm_gc_memory_allocated_bytes_total" -> allocated = value;
                case "jvm_gc_pause_seconds_count" -> pauses += value;
                case "jvm_gc_pause_seconds_sum" -> pauseSeconds += value;
                default -> {
                }
            }
        }
        if (Double.isNaN(cpu) || Double.isNaN(allocated)) {
            return Optional.empty();
        }
        return Optional.of(new ServiceMetrics(cpu, allocated, pauses, pauseSeconds));
    }

    /**
     * {@code "projector: 64 µs CPU and about 35 KB allocated per request, 10 GC pauses of 4.4 ms on average (0.3 %
     * of the time)"}, from {@code before} to this sample, over {@code requests} requests in {@code wallNanos}.
     */
    String describeSince(String service, ServiceMetrics before, long requests, long wallNanos) {
        double perRequest = Math.max(1, requests);
        double pausesSince = pauses - before.pauses;
        double pauseMillis = (pauseSeconds - before.pauseSeconds) * 1e3;
        String gc = pausesSince <= 0 ? "no GC pause"
                : String.format(Locale.ROOT, "%,.0f GC pause%s of %.1f ms on average (%.1f %% of the time)",
                pausesSince, pausesSince == 1 ? "" : "s", pauseMillis / pausesSince,
                100 * pauseMillis * 1e6 / Math.max(1, wallNanos));
        return String.format(Locale.ROOT, "%s: %,.0f µs CPU and about %,.0f KB allocated per request, %s", service,
                (cpuNanos - before.cpuNanos) / 1e3 / perRequest,
                (allocatedBytes - before.allocatedBytes) / 1024 / perRequest, gc);
    }
}
