package dev.parley.server.estimator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrendlineFilterTest {
    @Test
    void constantDelayHasNoTrendAndAGrowingQueueAPositiveOne() {
        TrendlineFilter flat = new TrendlineFilter();
        TrendlineFilter growing = new TrendlineFilter();
        TrendlineFilter draining = new TrendlineFilter();
        double f = 0, g = 0, d = 0;
        for (int i = 0; i < 40; i++) {
            long at = i * 33_000L;
            f = flat.update(33, 33, at);
            g = growing.update(33, 36, at);              // 3 ms more queue per group
            d = draining.update(33, 30, at);
        }
        assertThat(f).isEqualTo(0.0);
        assertThat(g).isGreaterThan(OveruseDetector.INITIAL_THRESHOLD);
        assertThat(d).isLessThan(-OveruseDetector.INITIAL_THRESHOLD);
    }

    @Test
    void noTrendUntilTheWindowIsFull() {
        TrendlineFilter t = new TrendlineFilter();
        for (int i = 0; i < TrendlineFilter.WINDOW - 1; i++) {
            assertThat(t.update(10, 20, i * 10_000L)).isEqualTo(0.0);
        }
        assertThat(t.update(10, 20, TrendlineFilter.WINDOW * 10_000L)).isPositive();
    }
}
