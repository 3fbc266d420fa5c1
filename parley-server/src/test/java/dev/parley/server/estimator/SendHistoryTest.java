package dev.parley.server.estimator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SendHistoryTest {
    @Test
    void remembersPacketsAcrossTheSequenceWrapAndAcknowledgesEachOnce() {
        SendHistory h = new SendHistory();
        for (int i = 0; i < 0x10000 + 10; i++) {
            int seq = h.nextSequence();
            assertThat(seq).isEqualTo(i & 0xFFFF);
            h.sent(100 + (i & 7), i * 10L, i == 0x10005 ? 9 : SendHistory.NO_CLUSTER);
        }
        int slot = h.acknowledge(5);                           // the second time round
        assertThat(slot).isNotNegative();
        assertThat(h.sentMicros(slot)).isEqualTo(0x10005 * 10L);
        assertThat(h.cluster(slot)).isEqualTo(9);
        assertThat(h.size(slot)).isEqualTo(100 + 5);
        assertThat(h.acknowledge(5)).as("reported twice").isEqualTo(-1);
        assertThat(h.acknowledge(20)).as("not sent yet this time round").isEqualTo(-1);
        assertThat(h.acknowledge(0x10000 - SendHistory.CAPACITY - 1)).as("forgotten").isEqualTo(-1);
        assertThat(h.acknowledge(0x10000 - 1)).isNotNegative();
    }

    @Test
    void aPacketSentAgainUnderItsNumberIsNoNewSendAndIsMarked() {
        SendHistory h = new SendHistory();
        for (int i = 0; i < 10; i++) {
            h.sent(1000, i * 1000L, SendHistory.NO_CLUSTER);
        }
        h.sentAgain(4);
        h.sentAgain(SendHistory.CAPACITY + 4);                  // not a number it remembers
        assertThat(h.nextSequence()).as("nothing numbered for the resend").isEqualTo(10);
        int slot = h.acknowledge(4);
        assertThat(h.resent(slot)).isTrue();
        assertThat(h.sentMicros(slot)).as("the first sending's time, kept").isEqualTo(4000);
        assertThat(h.resent(h.acknowledge(5))).isFalse();
        for (int i = 0; i < SendHistory.CAPACITY; i++) {
            h.sent(1000, 0, SendHistory.NO_CLUSTER);
        }
        assertThat(h.resent(h.acknowledge(SendHistory.CAPACITY + 4))).as("the slot reused: a fresh packet").isFalse();
    }
}
