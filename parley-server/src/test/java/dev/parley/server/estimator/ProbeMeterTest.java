package dev.parley.server.estimator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProbeMeterTest {
    @Test
    void aProbeArrivingAsItWasSentMeasuresItsRate() {
        ProbeMeter m = new ProbeMeter();
        m.start(3, 10);
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
        assertThat(m.acknowledged(SendHistory.NO_CLUSTER, 1000, 0, 0)).isEqualTo(-1);
        assertThat(m.acknowledged(5, 1000, 0, 0)).isEqualTo(-1);
        long result = -1;
        for (int i = 0; i < 5; i++) {
            // sent at 2 Mbit/s, arriving at 1 Mbit/s
            result = m.acknowledged(4, 1000, i * 4_000L, i * 8_000L);
        }
        assertThat(result).isEqualTo(950_000);
    }
}
