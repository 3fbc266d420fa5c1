package dev.parley.server.seqmap;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SeqMapTest {
    private final SeqMap m = new SeqMap();

    @Test
    void identityWithoutDropsAcrossWrap() {
        for (int i = 0; i < 20; i++) {
            int s = (65530 + i) & 0xFFFF;
            assertThat(m.map(s, -1)).isEqualTo(s);
            assertThat(m.pictureIdDelta()).isZero();
        }
        assertThat(m.reverse(3)).isEqualTo(3);
    }

    @Test
    void MD7_inOrderDropsKeepOutputContiguous() {
        assertThat(m.map(100, -1)).isEqualTo(100);
        assertThat(m.map(101, -1)).isEqualTo(101);
        assertThat(m.drop(102, -1)).isTrue();
        assertThat(m.drop(103, -1)).isTrue();
        assertThat(m.map(104, -1)).isEqualTo(102);
        assertThat(m.map(105, -1)).isEqualTo(103);
        assertThat(m.drop(106, -1)).isTrue();
        assertThat(m.map(107, -1)).isEqualTo(104);
    }

    @Test
    void dropOutOfOrderIsRefused() {
        m.map(10, -1);
        assertThat(m.drop(12, -1)).isFalse(); // 11 has not been seen
        assertThat(m.drop(9, -1)).isFalse();
        assertThat(new SeqMap().drop(1, -1)).isFalse();
        assertThat(m.map(12, -1)).isEqualTo(12);
    }

    @Test
    void pitfall2_latePacketsMapWithTheirStretchAndDroppedOnesNever() {
        m.map(10, -1);
        m.map(12, -1); // 11 lost upstream for now
        assertThat(m.drop(13, -1)).isTrue();
        assertThat(m.map(14, -1)).isEqualTo(13);
        assertThat(m.map(11, -1)).isEqualTo(11); // late arrival keeps the old offset
        assertThat(m.map(13, -1)).isEqualTo(-1); // was dropped
        assertThat(m.map(9, -1)).isEqualTo(-1); // before anything we know
    }

    @Test
    void MD13_reverseMapsReceiverNacksBack() {
        m.map(10, -1);
        m.map(11, -1);
        m.drop(12, -1);
        m.map(13, -1);
        m.map(15, -1); // 14 lost upstream
        assertThat(m.reverse(10)).isEqualTo(10);
        assertThat(m.reverse(11)).isEqualTo(11);
        assertThat(m.reverse(12)).isEqualTo(13);
        assertThat(m.reverse(13)).isEqualTo(14);
        assertThat(m.reverse(14)).isEqualTo(15);
        assertThat(m.reverse(15)).isEqualTo(-1); // not produced yet
        assertThat(m.reverse(9)).isEqualTo(-1);
        assertThat(new SeqMap().reverse(1)).isEqualTo(-1);
    }

    @Test
    void MD7_pictureIdsStayContiguousWhenFramesAreDropped() {
        // frames: pid 1 (seq 1-2), pid 2 (seq 3-4) dropped, pid 3 (seq 5), pid 4 dropped (6), pid 5 (7)
        m.map(1, 1);
        m.map(2, 1);
        assertThat(m.pictureIdDelta()).isZero();
        m.drop(3, 2);
        m.drop(4, 2);
        assertThat(m.map(5, 3)).isEqualTo(3);
        assertThat(m.pictureIdDelta()).isEqualTo(1);
        m.drop(6, 4);
        assertThat(m.map(7, 5)).isEqualTo(4);
        assertThat(m.pictureIdDelta()).isEqualTo(2);
        assertThat(m.map(2, 1)).isEqualTo(2); // a late retransmission uses its own delta
        assertThat(m.pictureIdDelta()).isZero();
    }

    @Test
    void pictureIdDeltaWrapsAt15Bits() {
        m.map(1, 0x7FFF);
        m.drop(2, 0);
        assertThat(m.map(3, 1)).isEqualTo(2);
        assertThat(m.pictureIdDelta()).isEqualTo(1);
    }

    @Test
    void bigJumpForgetsHistoryButKeepsOffset() {
        m.map(1, -1);
        m.drop(2, -1);
        assertThat(m.map(3, -1)).isEqualTo(2);
        assertThat(m.map(30000, -1)).isEqualTo(29999);
        assertThat(m.map(30001, -1)).isEqualTo(30000);
        assertThat(m.reverse(29999)).isEqualTo(30000);
        assertThat(m.reverse(2)).isEqualTo(-1); // produced before the jump: forgotten
    }

    @Test
    void randomDropPatternsGiveContiguousOutputAndExactReverse() {
        Random r = new Random(3);
        int seq = 65000;
        int expectedOut = -1;
        List<int[]> sent = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            int s = (seq + i) & 0xFFFF;
            if (i > 0 && r.nextInt(4) == 0) {
                assertThat(m.drop(s, -1)).isTrue();
                continue;
            }
            int o = m.map(s, -1);
            if (expectedOut >= 0) {
                assertThat(o).isEqualTo((expectedOut + 1) & 0xFFFF);
            }
            expectedOut = o;
            sent.add(new int[] {s, o});
        }
        // the last 30 sent packets can be found again from the receiver's NACK
        for (int[] p : sent.subList(sent.size() - 30, sent.size())) {
            assertThat(m.reverse(p[1])).isEqualTo(p[0]);
            assertThat(m.map(p[0], -1)).isEqualTo(p[1]);
        }
    }

    @Test
    void longStretchesBeyond65536PacketsStillMapLatePackets() {
        m.map(0, -1);
        m.drop(1, -1);
        for (int i = 2; i < 70_000; i++) {
            assertThat(m.map(i & 0xFFFF, -1)).isEqualTo((i - 1) & 0xFFFF);
        }
        int late = (70_000 - 100) & 0xFFFF;
        assertThat(m.map(late, -1)).isEqualTo((late - 1) & 0xFFFF);
        assertThat(m.reverse((late - 1) & 0xFFFF)).isEqualTo(late);
    }

    /** Issue #14: another source continues the output; each packet maps back to its own source's number. */
    @Test
    void aSwitchOfSourceContinuesTheNumberingAndNacksMapBackToTheRightSource() {
        for (int s = 100; s < 110; s++) {
            assertThat(m.map(s, 500 + s)).isEqualTo(s);
        }
        assertThat(m.drop(110, 610)).isTrue();                       // a dropped picture before the switch
        int epoch = m.switchSource(40_000, 7);
        assertThat(epoch).isEqualTo(1).isEqualTo(m.epoch());
        assertThat(m.map(40_000, 7)).as("follows the last sent").isEqualTo(110);
        assertThat((7 - m.pictureIdDelta()) & 0x7FFF).as("picture id follows the last sent").isEqualTo(610);
        assertThat(m.map(40_001, 8)).isEqualTo(111);
        assertThat(m.map(39_999, 6)).as("the new source's packets from before the switch were never sent").isEqualTo(-1);

        assertThat(m.reverse(105)).isEqualTo(105);
        assertThat(m.reversedEpoch()).isZero();
        assertThat(m.reverse(111)).isEqualTo(40_001);
        assertThat(m.reversedEpoch()).isEqualTo(1);
        assertThat(m.mapInEpoch(0, 105)).as("a resend of the old source, numbered as sent").isEqualTo(105);
        assertThat(m.mapInEpoch(0, 40_001)).isEqualTo(-1);
        assertThat(m.mapInEpoch(1, 105)).isEqualTo(-1);

        m.switchSource(120, 620);                                    // back to the first source, further on
        assertThat(m.map(120, 620)).isEqualTo(112);
        assertThat(m.mapInEpoch(0, 105)).isEqualTo(105);
        assertThat(m.reverse(112)).isEqualTo(120);
        assertThat(m.reversedEpoch()).isEqualTo(2);
    }
}
