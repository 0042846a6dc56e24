package io.customersessions.bench;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

import static org.assertj.core.api.Assertions.assertThat;

class HeapUsageTest {

    @Test
    void the_heap_of_the_jvm_running_this_test_is_read_from_its_own_jcmd() {
        // given: whatever JDK and collector run the tests (the bench reads the projector's heap the same way)
        long pid = ProcessHandle.current().pid();

        // when
        String heapInfo = SystemPhases.jcmd(pid, "GC.heap_info");
        HeapUsage heap = HeapUsage.parse(heapInfo).orElseThrow(() -> new AssertionError("not read: " + heapInfo));

        // then: within what the JVM itself says its heap may commit
        MemoryUsage own = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        assertThat(heap.usedBytes()).isPositive().isLessThanOrEqualTo(heap.committedBytes());
        assertThat(heap.committedBytes()).isLessThanOrEqualTo(own.getMax());
    }

    @Test
    void g1_as_jdk_17_and_jdk_25_print_it_and_generations_summed() {
        assertThat(HeapUsage.parse(" garbage-first heap   total 245760K, used 143746K [0x0000000687400000, 0x0)\n"
                + " Metaspace       used 50925K, committed 51456K, reserved 1097728K"))
                .contains(new HeapUsage(245_760L * 1024, 143_746L * 1024));
        assertThat(HeapUsage.parse("garbage-first heap   total reserved 6172672K, committed 245760K, used 143746K"
                + " [0x0000000687400000, 0x0000000800000000)\n region size 4096K, 16 young (65536K), 0 survivors"))
                .contains(new HeapUsage(245_760L * 1024, 143_746L * 1024));
        assertThat(HeapUsage.parse("PSYoungGen      total 113152K, used 39428K [0x0]\n"
                + "ParOldGen       total 258048K, used 1166K [0x0]"))
                .contains(new HeapUsage((113_152L + 258_048L) * 1024, (39_428L + 1_166L) * 1024));
        assertThat(HeapUsage.parse(" ZHeap           used 24M, capacity 384M, max capacity 6028M")).isEmpty();
    }
}
