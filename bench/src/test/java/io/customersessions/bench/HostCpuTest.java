package io.customersessions.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HostCpuTest {

    @Test
    void steal_is_the_share_of_all_cpu_time_between_two_samples_that_the_hypervisor_took() {
        // given: /proc/stat's aggregate line twice, 1 000 ticks apart, 250 of them stolen; guest time (9th and 10th
        // fields) is already part of user time
        HostCpu before = HostCpu.parse("cpu  1000 0 200 5000 10 0 5 100 300 0").orElseThrow();
        HostCpu after = HostCpu.parse("cpu  1500 0 300 5150 10 0 5 350 700 0").orElseThrow();

        // when
        double steal = after.stealShareSince(before).orElseThrow();

        // then
        assertThat(before.total()).isEqualTo(6_315);
        assertThat(steal).isEqualTo(0.25);
    }

    @Test
    void a_kernel_without_the_steal_field_reads_as_no_steal_and_other_lines_as_nothing() {
        assertThat(HostCpu.parse("cpu 10 20 30 40").orElseThrow().steal()).isZero();
        assertThat(HostCpu.parse("cpu0 1 2 3 4 5 6 7 8")).isEmpty();
        assertThat(HostCpu.parse("cpu  1 two 3 4 5")).isEmpty();
    }

    @Test
    void no_time_between_two_samples_has_no_share() {
        HostCpu same = HostCpu.parse("cpu  1 2 3 4 5 6 7 8 0 0").orElseThrow();

        assertThat(same.stealShareSince(same)).isEmpty();
    }
}
