package dev.parley.bench.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameTrackerTest {
    private static final long MS = 1_000_000L;

    /** Frame f: 3 packets (seq 3f..3f+2), timestamp 3000 f, nominally at 33 ms f. */
    private static void frame(FrameTracker t, int f, long at, int skip) {
        for (int k = 0; k < 3; k++) {
            if (k != skip) {
                t.onPacket(3L * f + k, 3000L * f, k == 0, k == 2, at);
            }
        }
    }

    @Test
    void aFrameCountsOnceAllItsPacketsArrivedAndALongGapIsAFreeze() {
        FrameTracker t = new FrameTracker();
        for (int f = 0; f < 10; f++) {
            frame(t, f, f * 33 * MS, f >= 3 && f < 30 ? 1 : -1);        // frames 3..9 lose their middle packet
        }
        assertThat(t.framesShown()).isEqualTo(3);
        for (int f = 10; f < 20; f++) {
            frame(t, f, f * 33 * MS, -1);
        }
        assertThat(t.framesShown()).isEqualTo(13);
        assertThat(t.freezes(19 * 33 * MS)).isZero();                   // 2 → 10 is 264 ms: not a freeze
        for (int f = 40; f < 45; f++) {
            frame(t, f, f * 33 * MS, -1);                               // 19 → 40: 693 ms
        }
        assertThat(t.freezes(44 * 33 * MS)).isEqualTo(1);
        assertThat(t.frozenNanos(44 * 33 * MS)).isEqualTo(21 * 33 * MS);
    }

    @Test
    void aFreezeStillGoingOnCountsUpToNowAndAStreamWithNoCompleteFrameIsFrozenFromItsFirstPacket() {
        FrameTracker t = new FrameTracker();
        frame(t, 0, 100 * MS, -1);
        assertThat(t.freezes(500 * MS)).isZero();
        assertThat(t.freezes(700 * MS)).isEqualTo(1);
        assertThat(t.frozenNanos(700 * MS)).isEqualTo(600 * MS);
        FrameTracker never = new FrameTracker();
        for (int f = 0; f < 60; f++) {
            frame(never, f, 1000 * MS + f * 33 * MS, 1);                // every frame misses a packet
        }
        assertThat(never.framesShown()).isZero();
        assertThat(never.frozenNanos(3000 * MS)).isEqualTo(2000 * MS);
        assertThat(never.freezes(3000 * MS)).isEqualTo(1);
    }

    @Test
    void aRetransmissionCompletesAFrameButNotAfterALaterOneWasShown() {
        FrameTracker t = new FrameTracker();
        frame(t, 0, 0, 1);
        t.onPacket(1, 0, false, false, 10 * MS);                        // repaired in time
        assertThat(t.framesShown()).isEqualTo(1);
        frame(t, 1, 33 * MS, 1);
        frame(t, 2, 66 * MS, -1);
        t.onPacket(4, 3000, false, false, 80 * MS);                     // frame 1 completes after frame 2
        assertThat(t.framesShown()).isEqualTo(2);
    }
}
