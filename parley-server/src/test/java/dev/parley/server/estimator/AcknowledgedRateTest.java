package dev.parley.server.estimator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AcknowledgedRateTest {
    /** 1200-byte packets arriving back to back at {@code bps} from {@code fromUs} for {@code ms}, sent 20 ms earlier. */
    private static long paced(AcknowledgedRate r, long fromUs, long ms, long bps) {
        long gap = 1200 * 8_000_000L / bps;
        long t = fromUs;
        for (; t < fromUs + ms * 1000; t += gap) {
            r.add(1200, t - 20_000, t);
        }
        return t;
    }

    @Test
    void unknownUntilAWholeWindowArrivedThenTheRateOfALinkPacingArrivals() {
        AcknowledgedRate r = new AcknowledgedRate();
        assertThat(r.bitsPerSecond()).isEqualTo(-1);
        long t = paced(r, 0, 400, 300_000);
        assertThat(r.bitsPerSecond()).as("400 ms seen").isEqualTo(-1);
        assertThat(r.recentBitsPerSecond()).as("but the short windows are full").isEqualTo(300_000);
        paced(r, t, 200, 300_000);
        assertThat(r.bitsPerSecond()).isEqualTo(300_000);
    }

    @Test
    void theRecentRateIsWhatArrivedSinceTheQueueFormedNotTheHalfSecondBefore() {
        // 150 kbit/s for 5 s, then the link paced at 300 kbit/s for 300 ms: a cut happens here
        AcknowledgedRate r = new AcknowledgedRate();
        long t = paced(r, 0, 5_000, 150_000);
        paced(r, t, 300, 300_000);
        assertThat(r.recentBitsPerSecond()).isEqualTo(300_000);
        assertThat(r.bitsPerSecond()).as("the half second still counts the small layer").isBetween(200_000L, 260_000L);
    }

    @Test
    void aShortWindowWithTooFewBytesFallsBackToALongerOne() {
        AcknowledgedRate r = new AcknowledgedRate();
        paced(r, 0, 2_000, 120_000);          // 150 ms hold 2.25 KB, 250 ms 3.75 KB: too little
        assertThat(r.recentBitsPerSecond()).isEqualTo(r.bitsPerSecond()).isEqualTo(120_000);
    }

    @Test
    void aBurstAfterAStallReadsNoMoreThanWhatWasSent() {
        AcknowledgedRate r = new AcknowledgedRate();
        long t = paced(r, 0, 1_000, 300_000);
        // 300 ms of sending at 300 kbit/s held up on the way, then delivered within 30 ms
        long sent = t - 20_000;
        for (int i = 0; i < 10; i++) {
            r.add(1200, sent + i * 32_000L, t + 300_000 + i * 3_000L);
        }
        assertThat(r.recentBitsPerSecond()).isLessThanOrEqualTo(330_000L);
    }

    @Test
    void reorderedArrivalsCountAndAClockThatJumpsBackStartsAfresh() {
        AcknowledgedRate r = new AcknowledgedRate();
        long t = paced(r, 0, 1_000, 300_000) - 32_000;     // the last arrival
        r.add(1200, t, t - 5_000);            // reordered: counted as arriving with the last
        assertThat(r.bitsPerSecond()).isBetween(300_000L, 330_000L);
        r.add(1200, t, t - 5_000_000);        // not reordering
        assertThat(r.bitsPerSecond()).isEqualTo(-1);
    }
}
