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
    }
}
