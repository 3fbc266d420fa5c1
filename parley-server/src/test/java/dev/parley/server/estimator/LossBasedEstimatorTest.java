package dev.parley.server.estimator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LossBasedEstimatorTest {
    private final LossBasedEstimator e = new LossBasedEstimator();

    @Test
    void MD8_withoutReportsTheEstimateIs524288() {
        assertThat(e.estimate(0)).isEqualTo(524_288);
    }

    @Test
    void MD8_lowLossIncreasesFrom512000OnlyWhenTheRateIsUsed() {
        e.onReceiverReport(0, 0, 1000);
        assertThat(e.estimate(1000)).isEqualTo(512_000); // not probing: unchanged
        e.onReceiverReport(4, 400_000, 2000);
        assertThat(e.estimate(2000)).isEqualTo(512_000 * 269 / 256);
    }

    @Test
    void MD8_moderateLossKeepsHighLossDecreases() {
        e.onReceiverReport(0, Long.MAX_VALUE, 0);
        long start = e.estimate(0);
        e.onReceiverReport(10, Long.MAX_VALUE, 1000);
        assertThat(e.estimate(1000)).isEqualTo(start);
        e.onReceiverReport(64, Long.MAX_VALUE, 2000); // 25 % loss
        assertThat(e.estimate(2000)).isEqualTo(start * (512 - 64) / 512);
    }

    @Test
    void MD8_estimateIsClamped() {
        for (int i = 0; i < 500; i++) {
            e.onReceiverReport(255, 0, i);
        }
        assertThat(e.estimate(500)).isEqualTo(LossBasedEstimator.MIN_BPS);
        for (int i = 0; i < 2000; i++) {
            e.onReceiverReport(0, Long.MAX_VALUE, 1000 + i);
        }
        assertThat(e.estimate(3000)).isEqualTo(LossBasedEstimator.MAX_BPS);
    }

    @Test
    void MD8_rembCapsAndStaleReportsAreIgnored() {
        e.onReceiverReport(0, Long.MAX_VALUE, 0);
        e.onRemb(300_000, 0);
        assertThat(e.estimate(1000)).isEqualTo(300_000);
        e.onRemb(10_000_000, 5000);
        assertThat(e.estimate(5000)).isEqualTo(538_000);
        assertThat(e.estimate(30_000)).isEqualTo(538_000);
        assertThat(e.estimate(30_001)).isEqualTo(524_288); // RR stale
        e.onRemb(100_000, 31_000);
        assertThat(e.estimate(31_000)).isEqualTo(100_000);
        assertThat(e.estimate(61_001)).isEqualTo(524_288); // both stale
    }

    @Test
    void staleEstimateRestartsFromInitialValue() {
        for (int i = 0; i < 100; i++) {
            e.onReceiverReport(255, 0, i);
        }
        e.onReceiverReport(0, 0, 100_000);
        assertThat(e.estimate(100_000)).isEqualTo(512_000);
    }
}
