package dev.parley.server.estimator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LossLimitTest {
    private static final long S = LossLimit.INTERVAL_MS;

    @Test
    void highLossCutsTheEstimateLowLossLiftsTheBoundAndInBetweenHolds() {
        LossLimit l = new LossLimit();
        assertThat(l.limit()).isEqualTo(Long.MAX_VALUE);
        l.onReport(200, -1, 0);                           // no estimate yet: nothing to cut
        assertThat(l.limit()).isEqualTo(Long.MAX_VALUE);
        l.onReport(128, 1_000_000, 0);                    // 50 % lost
        assertThat(l.limit()).isEqualTo(750_000);
        l.onReport(128, 1_000_000, S);                    // again: from the bound, not the delay-based rate
        assertThat(l.limit()).isEqualTo(562_500);
        l.onReport(13, 1_000_000, 2 * S);                 // 5 %: hold
        assertThat(l.limit()).isEqualTo(562_500);
        l.onReport(0, 1_000_000, 3 * S);
        assertThat(l.limit()).isEqualTo(607_500);
        for (int i = 0; i < 7; i++) {
            l.onReport(0, 1_000_000, (4 + i) * S);
        }
        assertThat(l.limit()).as("at the delay-based rate: no longer binding").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void reportsMoreOftenThanOnceASecondMoveTheBoundOnceASecond() {
        // Chromium sends an RR with every NACK: tens a second under loss, each about a few packets
        LossLimit l = new LossLimit();
        for (long t = 0; t < S; t += 50) {
            l.onReport(128, 1_000_000, t);
        }
        assertThat(l.limit()).as("one cut in the first second").isEqualTo(750_000);
        l.onReport(128, 1_000_000, S);
        assertThat(l.limit()).isEqualTo(562_500);
        for (long t = S + 50; t < 2 * S; t += 50) {
            l.onReport(0, 1_000_000, t);
        }
        assertThat(l.limit()).as("nor faster up").isEqualTo(562_500);
        l.onReport(0, 1_000_000, 2 * S);
        assertThat(l.limit()).isEqualTo(607_500);
    }

    @Test
    void aProbeThatGotThroughLiftsTheBound() {
        LossLimit l = new LossLimit();
        l.onReport(255, 400_000, 0);
        assertThat(l.limit()).isEqualTo(200_781);
        l.raiseTo(900_000);
        assertThat(l.limit()).isEqualTo(900_000);
        l.raiseTo(100_000);
        assertThat(l.limit()).isEqualTo(900_000);
    }
}
