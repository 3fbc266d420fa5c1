package dev.parley.server.jitter;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JitterTest {

    @Test
    void regularStreamHasNoJitter() {
        Jitter j = new Jitter(90000);
        for (int i = 0; i < 100; i++) {
            j.onPacket(3000L * i, 33_333_333L * i + 1_000_000_000L);
        }
        assertThat(j.jitter()).isLessThanOrEqualTo(1);
    }

    @Test
    void alternatingDelayConvergesToItsTransitDifference() {
        // every other packet arrives 10 ms late: |D| = 10 ms = 480 ticks at 48 kHz on each packet
        Jitter j = new Jitter(48000);
        for (int i = 0; i < 400; i++) {
            long arrival = 20_000_000L * i + (i % 2 == 0 ? 0 : 10_000_000L);
            j.onPacket(960L * i, arrival);
        }
        assertThat(j.jitter()).isBetween(470L, 480L);
        assertThat(j.jitterSeconds()).isBetween(0.0097, 0.0101);
    }

    @Test
    void rfc3550RecurrenceOnAFewSamples() {
        Jitter j = new Jitter(1000); // 1 tick = 1 ms
        long[][] samples = {{0, 0}, {20, 25}, {40, 40}, {60, 70}};
        double expected = 0;
        long prevTs = 0;
        long prevArrival = 0;
        for (int i = 0; i < samples.length; i++) {
            j.onPacket(samples[i][0], samples[i][1] * 1_000_000L);
            if (i > 0) {
                double d = Math.abs((samples[i][1] - prevArrival) - (samples[i][0] - prevTs));
                expected += (d - expected) / 16;
            }
            prevTs = samples[i][0];
            prevArrival = samples[i][1];
        }
        assertThat((double) j.jitter()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1.0));
        assertThat(j.jitter()).isPositive();
    }

    @Test
    void timestampWrapIsNotAJump() {
        Jitter j = new Jitter(90000);
        long ts = 0xFFFF_FFFFL - 3000;
        for (int i = 0; i < 10; i++) {
            j.onPacket((ts + 3000L * i) & 0xFFFF_FFFFL, 33_333_333L * i);
        }
        assertThat(j.jitter()).isLessThanOrEqualTo(1);
    }
}
