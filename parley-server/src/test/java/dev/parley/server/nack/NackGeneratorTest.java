package dev.parley.server.nack;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class NackGeneratorTest {
    private final NackGenerator g = new NackGenerator();
    private final int[] out = new int[64];

    private int[] collect(long now) {
        return Arrays.copyOf(out, g.collect(now, out));
    }

    @Test
    void MD13_nackOnlyOnceLateByTwoPacketsAndTwentyMs() {
        g.onPacket(100, 0);
        g.onPacket(102, 1); // 101 missing, 1 packet late
        assertThat(g.isMissing(101)).isTrue();
        assertThat(collect(30)).isEmpty(); // 29 ms but only one packet late
        g.onPacket(103, 31); // now two packets late, but noticed at 1 ms: 30 ms ago
        assertThat(collect(31)).containsExactly(101);
    }

    @Test
    void twoPacketsLateButTooRecentWaitsForTwentyMs() {
        g.onPacket(1, 0);
        g.onPacket(3, 100);
        g.onPacket(4, 101);
        g.onPacket(5, 102);
        assertThat(collect(110)).isEmpty();
        assertThat(collect(120)).containsExactly(2);
    }

    @Test
    void arrivalCancelsAndRetriesStopAfterTen() {
        g.setRetryIntervalMs(50);
        g.onPacket(10, 0);
        g.onPacket(14, 0); // 11, 12, 13 missing
        g.onPacket(15, 0);
        g.onPacket(16, 0);
        assertThat(collect(20)).containsExactly(11, 12, 13);
        assertThat(collect(40)).isEmpty(); // retry interval not elapsed
        g.onPacket(12, 45);
        assertThat(collect(70)).containsExactly(11, 13);
        long t = 70;
        int tries = 2;
        while (g.missing() > 0) {
            t += 50;
            assertThat(collect(t)).containsExactly(11, 13);
            tries++;
        }
        assertThat(tries).isEqualTo(NackGenerator.MAX_TRIES);
        assertThat(collect(t + 1000)).isEmpty();
    }

    @Test
    void gapAcrossWrapIsOrdered() {
        g.onPacket(65533, 0);
        g.onPacket(1, 0);
        g.onPacket(2, 0);
        assertThat(collect(20)).containsExactly(65534, 65535, 0);
    }

    @Test
    void hugeJumpResetsAndDuplicatesAreHarmless() {
        g.onPacket(1, 0);
        g.onPacket(5, 0);
        g.onPacket(5, 0);
        assertThat(g.missing()).isEqualTo(3);
        g.onPacket(20000, 0);
        assertThat(g.missing()).isZero();
        g.onPacket(20002, 0);
        g.onPacket(20003, 0);
        assertThat(collect(100)).containsExactly(20001);
    }

    @Test
    void outputIsBoundedByTheCallerArrayAndTrackedSetByCapacity() {
        g.onPacket(0, 0);
        g.onPacket(400, 0); // 399 missing: only the newest CAPACITY kept
        assertThat(g.missing()).isEqualTo(NackGenerator.CAPACITY);
        assertThat(g.isMissing(1)).isFalse();
        assertThat(g.isMissing(399)).isTrue();
        int[] small = new int[10];
        assertThat(g.collect(100, small)).isEqualTo(10);
        assertThat(small[0]).isEqualTo(400 - NackGenerator.CAPACITY);
    }

    @Test
    void longBackwardJumpIsFollowed() {
        g.onPacket(5000, 0);
        g.onPacket(5002, 0);
        g.onPacket(100, 10); // source restarted lower
        assertThat(g.missing()).isZero();
        g.onPacket(102, 10);
        g.onPacket(103, 10);
        assertThat(collect(50)).containsExactly(101);
    }
}
