package dev.parley.server.estimator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LossLimitTest {
    @Test
    void highLossCutsTheEstimateLowLossLiftsTheBoundAndInBetweenHolds() {
        LossLimit l = new LossLimit();
        assertThat(l.limit()).isEqualTo(Long.MAX_VALUE);
        l.onReport(200, -1);                              // no estimate yet: nothing to cut
        assertThat(l.limit()).isEqualTo(Long.MAX_VALUE);
        l.onReport(128, 1_000_000);                       // 50 % lost
        assertThat(l.limit()).isEqualTo(750_000);
        l.onReport(128, 1_000_000);                       // again: from the bound, not the delay-based rate
        assertThat(l.limit()).isEqualTo(562_500);
        l.onReport(13, 1_000_000);                        // 5 %: hold
        assertThat(l.limit()).isEqualTo(562_500);
        l.onReport(0, 1_000_000);
        assertThat(l.limit()).isEqualTo(607_500);
        for (int i = 0; i < 7; i++) {
            l.onReport(0, 1_000_000);
        }
        assertThat(l.limit()).as("at the delay-based rate: no longer binding").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aProbeThatGotThroughLiftsTheBound() {
        LossLimit l = new LossLimit();
        l.onReport(255, 400_000);
        assertThat(l.limit()).isEqualTo(200_781);
        l.raiseTo(900_000);
        assertThat(l.limit()).isEqualTo(900_000);
        l.raiseTo(100_000);
        assertThat(l.limit()).isEqualTo(900_000);
    }
}
