package dev.parley.bench.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessStatsTest {

    @Test
    void cpuTicksAreUtimePlusStimeEvenWithSpacesInTheName() {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194304 61877 0 12 0 1500 250 0 0 20 0 40 0 "
                + "5005 9000000000 50000 18446744073709551615 1 1 0 0 0 0 0 3 16384 0 0 0 17 0 0 0 0 0 0";
        assertThat(ProcessStats.parseCpuTicks(stat)).isEqualTo(1750);
    }

    @Test
    void userAndKernelTicksAreSeparateAndTheThreadNameKeepsItsParentheses() {
        String stat = "4243 (parley-udp-1-1) S 1 4242 4242 0 -1 4194304 61877 0 12 0 1500 250 0 0 20 0 40 0 "
                + "5005 9000000000 50000 18446744073709551615 1 1 0 0 0 0 0 3 16384 0 0 0 17 0 0 0 0 0 0";
        assertThat(ProcessStats.userAndKernelTicks(stat)).containsExactly(1500, 250);
        assertThat(ProcessStats.threadName(stat)).isEqualTo("parley-udp-1-1");
        assertThat(ProcessStats.threadName("1 (java (x) y) S")).isEqualTo("java (x) y");
    }

    @Test
    void aSplitPerPacketDividesEachPartAndDifferencesAreTakenPartByPart() {
        CpuSplit before = new CpuSplit(1_000_000, 2_000_000, 500_000);
        CpuSplit after = new CpuSplit(5_000_000, 10_000_000, 9_500_000);
        CpuSplit window = after.since(before);
        assertThat(window.userMicrosPer(1000)).isEqualTo(4.0);
        assertThat(window.kernelMicrosPer(1000)).isEqualTo(8.0);
        assertThat(window.mediaLoopMicrosPer(1000)).isEqualTo(9.0);
        assertThat(after.since(CpuSplit.UNKNOWN).known()).isFalse();
        assertThat(after.since(CpuSplit.UNKNOWN).userMicrosPer(1000)).isEqualTo(-1);
        assertThat(window.kernelMicrosPer(0)).isEqualTo(-1);
    }

    @Test
    void rssComesFromVmRss() {
        String status = "Name:\tjava\nVmPeak:\t 9000 kB\nVmRSS:\t  123456 kB\nThreads:\t40\n";
        assertThat(ProcessStats.parseRssKb(status)).isEqualTo(123_456);
    }

    @Test
    void runQueueWaitIsTheSecondSchedstatField() {
        assertThat(ProcessStats.parseSchedstatWait("566943129 800325575 2087\n")).isEqualTo(800_325_575L);
    }

    @Test
    void ourOwnProcessHasCpuTimeAndMemory() {
        ProcessStats self = ProcessStats.self();
        assertThat(self.cpuNanos()).isPositive();
        assertThat(self.rssBytes()).isPositive();
        assertThat(self.runQueueWaitNanos()).isNotNegative();
        assertThat(new ProcessStats(Long.MAX_VALUE).cpuNanos()).isEqualTo(-1);
        CpuSplit split = self.cpuSplit();
        assertThat(split.known()).isTrue();
        assertThat(split.userNanos() + split.kernelNanos()).isPositive();
        assertThat(split.mediaLoopNanos()).as("this JVM has no media loop threads").isZero();
        assertThat(new ProcessStats(Long.MAX_VALUE).cpuSplit().known()).isFalse();
    }
}
