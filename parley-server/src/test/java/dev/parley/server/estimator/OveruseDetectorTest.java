package dev.parley.server.estimator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OveruseDetectorTest {
    @Test
    void overuseNeedsTheTrendAboveTheThresholdForTenMillisecondsOverTwoGroups() {
        OveruseDetector d = new OveruseDetector();
        assertThat(d.detect(20, 5, 0)).isEqualTo(BandwidthUsage.NORMAL);       // 2.5 ms over: not yet
        assertThat(d.detect(21, 5, 5)).isEqualTo(BandwidthUsage.NORMAL);       // 7.5 ms
        assertThat(d.detect(22, 5, 10)).isEqualTo(BandwidthUsage.OVERUSING);   // 12.5 ms, rising
    }

    @Test
    void aFallingTrendIsNotOveruseAndANegativeOneIsUnderuse() {
        OveruseDetector d = new OveruseDetector();
        d.detect(30, 10, 0);
        assertThat(d.detect(20, 10, 10)).as("above the threshold but falling").isEqualTo(BandwidthUsage.NORMAL);
        assertThat(d.detect(-30, 10, 20)).isEqualTo(BandwidthUsage.UNDERUSING);
        assertThat(d.detect(0, 10, 30)).isEqualTo(BandwidthUsage.NORMAL);
    }

    @Test
    void theThresholdFollowsTheTrendUpSlowlyDownFasterAndIgnoresSpikes() {
        OveruseDetector d = new OveruseDetector();
        for (int t = 0; t < 1000; t += 10) {
            d.detect(20, 10, t);                                             // within reach: it adapts up
        }
        double raised = d.threshold();
        assertThat(raised).isGreaterThan(OveruseDetector.INITIAL_THRESHOLD).isLessThanOrEqualTo(20);
        d.detect(500, 10, 1010);                                              // a spike: ignored
        assertThat(d.threshold()).isEqualTo(raised);
        for (int t = 1020; t < 2000; t += 10) {
            d.detect(0, 10, t);
        }
        assertThat(d.threshold()).isEqualTo(6.0);                            // down to its floor
    }
}
