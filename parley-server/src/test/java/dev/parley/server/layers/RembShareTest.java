package dev.parley.server.layers;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A simulcast layer's REMB share (MD9, and where Parley departs from it for issue #14). */
class RembShareTest {
    private final RembShare share = new RembShare();

    @Test
    void MD9_aLayerNobodyGetsOrWaitsForGets512Kilobits() {
        assertThat(share.share()).isEqualTo(512_000);
    }

    @Test
    void MD9_theReceiversThatGetTheLayerLimitItToTheirLowestEstimateFlooredAt204800() {
        share.receiver(900_000);
        share.receiver(300_000);
        assertThat(share.share()).isEqualTo(300_000);
        share.receiver(50_000);
        assertThat(share.share()).isEqualTo(204_800);
        share.start();
        assertThat(share.share()).as("a new layer").isEqualTo(512_000);
    }

    @Test
    void MD9_aLayerSomeoneGetsIsLimitedByItWhoeverWaitsForIt() {
        share.waiting(2_000_000);
        share.receiver(300_000);
        assertThat(share.share()).isEqualTo(300_000);
    }

    /** Beyond MD9 (issue #14): enough for libwebrtc to resume a paused large layer a receiver could take. */
    @Test
    void MD9_aLayerReceiversWaitForGetsTheBestOfTheirEstimatesAndNeverLessThanNobodysShare() {
        share.waiting(700_000);
        share.waiting(1_300_000);
        assertThat(share.share()).isEqualTo(1_300_000);
        share.start();
        share.waiting(100_000);                 // moving up on an estimate below it: the hold's probe
        assertThat(share.share()).isEqualTo(512_000);
    }

    @Test
    void aReceiverWouldTakeALayerItsEstimateIsNotClearlyShortOf() {
        assertThat(RembShare.wouldTake(450_000, 600_000)).as("3/4 of it").isTrue();
        assertThat(RembShare.wouldTake(449_999, 600_000)).isFalse();
        assertThat(RembShare.wouldTake(5_000_000, 0)).as("never sent: its cost is unknown").isFalse();
        assertThat(RembShare.wouldTake(-1, 600_000)).as("no estimate").isFalse();
    }
}
