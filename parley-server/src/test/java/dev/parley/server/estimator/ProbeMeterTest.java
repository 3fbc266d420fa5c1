package dev.parley.server.estimator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProbeMeterTest {
    @Test
    void aProbeArrivingAsItWasSentMeasuresItsRate() {
        ProbeMeter m = new ProbeMeter();
        m.start(3, 10);
        m.ended(3);
        long result = -1;
        for (int i = 0; i < 10 && result < 0; i++) {
            // 1000 bytes every 4 ms: 2 Mbit/s, arriving the same way
            result = m.acknowledged(3, 1000, i * 4_000L, 50_000 + i * 4_000L);
        }
        assertThat(result).isEqualTo(2_000_000);
        assertThat(m.acknowledged(3, 1000, 50_000, 100_000)).as("once per cluster").isEqualTo(-1);
    }

    @Test
    void aProbeSpreadByTheLinkMeasuresTheLinkAndOtherPacketsDoNotCount() {
        ProbeMeter m = new ProbeMeter();
        m.start(4, 5);
        m.ended(4);
        assertThat(m.acknowledged(SendHistory.NO_CLUSTER, 1000, 0, 0)).isEqualTo(-1);
        assertThat(m.acknowledged(5, 1000, 0, 0)).isEqualTo(-1);
        long result = -1;
        for (int i = 0; i < 5; i++) {
            // sent at 2 Mbit/s, arriving at 1 Mbit/s
            result = m.acknowledged(4, 1000, i * 4_000L, i * 8_000L);
        }
        assertThat(result).isEqualTo(950_000);
    }

    /**
     * Issue #14: a token bucket's burst lets a cluster's first packets through at line rate; the
     * link shows in how the rest arrives, and only that counts.
     */
    @Test
    void aClusterWhoseFirstHalfCameOutOfABurstMeasuresTheRestsRate() {
        ProbeMeter m = new ProbeMeter();
        m.start(7, 10);
        m.ended(7);
        long result = -1;
        long arrival = 50_000;
        for (int i = 0; i < 10 && result < 0; i++) {
            // sent at 2 Mbit/s; the first five arrive as sent, the rest at 500 kbit/s (16 ms apart)
            arrival += i == 0 ? 0 : i < 5 ? 4_000 : 16_000;
            result = m.acknowledged(7, 1000, i * 4_000L, arrival);
        }
        assertThat(result).isEqualTo(475_000);            // 95 % of 500 kbit/s, measured at 8 of 10; the whole read 875
    }

    /**
     * Media sent while a cluster is paced belongs to it: the cluster is measured once it has been
     * sent in full and 80 % of all of it came.
     */
    @Test
    void packetsSentUnderTheClusterCountTowardsIt() {
        ProbeMeter m = new ProbeMeter();
        m.start(2, 5);
        for (int i = 0; i < 10; i++) {
            m.sent(2);
        }
        m.sent(SendHistory.NO_CLUSTER);
        long result = -1;
        for (int i = 0; i < 8; i++) {
            result = m.acknowledged(2, 1000, i * 4_000L, i * 4_000L);
        }
        assertThat(result).as("8 of 10, but its last packets are still being sent").isEqualTo(-1);
        m.ended(2);
        assertThat(m.acknowledged(2, 1000, 32_000, 32_000)).isEqualTo(2_000_000);
    }
}
