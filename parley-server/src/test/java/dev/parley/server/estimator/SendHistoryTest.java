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
}
