package dev.parley.server.estimator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AimdRateControllerTest {
    @Test
    void unknownUntilSomethingWasAcknowledgedThenStartsThere() {
        AimdRateController c = new AimdRateController();
        assertThat(c.update(BandwidthUsage.NORMAL, -1, 0)).isEqualTo(-1);
        assertThat(c.update(BandwidthUsage.NORMAL, 800_000, 0)).isEqualTo(800_000);
    }

    @Test
    void overuseCutsToEightyFivePercentOfWhatGotThroughOncePerResponseTime() {
        AimdRateController c = new AimdRateController();
        c.update(BandwidthUsage.NORMAL, 1_000_000, 0);
        assertThat(c.update(BandwidthUsage.OVERUSING, 600_000, 100)).isEqualTo(510_000);
        assertThat(c.update(BandwidthUsage.OVERUSING, 600_000, 150)).as("same episode").isEqualTo(510_000);
        assertThat(c.update(BandwidthUsage.UNDERUSING, 500_000, 400)).as("draining: hold").isEqualTo(510_000);
    }

    @Test
    void normalIncreasesMultiplicativelyFarFromTheLastCapacityAndAdditivelyNearIt() {
        AimdRateController far = new AimdRateController();
        far.update(BandwidthUsage.NORMAL, 1_000_000, 0);
        long r = far.update(BandwidthUsage.NORMAL, 1_000_000, 1_000);
        assertThat(r).isEqualTo(1_080_000);

        AimdRateController near = new AimdRateController();
        near.update(BandwidthUsage.NORMAL, 1_000_000, 0);
        near.update(BandwidthUsage.OVERUSING, 1_000_000, 0);                // capacity ≈ 1 Mbit/s, rate 850k
        long before = near.rate();
        long after = near.update(BandwidthUsage.NORMAL, 900_000, 1_000);
        assertThat(after - before).isEqualTo(48_000);
    }

    @Test
    void neverAboveOneAndAHalfTimesTheAcknowledgedRateUnlessAProbeShowedMore() {
        AimdRateController c = new AimdRateController();
        c.update(BandwidthUsage.NORMAL, 200_000, 0);
        for (long t = 1_000; t <= 60_000; t += 1_000) {
            c.update(BandwidthUsage.NORMAL, 200_000, t);
        }
        assertThat(c.rate()).isEqualTo(310_000);
        c.raiseTo(1_500_000, 61_000);
        assertThat(c.update(BandwidthUsage.NORMAL, 200_000, 62_000)).isEqualTo(1_500_000);
    }

    @Test
    void aCutStartsFromWhatGotThroughEvenWhenTheRateHadLaggedBelowIt() {
        // held at 1.5 × a small layer, then a larger one filled a 300 kbit/s link
        AimdRateController c = new AimdRateController();
        for (long t = 0; t <= 10_000; t += 1_000) {
            c.update(BandwidthUsage.NORMAL, 150_000, t);
        }
        assertThat(c.rate()).isEqualTo(235_000);
        assertThat(c.update(BandwidthUsage.OVERUSING, 300_000, 10_500)).isEqualTo(255_000);
        assertThat(c.decreases()).isEqualTo(1);
    }
}
