package dev.parley.server.layers;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-receiver simulcast layer choice (issue #14): fast down, held up, longer holds after failures. */
class SimulcastChoiceTest {
    private final SimulcastChoice choice = new SimulcastChoice();
    private static final long HIGH = 800_000;

    @Test
    void twoCongestedReportsInARowGoDownOneDoesNot() {
        assertThat(choice.onReport(60, -1, HIGH, 0)).isFalse();          // 23 % loss once
        assertThat(choice.onReport(0, -1, HIGH, 1000)).isFalse();
        assertThat(choice.onReport(60, -1, HIGH, 2000)).isFalse();
        assertThat(choice.onReport(60, -1, HIGH, 3000)).isTrue();
        assertThat(choice.low()).isTrue();
    }

    @Test
    void aReceiverEstimateBelowTheHighLayerIsCongestionTooOnceItHadTimeToRise() {
        assertThat(choice.onReport(0, 300_000, HIGH, 0)).isFalse();
        assertThat(choice.onReport(0, 300_000, HIGH, 1000)).as("the estimate is still rising").isFalse();
        long t = SimulcastChoice.ESTIMATE_GRACE_MS;
        assertThat(choice.onReport(0, 2_000_000, HIGH, t)).isFalse();
        assertThat(choice.onReport(0, 700_000, HIGH, t + 500)).as("a little under: not yet").isFalse();
        assertThat(choice.onReport(0, 300_000, HIGH, t + 1000)).isFalse();
        assertThat(choice.onReport(0, 300_000, HIGH, t + 2000)).isTrue();
    }

    @Test
    void estimatesBetweenReportsGoDownOnceTheShortfallHasLastedASecondAndOnlyAReportEndsIt() {
        long t = SimulcastChoice.ESTIMATE_GRACE_MS;
        choice.onReport(0, 2_000_000, HIGH, 0);
        assertThat(choice.onEstimate(0, 300_000, HIGH, t)).isFalse();          // transport feedback, every ~100 ms
        assertThat(choice.onEstimate(0, 900_000, HIGH, t + 300)).as("one high sample: no reset").isFalse();
        assertThat(choice.onEstimate(0, 300_000, HIGH, t + 999)).isFalse();
        assertThat(choice.onEstimate(0, 300_000, HIGH, t + 1000)).as("a second of shortfall").isTrue();

        SimulcastChoice other = new SimulcastChoice();
        other.onReport(0, 2_000_000, HIGH, 0);
        other.onEstimate(0, 300_000, HIGH, t);
        assertThat(other.onReport(0, 900_000, HIGH, t + 500)).as("a clear report ends it").isFalse();
        assertThat(other.onEstimate(0, 300_000, HIGH, t + 1000)).isFalse();
        assertThat(other.onEstimate(0, 300_000, HIGH, t + 2000)).isTrue();
    }

    @Test
    void anEstimateThatCoveredTheHighLayerAndFellNeedsNoGrace() {
        choice.onReport(0, 300_000, HIGH, 0);
        assertThat(choice.onEstimate(0, 300_000, HIGH, 1000)).as("ramping up: grace").isFalse();
        choice.onReport(0, 900_000, HIGH, 2000);                            // it covered the layer
        assertThat(choice.onEstimate(0, 300_000, HIGH, 3000)).isFalse();
        assertThat(choice.onEstimate(0, 300_000, HIGH, 4000)).as("fell: down within the grace").isTrue();
    }

    @Test
    void goesBackUpOnlyAfterTheHoldWithoutCongestionAndHoldsLongerAfterAFailedTry() {
        choice.onReport(60, -1, HIGH, 0);
        choice.onReport(60, -1, HIGH, 1000);                             // low at 1 s
        assertThat(choice.onReport(0, -1, HIGH, 5000)).isFalse();
        assertThat(choice.onReport(60, -1, HIGH, 6000)).as("loss on the low layer restarts the hold").isFalse();
        assertThat(choice.onReport(0, -1, HIGH, 6000 + SimulcastChoice.FIRST_HOLD_MS - 1)).isFalse();
        assertThat(choice.onReport(0, -1, HIGH, 6000 + SimulcastChoice.FIRST_HOLD_MS)).isTrue();
        assertThat(choice.low()).isFalse();
        long t = 6000 + SimulcastChoice.FIRST_HOLD_MS;
        choice.onReport(60, -1, HIGH, t + 1000);
        assertThat(choice.onReport(60, -1, HIGH, t + 2000)).as("the try failed").isTrue();
        assertThat(choice.holdMs()).isEqualTo(2 * SimulcastChoice.FIRST_HOLD_MS);
    }

    @Test
    void aLongStayOnTheHighLayerResetsTheHold() {
        choice.onReport(60, -1, HIGH, 0);
        choice.onReport(60, -1, HIGH, 1000);
        choice.onReport(0, -1, HIGH, 1000 + SimulcastChoice.FIRST_HOLD_MS);   // up
        long t = 1000 + SimulcastChoice.FIRST_HOLD_MS + SimulcastChoice.STABLE_MS;
        choice.onReport(60, -1, HIGH, t);
        choice.onReport(60, -1, HIGH, t + 1000);
        assertThat(choice.low()).isTrue();
        assertThat(choice.holdMs()).isEqualTo(SimulcastChoice.FIRST_HOLD_MS);
    }
}
