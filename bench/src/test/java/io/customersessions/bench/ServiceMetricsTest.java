package io.customersessions.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceMetricsTest {

    private static final String YOUNG =
            "{action=\"end of minor GC\",cause=\"G1 Evacuation Pause\",gc=\"G1 Young Generation\"}";
    private static final String FULL = "{action=\"end of major GC\",cause=\"System.gc()\",gc=\"G1 Old Generation\"}";

    /** A service's {@code /prometheus} as Micrometer writes it, with series that must not count among them. */
    private static String exposition(long cpuNanos, long allocated, int youngPauses, double youngSeconds,
                                     int fullPauses, double fullSeconds) {
        return String.join("\n",
                "# HELP process_cpu_time_ns_total The \"cpu time\" used by the Java Virtual Machine process",
                "# TYPE process_cpu_time_ns_total counter",
                "process_cpu_time_ns_total " + cpuNanos,
                "jvm_gc_memory_allocated_bytes_total " + allocated,
                "jvm_gc_memory_promoted_bytes_total 1.94E7",
                "jvm_gc_pause_seconds_count" + YOUNG + " " + youngPauses,
                "jvm_gc_pause_seconds_sum" + YOUNG + " " + youngSeconds,
                "jvm_gc_pause_seconds_max" + YOUNG + " 0.049",
                "jvm_gc_pause_seconds_count" + FULL + " " + fullPauses,
                "jvm_gc_pause_seconds_sum" + FULL + " " + fullSeconds,
                "http_server_requests_seconds_count{method=\"GET\",status=\"200\",uri=\"/v2/customer_sessions\"} 9",
                "");
    }

    @Test
    void a_request_costs_the_cpu_allocation_and_pauses_between_two_samples_shared_out() {
        // given: two samples of a projector 10 s apart, 50 000 requests between them; pauses of every series count
        ServiceMetrics before = ServiceMetrics.parse(exposition(100_000_000_000L, 12_000_000_000L, 40, 0.700, 1, 0.1))
                .orElseThrow();
        ServiceMetrics after = ServiceMetrics.parse(exposition(103_200_000_000L, 13_792_000_000L, 49, 0.736, 2, 0.104))
                .orElseThrow();

        // when
        String cost = after.describeSince("projector", before, 50_000, 10_000_000_000L);

        // then: 3.2 CPU-s / 50 000 = 64 µs; 1 792 000 000 B / 50 000 / 1 024 = 35 KB; 10 pauses, 40 ms in all
        assertThat(before.pauses()).isEqualTo(41);
        assertThat(cost).isEqualTo("projector: 64 µs CPU and about 35 KB allocated per request, "
                + "10 GC pauses of 4.0 ms on average (0.4 % of the time)");
    }

    @Test
    void a_service_that_did_not_collect_says_so() {
        ServiceMetrics sample = ServiceMetrics.parse(exposition(1_000_000, 2_048_000, 3, 0.01, 0, 0)).orElseThrow();

        assertThat(sample.describeSince("session-service", sample, 1_000, 1_000_000_000L))
                .isEqualTo("session-service: 0 µs CPU and about 0 KB allocated per request, no GC pause");
    }

    @Test
    void an_endpoint_without_the_process_cpu_or_the_allocation_gives_nothing() {
        assertThat(ServiceMetrics.parse("jvm_gc_memory_allocated_bytes_total 5\n")).isEmpty();
        assertThat(ServiceMetrics.parse("process_cpu_time_ns_total 5\n")).isEmpty();
        assertThat(ServiceMetrics.parse("")).isEmpty();
    }

    @Test
    void the_endpoint_of_nothing_listening_gives_nothing() {
        assertThat(ServiceMetrics.scrape("http://localhost:1")).isEmpty();
    }
}
