package dev.parley.bench.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.bench.metrics.SequenceTracker.Arrival;
import org.junit.jupiter.api.Test;

class SequenceTrackerTest {

    @Test
    void lossIsExpectedMinusDistinctReceived() {
        SequenceTracker t = new SequenceTracker();
        for (int s = 100; s < 200; s++) {
            if (s % 10 != 3) {             // lose 10 of 100
                t.onPacket(s);
            }
        }
        assertThat(t.expected()).isEqualTo(100);  // 100..199
        assertThat(t.received()).isEqualTo(90);
    }

    @Test
    void aRetransmissionFillsTheHoleOnceAndDuplicatesDoNotCount() {
        SequenceTracker t = new SequenceTracker();
        assertThat(t.onPacket(1)).isEqualTo(Arrival.FIRST);
        assertThat(t.onPacket(2)).isEqualTo(Arrival.IN_ORDER);
        assertThat(t.onPacket(5)).isEqualTo(Arrival.GAP);
        assertThat(t.lastGapStart()).isEqualTo(3);
        assertThat(t.lastGapEnd()).isEqualTo(5);
        assertThat(t.isMissing(3)).isTrue();
        assertThat(t.missedOnArrival()).isEqualTo(2);          // 3 and 4: loss before repair
        assertThat(t.lastExtended()).isEqualTo(5);
        assertThat(t.onPacket(3)).isEqualTo(Arrival.RECOVERED);
        assertThat(t.onPacket(3)).isEqualTo(Arrival.DUPLICATE);
        assertThat(t.onPacket(5)).isEqualTo(Arrival.DUPLICATE);
        assertThat(t.isMissing(3)).isFalse();
        assertThat(t.isMissing(4)).isTrue();
        assertThat(t.expected()).isEqualTo(5);
        assertThat(t.received()).isEqualTo(4);
    }

    @Test
    void sequenceNumbersWrapAround() {
        SequenceTracker t = new SequenceTracker();
        for (int i = 0; i < 200; i++) {
            if (i != 150) {
                t.onPacket((65_500 + i) & 0xFFFF);
            }
        }
        assertThat(t.highest()).isEqualTo(65_500 + 199);
        assertThat(t.expected()).isEqualTo(200);
        assertThat(t.received()).isEqualTo(199);
    }

    @Test
    void packetsOlderThanTheWindowAreIgnored() {
        SequenceTracker t = new SequenceTracker();
        t.onPacket(10);
        t.onPacket(10 + 2 * SequenceTracker.WINDOW);
        assertThat(t.onPacket(11)).isEqualTo(Arrival.TOO_OLD);
        assertThat(t.onPacket(5)).isEqualTo(Arrival.TOO_OLD);       // before the first packet
        assertThat(t.received()).isEqualTo(2);
    }
}
