package dev.parley.server.dependencydescriptor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The frame numbers a receiver sees across simulcast switches (docs/svc.md, "AV1 simulcast"):
 * the switch frame follows the last one sent, whatever the new layer's own number, modulo 2^16;
 * only the frame number bytes of a descriptor change.
 */
class FrameNumberingTest {
    private final FrameNumbering numbering = new FrameNumbering();

    @Test
    void theFirstLayerKeepsItsNumbers() {
        assertThat(numbering.shiftFor(12_345)).isZero();
        assertThat(numbering.lastSent()).isEqualTo(-1);
    }

    @Test
    void aSwitchToALayerNumberedBehindContinuesAfterTheLastFrameSent() {
        numbering.sent(40_000);
        numbering.sent(40_001);
        int shift = numbering.shiftFor(1_000);
        assertThat((1_000 + shift) & 0xFFFF).isEqualTo(40_002);
        assertThat((1_001 + shift) & 0xFFFF).as("the layer's later frames keep their spacing").isEqualTo(40_003);
    }

    @Test
    void aSwitchToALayerNumberedFarAheadDoesNotJump() {
        numbering.sent(10);
        int shift = numbering.shiftFor(10 + 40_000);       // more than half the space: read as backwards by an unwrapper
        assertThat((10 + 40_000 + shift) & 0xFFFF).isEqualTo(11);
    }

    @Test
    void wrapsAround65535() {
        numbering.sent(65_534);
        numbering.sent(65_535);
        int shift = numbering.shiftFor(300);
        assertThat((300 + shift) & 0xFFFF).isZero();
        numbering.sent(0);
        numbering.sent(1);
        assertThat(numbering.lastSent()).as("0 and 1 are after 65535").isEqualTo(1);
        assertThat((7 + numbering.shiftFor(7)) & 0xFFFF).isEqualTo(2);
    }

    @Test
    void anOlderFrameSentLate_reordering_doesNotMoveTheLastBack() {
        numbering.sent(100);
        numbering.sent(99);
        numbering.sent(100);
        assertThat(numbering.lastSent()).isEqualTo(100);
        numbering.sent(-1);                                 // a descriptor too short to hold one
        assertThat(numbering.lastSent()).isEqualTo(100);
    }

    @Test
    void shiftRewritesOnlyTheFrameNumberInPlace_mandatoryAndExtendedDescriptors() {
        byte[] mandatory = DescriptorWriter.mandatory(true, false, 37, 65_530);
        byte[] buf = new byte[mandatory.length + 4];
        System.arraycopy(mandatory, 0, buf, 2, mandatory.length);
        FrameNumbering.shift(buf, 2, mandatory.length, 10);
        DependencyDescriptor reader = new DependencyDescriptor();
        byte[] withStructure = DescriptorWriter.withStructure(DescriptorWriter.l1t3(), 0, true, 65_535);
        byte[] shifted = withStructure.clone();
        FrameNumbering.shift(shifted, 0, shifted.length, 2);
        assertThat(reader.parse(shifted, 0, shifted.length)).isTrue();
        assertThat(reader.frameNumber()).as("65535 + 2 wraps").isEqualTo(1);
        assertThat(reader.structureAttached()).isTrue();
        assertThat(reader.startOfFrame()).isTrue();
        assertThat(reader.endOfFrame()).isTrue();
        for (int i = 0; i < withStructure.length; i++) {
            if (i != 1 && i != 2) {
                assertThat(shifted[i]).as("byte %d", i).isEqualTo(withStructure[i]);
            }
        }
        assertThat(FrameNumbering.frameNumber(buf, 2, mandatory.length)).isEqualTo(4);
        assertThat(buf[2]).as("start, end, template id untouched").isEqualTo(mandatory[0]);
        assertThat(buf[0]).isZero();
        assertThat(buf[buf.length - 1]).isZero();
    }

    @Test
    void aDescriptorTooShortIsLeftAlone() {
        byte[] two = {(byte) 0x80, 0x01};
        FrameNumbering.shift(two, 0, two.length, 5);
        assertThat(two).containsExactly((byte) 0x80, 0x01);
        assertThat(FrameNumbering.frameNumber(two, 0, two.length)).isEqualTo(-1);
        assertThat(FrameNumbering.frameNumber(new byte[3], 1, 3)).as("past the buffer's end").isEqualTo(-1);
    }
}
