package dev.parley.server.estimator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProbeControllerTest {
    @Test
    void probesAtTwiceTheEstimateButNeverAboveWhatTheReceiverCouldUse() {
        ProbeController c = new ProbeController();
        assertThat(c.probeRate(300_000, 2_000_000, false, 0)).isEqualTo(600_000);
        ProbeController capped = new ProbeController();
        assertThat(capped.probeRate(1_500_000, 2_000_000, false, 0)).isEqualTo(2_000_000);
        ProbeController done = new ProbeController();
        assertThat(done.probeRate(1_950_000, 2_000_000, false, 0)).as("nothing worth probing for").isEqualTo(-1);
        assertThat(new ProbeController().probeRate(1_850_000, 2_000_000, false, 0)).as("just under the need")
                .isEqualTo(2_000_000);
        assertThat(done.probeRate(-1, 2_000_000, false, 0)).isEqualTo(-1);
        assertThat(done.probeRate(300_000, 2_000_000, true, 0)).as("not into a queue").isEqualTo(-1);
    }

    /** Issue #14: after failures stretched the wait, a probe that raised the estimate is followed 1 s later, not 5. */
    @Test
    void aSuccessAfterFailuresRampsOnWithoutWaitingOutTheStretchedInterval() {
        ProbeController c = new ProbeController();
        long t = 0;
        assertThat(c.probeRate(100_000, 2_000_000, false, t)).isPositive();
        for (int i = 0; i < 4; i++) {                                    // behind a limit: nothing gets through
            t += c.intervalMs();
            assertThat(c.probeRate(100_000, 2_000_000, false, t)).isPositive();
        }
        assertThat(c.intervalMs()).isEqualTo(ProbeController.MAX_INTERVAL_MS);
        t += c.intervalMs();
        assertThat(c.probeRate(100_000, 2_000_000, false, t)).as("the limit is lifted").isEqualTo(200_000);
        assertThat(c.probeRate(190_000, 2_000_000, false, t + 999)).as("raised, but 1 s apart").isEqualTo(-1);
        assertThat(c.probeRate(190_000, 2_000_000, false, t + 1_000)).isEqualTo(380_000);
        assertThat(c.intervalMs()).isEqualTo(ProbeController.FIRST_INTERVAL_MS);
    }

    @Test
    void probesAgainSoonAfterASuccessAndBacksOffAfterFailures() {
        ProbeController c = new ProbeController();
        assertThat(c.probeRate(300_000, 5_000_000, false, 0)).isPositive();
        assertThat(c.probeRate(300_000, 5_000_000, false, 500)).as("too soon").isEqualTo(-1);
        assertThat(c.probeRate(600_000, 5_000_000, false, 1_000)).as("it worked: again").isEqualTo(1_200_000);
        assertThat(c.intervalMs()).isEqualTo(ProbeController.FIRST_INTERVAL_MS);
        assertThat(c.probeRate(600_000, 5_000_000, false, 2_000)).as("it did not: wait longer").isEqualTo(1_200_000);
        assertThat(c.intervalMs()).isEqualTo(2_000);
        assertThat(c.probeRate(600_000, 5_000_000, false, 3_000)).isEqualTo(-1);
        assertThat(c.probeRate(600_000, 5_000_000, false, 4_000)).isPositive();
        assertThat(c.intervalMs()).isEqualTo(4_000);
    }

    /** Issue #14: a limited link is not probed while it gives way; once the cuts stop, it is again. */
    @Test
    void noProbeWithinTheQuietTimeAfterTheLinkGaveWay() {
        ProbeController c = new ProbeController();
        long cut = 10_000;
        assertThat(c.probeRate(300_000, 2_000_000, false, cut, cut + 100)).as("just cut").isEqualTo(-1);
        assertThat(c.probeRate(300_000, 2_000_000, false, cut, cut + ProbeController.QUIET_AFTER_CUT_MS - 1)).isEqualTo(-1);
        assertThat(c.probeRate(300_000, 2_000_000, false, cut, cut + ProbeController.QUIET_AFTER_CUT_MS))
                .isEqualTo(600_000);
        assertThat(c.intervalMs()).as("the skipped probes did not double the wait").isEqualTo(ProbeController.FIRST_INTERVAL_MS);
        assertThat(new ProbeController().probeRate(300_000, 2_000_000, false, ProbeController.NO_CUT, 0)).isPositive();
    }

    /**
     * Issue #14: a move to a smaller layer after the cut lets probes resume a second after it,
     * not after the whole quiet time (the large layer's queue drains once it stops); a move up
     * holds them for a second (the new layer loads the link, and the acknowledged rate a cut
     * would start from still counts the smaller one).
     */
    @Test
    void MD14_aMoveAfterTheCutEndsTheQuietTimeAndAnyMoveHoldsProbesASecond() {
        ProbeController c = new ProbeController();
        long cut = 10_000;
        c.layerChanged(cut + 5);                                          // down, at the cut
        assertThat(c.probeRate(150_000, 2_000_000, false, cut, cut + 5 + ProbeController.SETTLE_AFTER_SWITCH_MS - 1))
                .isEqualTo(-1);
        assertThat(c.probeRate(150_000, 2_000_000, false, cut, cut + 5 + ProbeController.SETTLE_AFTER_SWITCH_MS))
                .as("a second after the move, not 4 s after the cut").isEqualTo(300_000);

        ProbeController draining = new ProbeController();
        draining.layerChanged(cut - 300);                                 // a cut while the old layer's queue drains
        assertThat(draining.probeRate(150_000, 2_000_000, false, cut, cut - 300 + ProbeController.SETTLE_AFTER_SWITCH_MS))
                .as("still about the old layer").isEqualTo(300_000);

        ProbeController before = new ProbeController();
        before.layerChanged(cut - 1_500);                                 // the move came well before the cut
        assertThat(before.probeRate(150_000, 2_000_000, false, cut, cut + 2_000)).as("the cut's quiet time stands")
                .isEqualTo(-1);

        ProbeController up = new ProbeController();
        up.layerChanged(20_000);
        assertThat(up.probeRate(300_000, 2_000_000, false, ProbeController.NO_CUT, 20_500)).as("just moved up")
                .isEqualTo(-1);
        assertThat(up.probeRate(300_000, 2_000_000, false, ProbeController.NO_CUT, 21_000)).isEqualTo(600_000);
    }
}
