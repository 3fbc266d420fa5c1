package dev.parley.server.estimator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LossLimitTest {
    @Test
    void highLossCutsLowLossLiftsAndInBetweenHolds() {
        LossLimit l = new LossLimit();
        assertThat(l.limit()).isEqualTo(Long.MAX_VALUE);
        l.onReport(128, 1_000_000);                       // 50 % lost
        assertThat(l.limit()).isEqualTo(750_000);
        l.onReport(13, 700_000);                          // 5 %: hold
        assertThat(l.limit()).isEqualTo(750_000);
        l.onReport(0, 700_000);
        assertThat(l.limit()).isEqualTo(810_000);
        for (int i = 0; i < 20; i++) {
            l.onReport(0, 700_000);
        }
        assertThat(l.limit()).isEqualTo(Long.MAX_VALUE);
    }
}
