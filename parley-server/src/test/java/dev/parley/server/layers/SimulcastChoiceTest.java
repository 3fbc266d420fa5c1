package dev.parley.server.layers;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-receiver simulcast layer choice (issue #14): fast down, held up, longer holds after failures. */
class SimulcastChoiceTest {
    private final SimulcastChoice choice = new SimulcastChoice();
    private static final long HIGH = 800_000;
    private static final long NONE = SimulcastChoice.NO_CUT;

    @Test
    void twoCongestedReportsInARowGoDownOneDoesNot() {
        assertThat(choice.onReport(60, -1, HIGH, NONE, 0)).isFalse();          // 23 % loss once
        assertThat(choice.onReport(0, -1, HIGH, NONE, 1000)).isFalse();
        assertThat(choice.onReport(60, -1, HIGH, NONE, 2000)).isFalse();
        assertThat(choice.onReport(60, -1, HIGH, NONE, 3000)).isTrue();
        assertThat(choice.low()).isTrue();
    }

    @Test
    void aReceiverEstimateBelowTheHighLayerIsCongestionTooOnceItHadTimeToRise() {
        assertThat(choice.onReport(0, 300_000, HIGH, NONE, 0)).isFalse();
        assertThat(choice.onReport(0, 300_000, HIGH, NONE, 1000)).as("the estimate is still rising").isFalse();
        long t = SimulcastChoice.ESTIMATE_GRACE_MS;
        assertThat(choice.onReport(0, 2_000_000, HIGH, NONE, t)).isFalse();
        assertThat(choice.onReport(0, 700_000, HIGH, NONE, t + 500)).as("a little under: not yet").isFalse();
        assertThat(choice.onReport(0, 300_000, HIGH, NONE, t + 1000)).isFalse();
        assertThat(choice.onReport(0, 300_000, HIGH, NONE, t + 2000)).isTrue();
    }

    @Test
    void estimatesBetweenReportsGoDownOnceTheShortfallHasLastedASecondAndOnlyAReportEndsIt() {
        long t = SimulcastChoice.ESTIMATE_GRACE_MS;
        choice.onReport(0, 2_000_000, HIGH, NONE, 0);
        assertThat(choice.onEstimate(0, 300_000, HIGH, NONE, t)).isFalse();          // transport feedback, every ~100 ms
        assertThat(choice.onEstimate(0, 900_000, HIGH, NONE, t + 300)).as("one high sample: no reset").isFalse();
        assertThat(choice.onEstimate(0, 300_000, HIGH, NONE, t + 999)).isFalse();
        assertThat(choice.onEstimate(0, 300_000, HIGH, NONE, t + 1000)).as("a second of shortfall").isTrue();

        SimulcastChoice other = new SimulcastChoice();
        other.onReport(0, 2_000_000, HIGH, NONE, 0);
        other.onEstimate(0, 300_000, HIGH, NONE, t);
        assertThat(other.onReport(0, 900_000, HIGH, NONE, t + 500)).as("a clear report ends it").isFalse();
        assertThat(other.onEstimate(0, 300_000, HIGH, NONE, t + 1000)).isFalse();
        assertThat(other.onEstimate(0, 300_000, HIGH, NONE, t + 2000)).isTrue();
    }

    @Test
    void anEstimateThatCoveredTheHighLayerAndFellNeedsNoGrace() {
        choice.onReport(0, 300_000, HIGH, NONE, 0);
        assertThat(choice.onEstimate(0, 300_000, HIGH, NONE, 1000)).as("ramping up: grace").isFalse();
        choice.onReport(0, 900_000, HIGH, NONE, 2000);                            // it covered the layer
        assertThat(choice.onEstimate(0, 300_000, HIGH, NONE, 3000)).isFalse();
        assertThat(choice.onEstimate(0, 300_000, HIGH, NONE, 4000)).as("fell: down within the grace").isTrue();
    }

    @Test
    void goesBackUpOnlyAfterTheHoldWithoutCongestionAndHoldsLongerAfterAFailedTry() {
        choice.onReport(60, -1, HIGH, NONE, 0);
        choice.onReport(60, -1, HIGH, NONE, 1000);                             // low at 1 s
        assertThat(choice.onReport(0, -1, HIGH, NONE, 5000)).isFalse();
        assertThat(choice.onReport(60, -1, HIGH, NONE, 6000)).as("loss on the low layer restarts the hold").isFalse();
        assertThat(choice.onReport(0, -1, HIGH, NONE, 6000 + SimulcastChoice.FIRST_HOLD_MS - 1)).isFalse();
        assertThat(choice.onReport(0, -1, HIGH, NONE, 6000 + SimulcastChoice.FIRST_HOLD_MS)).isTrue();
        assertThat(choice.low()).isFalse();
        long t = 6000 + SimulcastChoice.FIRST_HOLD_MS;
        choice.onReport(60, -1, HIGH, NONE, t + 1000);
        assertThat(choice.onReport(60, -1, HIGH, NONE, t + 2000)).as("the try failed").isTrue();
        assertThat(choice.holdMs()).isEqualTo(2 * SimulcastChoice.FIRST_HOLD_MS);
    }

    @Test
    void aLongStayOnTheHighLayerResetsTheHold() {
        choice.onReport(60, -1, HIGH, NONE, 0);
        choice.onReport(60, -1, HIGH, NONE, 1000);
        choice.onReport(0, -1, HIGH, NONE, 1000 + SimulcastChoice.FIRST_HOLD_MS);   // up
        long t = 1000 + SimulcastChoice.FIRST_HOLD_MS + SimulcastChoice.STABLE_MS;
        choice.onReport(60, -1, HIGH, NONE, t);
        choice.onReport(60, -1, HIGH, NONE, t + 1000);
        assertThat(choice.low()).isTrue();
        assertThat(choice.holdMs()).isEqualTo(SimulcastChoice.FIRST_HOLD_MS);
    }

    // ---- the link's own signal (the send-side estimator cut its rate: over-use or loss) ----

    @Test
    void anEstimateStillRampingUpAtTheStartDoesNotGoDownWithinTheGrace() {
        // a fresh send-side estimate climbs from what was sent: short of the layer, never cut
        for (long t = 0; t < SimulcastChoice.ESTIMATE_GRACE_MS; t += 100) {
            long rising = 300_000 + t * 20;                          // 300 -> 500 kbit/s, under 3/4 of HIGH
            boolean changed = t % 1000 == 0 ? choice.onReport(0, rising, HIGH, NONE, t)
                    : choice.onEstimate(0, rising, HIGH, NONE, t);
            assertThat(changed).as("at %d ms", t).isFalse();
        }
        assertThat(choice.low()).isFalse();
    }

    @Test
    void aLinkThatGaveWayGoesDownAfterCongestedMsEvenInsideTheGrace() {
        choice.onReport(0, 300_000, HIGH, NONE, 0);
        choice.onEstimate(0, 350_000, HIGH, NONE, 1500);                    // ramping: nothing
        long cut = 2000;                                                   // over-use: the AIMD decreased
        assertThat(choice.onEstimate(0, 250_000, HIGH, cut, cut)).isFalse();
        assertThat(choice.onEstimate(0, 260_000, HIGH, cut, cut + 100)).isFalse();
        assertThat(choice.onReport(0, 255_000, HIGH, cut, cut + 500)).as("a report still short: not clear").isFalse();
        assertThat(choice.onEstimate(0, 255_000, HIGH, cut, cut + SimulcastChoice.CONGESTED_MS - 1)).isFalse();
        assertThat(choice.onEstimate(0, 255_000, HIGH, cut, cut + SimulcastChoice.CONGESTED_MS))
                .as("a second after the estimate showed the limit, well inside the 10 s grace").isTrue();
        assertThat(choice.low()).isTrue();
    }

    @Test
    void aCutIsNotCongestionWhileTheEstimateStillCoversTheLayer() {
        choice.onReport(0, 700_000, HIGH, NONE, 0);
        assertThat(choice.onEstimate(0, 680_000, HIGH, 1000, 1000)).isFalse();   // over-use, but 680 > 3/4 of 800
        assertThat(choice.onEstimate(0, 680_000, HIGH, 1000, 3000)).isFalse();
        assertThat(choice.low()).isFalse();
    }

    @Test
    void aCutBeforeTheLastSwitchDoesNotSkipTheGraceAfterIt() {
        choice.onReport(0, 200_000, HIGH, 500, 500);
        choice.onReport(0, 200_000, HIGH, 500, 1500);                         // down at 1.5 s
        assertThat(choice.low()).isTrue();
        long up = 1500 + SimulcastChoice.FIRST_HOLD_MS;
        assertThat(choice.onReport(0, 200_000, HIGH, 500, up)).as("up after the hold, as before").isTrue();
        // the estimate still shows the small layer's traffic and climbs; the old cut is not news
        assertThat(choice.onEstimate(0, 250_000, HIGH, 500, up + 1000)).isFalse();
        assertThat(choice.onReport(0, 300_000, HIGH, 500, up + 2000)).isFalse();
        assertThat(choice.onEstimate(0, 350_000, HIGH, 500, up + 3000)).isFalse();
        // a new cut after the switch up: the link cannot carry the high layer yet
        assertThat(choice.onEstimate(0, 300_000, HIGH, up + 3500, up + 3500)).isFalse();
        assertThat(choice.onEstimate(0, 300_000, HIGH, up + 3500, up + 4500)).isTrue();
        assertThat(choice.holdMs()).as("going up failed").isEqualTo(2 * SimulcastChoice.FIRST_HOLD_MS);
    }

    @Test
    void onTheLowLayerOnlyLossAndTheHoldDecideCutsDoNot() {
        choice.onReport(60, -1, HIGH, NONE, 0);
        choice.onReport(60, -1, HIGH, NONE, 1000);                             // low at 1 s
        assertThat(choice.low()).isTrue();
        // the estimate is small and cut now and then while the small layer is sent: not a reason to stay
        assertThat(choice.onEstimate(0, 100_000, HIGH, 3000, 3000)).isFalse();
        assertThat(choice.onReport(0, 100_000, HIGH, 3000, 1000 + SimulcastChoice.FIRST_HOLD_MS)).isTrue();
        assertThat(choice.low()).isFalse();
    }
}
