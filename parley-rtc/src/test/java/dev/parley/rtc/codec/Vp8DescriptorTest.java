package dev.parley.rtc.codec;

import static dev.parley.rtc.codec.Bytes.of;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Vp8DescriptorTest {
    private final Vp8Descriptor d = new Vp8Descriptor();

    @Test
    void keyframeStartWith15BitPictureId() {
        byte[] p = of(0x90, 0x80, 0x81, 0x23, 0x10, 0x02, 0x00);
        assertThat(d.parse(p, 0, p.length)).isTrue();
        assertThat(d.isStartOfFrame()).isTrue();
        assertThat(d.isKeyframe()).isTrue();
        assertThat(d.pictureId()).isEqualTo(0x123);
        assertThat(d.pictureIdBits()).isEqualTo(15);
        assertThat(d.tl0PicIdx()).isEqualTo(-1);
        assertThat(d.hasTid()).isFalse();
        assertThat(d.length()).isEqualTo(4);
    }

    @Test
    void MD7_temporalLayerFieldsWith7BitPictureId() {
        // X S | I L T K | pid 5 | TL0PICIDX 0x42 | TID=2 Y=1 KEYIDX=3 | VP8 header with P=1
        byte[] p = of(0x90, 0xF0, 0x05, 0x42, 0xA3, 0x01);
        assertThat(d.parse(p, 0, p.length)).isTrue();
        assertThat(d.pictureId()).isEqualTo(5);
        assertThat(d.pictureIdBits()).isEqualTo(7);
        assertThat(d.tl0PicIdx()).isEqualTo(0x42);
        assertThat(d.tid()).isEqualTo(2);
        assertThat(d.layerSync()).isTrue();
        assertThat(d.keyIdx()).isEqualTo(3);
        assertThat(d.length()).isEqualTo(5);
        assertThat(d.isStartOfFrame()).isTrue();
        assertThat(d.isKeyframe()).isFalse();
    }

    @Test
    void continuationAndOtherPartitionsAreNotFrameStarts() {
        byte[] cont = of(0x80, 0x80, 0x05, 0x00);
        assertThat(d.parse(cont, 0, cont.length)).isTrue();
        assertThat(d.isStartOfFrame()).isFalse();
        assertThat(d.isKeyframe()).isFalse();
        byte[] partition1 = of(0x11, 0x00);
        assertThat(d.parse(partition1, 0, partition1.length)).isTrue();
        assertThat(d.isStartOfPartition()).isTrue();
        assertThat(d.partitionIndex()).isEqualTo(1);
        assertThat(d.isStartOfFrame()).isFalse();
    }

    @Test
    void minimalDescriptorAndNonReferenceBit() {
        byte[] p = of(0x30, 0x00);
        assertThat(d.parse(p, 0, p.length)).isTrue();
        assertThat(d.isNonReference()).isTrue();
        assertThat(d.isKeyframe()).isTrue();
        assertThat(d.hasPictureId()).isFalse();
        assertThat(d.pictureId()).isEqualTo(-1);
        assertThat(d.length()).isEqualTo(1);
    }

    @Test
    void keyframeNeedsThePayloadHeaderByte() {
        byte[] p = of(0x90, 0x80, 0x05);
        assertThat(d.parse(p, 0, p.length)).isTrue();
        assertThat(d.isStartOfFrame()).isTrue();
        assertThat(d.isKeyframe()).isFalse();
    }

    @Test
    void truncatedDescriptorsAreRejected() {
        assertThat(d.parse(of(), 0, 0)).isFalse();
        assertThat(d.parse(of(0x90), 0, 1)).isFalse();
        assertThat(d.parse(of(0x90, 0x80), 0, 2)).isFalse();
        assertThat(d.parse(of(0x90, 0x80, 0x81), 0, 3)).isFalse();
        assertThat(d.parse(of(0x90, 0xC0, 0x05), 0, 3)).isFalse();
        assertThat(d.parse(of(0x90, 0x20), 0, 2)).isFalse();
        byte[] good = of(0x90, 0xF0, 0x81, 0x23, 0x42, 0xA3);
        for (int n = 0; n < good.length; n++) {
            assertThat(d.parse(good, 0, n)).as("length %d", n).isFalse();
        }
        assertThat(d.parse(good, 0, good.length)).isTrue();
    }

    @Test
    void MD7_pictureIdRewriteKeepsWidthAndWraps() {
        byte[] p15 = of(0x90, 0x80, 0xFF, 0xFF, 0x10);
        assertThat(Vp8Descriptor.addToPictureId(p15, 0, p15.length, 1)).isTrue();
        assertThat(p15).isEqualTo(of(0x90, 0x80, 0x80, 0x00, 0x10));
        assertThat(Vp8Descriptor.rewritePictureId(p15, 0, p15.length, 0x1234)).isTrue();
        d.parse(p15, 0, p15.length);
        assertThat(d.pictureId()).isEqualTo(0x1234);
        assertThat(d.pictureIdBits()).isEqualTo(15);

        byte[] p7 = of(0x90, 0xE0, 0x7F, 0x42, 0x40, 0x10);
        assertThat(Vp8Descriptor.addToPictureId(p7, 0, p7.length, 3)).isTrue();
        d.parse(p7, 0, p7.length);
        assertThat(d.pictureId()).isEqualTo(2);
        assertThat(d.tl0PicIdx()).isEqualTo(0x42);
        assertThat(d.tid()).isEqualTo(1);

        byte[] atOffset = of(0xEE, 0xEE, 0x90, 0x80, 0x05, 0x10);
        assertThat(Vp8Descriptor.addToPictureId(atOffset, 2, 4, -6)).isTrue();
        assertThat(atOffset[4]).isEqualTo((byte) 0x7F);
        assertThat(atOffset[0]).isEqualTo((byte) 0xEE);
    }

    @Test
    void rewriteWithoutPictureIdOrTruncatedWritesNothing() {
        byte[] noX = of(0x10, 0x00, 0x00);
        assertThat(Vp8Descriptor.rewritePictureId(noX, 0, 3, 9)).isFalse();
        assertThat(noX).isEqualTo(of(0x10, 0x00, 0x00));
        byte[] noI = of(0x90, 0x40, 0x05);
        assertThat(Vp8Descriptor.rewritePictureId(noI, 0, 3, 9)).isFalse();
        assertThat(noI).isEqualTo(of(0x90, 0x40, 0x05));
        byte[] cut = of(0x90, 0x80, 0x81);
        assertThat(Vp8Descriptor.rewritePictureId(cut, 0, 3, 9)).isFalse();
        assertThat(cut).isEqualTo(of(0x90, 0x80, 0x81));
    }
}
