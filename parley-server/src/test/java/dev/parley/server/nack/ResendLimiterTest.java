package dev.parley.server.nack;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResendLimiterTest {
    /** MD13: a packet is resent once per round trip however often the receiver asks. */
    @Test
    void MD13_aPacketIsResentAtMostOncePerRoundTrip() {
        ResendLimiter l = new ResendLimiter();
        assertThat(l.tryResend(7, 0, 300)).isTrue();
        assertThat(l.tryResend(7, 100, 300)).as("asked again 100 ms later: still queued").isFalse();
        assertThat(l.tryResend(7, 299, 300)).isFalse();
        assertThat(l.tryResend(8, 100, 300)).as("another packet").isTrue();
        assertThat(l.tryResend(7, 300, 300)).as("a round trip later: lost again").isTrue();
        assertThat(l.tryResend(7, 400, 300)).isFalse();
    }

    @Test
    void aNewerPacketInTheSameSlotIsNotHeldBackByTheOldOne() {
        ResendLimiter l = new ResendLimiter();
        assertThat(l.tryResend(5, 0, 1000)).isTrue();
        assertThat(l.tryResend(5 + ResendLimiter.CAPACITY, 10, 1000)).isTrue();
        assertThat(l.tryResend(0xFFFF, 10, 1000)).isTrue();
        assertThat(l.tryResend(0xFFFF, 20, 1000)).isFalse();
    }
}
