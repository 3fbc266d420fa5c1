package dev.parley.rtc.codec;

import static dev.parley.rtc.codec.Bytes.of;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Vp9DescriptorTest {
    private final Vp9Descriptor d = new Vp9Descriptor();

    @Test
    void MD7_nonFlexibleKeyframeWithLayerIndices() {
        // I L B E | pid 0x0102 (15 bit) | TID=1 U=1 SID=2 D=0 | TL0PICIDX 7 | frame header profile 0 key
        byte[] p = of(0xAC, 0x81, 0x02, 0x34, 0x07, 0x80, 0x00);
        assertThat(d.parse(p, 0, p.length)).isTrue();
        assertThat(d.pictureId()).isEqualTo(0x102);
        assertThat(d.pictureIdBits()).isEqualTo(15);
        assertThat(d.tid()).isEqualTo(1);
        assertThat(d.switchingUp()).isTrue();
        assertThat(d.sid()).isEqualTo(2);
        assertThat(d.interLayerDependency()).isFalse();
        assertThat(d.tl0PicIdx()).isEqualTo(7);
        assertThat(d.isStartOfFrame()).isTrue();
        assertThat(d.isEndOfFrame()).isTrue();
        assertThat(d.isKeyframe()).isTrue();
        assertThat(d.length()).isEqualTo(5);
    }

    @Test
    void interFrameIsNotKeyframe() {
        byte[] p = of(0xEC, 0x05, 0x21, 0x07, 0x84);
        assertThat(d.parse(p, 0, p.length)).isTrue();
        assertThat(d.isInterPicturePredicted()).isTrue();
        assertThat(d.interLayerDependency()).isTrue();
        assertThat(d.tid()).isEqualTo(1);
        assertThat(d.isKeyframe()).isFalse();
    }

    @Test
    void profile3KeyframeBitsAreShifted() {
        assertThat(d.parse(of(0x08, 0xB0), 0, 2)).isTrue();
        assertThat(d.isKeyframe()).isTrue();
        assertThat(d.parse(of(0x08, 0xB2), 0, 2)).isTrue();
        assertThat(d.isKeyframe()).isFalse();
        // show_existing_frame set: not a keyframe even with frame_type 0
        assertThat(d.parse(of(0x08, 0x88), 0, 2)).isTrue();
        assertThat(d.isKeyframe()).isFalse();
    }

    @Test
    void flexibleModeSkipsReferenceDiffs() {
        // I P L F B | pid 5 | layer byte | P_DIFF with N=1 | P_DIFF with N=0 | data
        byte[] p = of(0xF8, 0x05, 0x00, 0x03, 0x04, 0x84);
        assertThat(d.parse(p, 0, p.length)).isTrue();
        assertThat(d.isFlexible()).isTrue();
        assertThat(d.tl0PicIdx()).isEqualTo(-1);
        assertThat(d.length()).isEqualTo(5);
    }

    @Test
    void scalabilityStructureIsSkippedToReachTheFrameHeader() {
        // I B V | pid 1 | SS: N_S=1 Y G | 2 x (w,h) | N_G=1 | T/U/R=1 | P_DIFF | frame header
        byte[] p = of(0x8A, 0x01, 0x38, 0x01, 0x40, 0x00, 0xB4, 0x02, 0x80, 0x01, 0x68, 0x01, 0x04, 0x01, 0x80);
        assertThat(d.parse(p, 0, p.length)).isTrue();
        assertThat(d.hasScalabilityStructure()).isTrue();
        assertThat(d.length()).isEqualTo(14);
        assertThat(d.isKeyframe()).isTrue();
        for (int n = 0; n < 14; n++) {
            assertThat(d.parse(p, 0, n)).as("length %d", n).isFalse();
        }
    }

    @Test
    void truncatedDescriptorsAreRejected() {
        assertThat(d.parse(of(), 0, 0)).isFalse();
        assertThat(d.parse(of(0x80), 0, 1)).isFalse();
        assertThat(d.parse(of(0x80, 0x81), 0, 2)).isFalse();
        assertThat(d.parse(of(0x20, 0x00), 0, 2)).isFalse();
        assertThat(d.parse(of(0x50, 0x01), 0, 2)).isFalse();
    }
}
