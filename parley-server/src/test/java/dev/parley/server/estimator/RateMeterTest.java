package dev.parley.server.estimator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateMeterTest {

    @Test
    void rateOfLastCompletedWindow() {
        RateMeter m = new RateMeter(1000);
        for (int t = 0; t < 1000; t += 10) {
            m.add(1000, t);
        }
        assertThat(m.bitsPerSecond(999)).isZero(); // first window still open
        assertThat(m.bitsPerSecond(1000)).isEqualTo(800_000);
        assertThat(m.packetsPerSecond(1000)).isEqualTo(100);
        for (int t = 1000; t < 2000; t += 20) {
            m.add(500, t);
        }
        assertThat(m.bitsPerSecond(1500)).isEqualTo(800_000);
        assertThat(m.bitsPerSecond(2000)).isEqualTo(200_000);
        assertThat(m.totalPackets()).isEqualTo(150);
        assertThat(m.totalBytes()).isEqualTo(125_000);
        assertThat(m.bitsPerSecond(4000)).isZero();
    }

    @Test
    void clockGoingBackwardsStartsAfresh() {
        RateMeter m = new RateMeter(100);
        m.add(1000, 1000);
        m.add(1000, 500);
        m.add(1000, 550);
        assertThat(m.bitsPerSecond(600)).isEqualTo(2000 * 8 * 1000 / 100);
    }
}
