package dev.parley.server.seqmap;

import dev.parley.rtc.codec.Vp8Descriptor;
import dev.parley.rtc.codec.Vp9Descriptor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue #14, MD7: picture numbering shifted in place, modulo each field's width, other bits kept. */
class PictureIndicesTest {
    @Test
    void vp8PictureIdTl0PicIdxAndKeyIdxWrapAtTheirWidths() {
        // X; I, L, T, K; 15-bit picture id 0x7FFE; TL0PICIDX 250; TID 2, Y, KEYIDX 30
        byte[] p = {(byte) 0x90, (byte) 0xF0, (byte) 0xFF, (byte) 0xFE, (byte) 250, (byte) (0x80 | 0x20 | 30), 0x10};
        assertThat(PictureIndices.shiftVp8(p, 0, p.length, 3, 10, 5)).isTrue();
        Vp8Descriptor d = new Vp8Descriptor();
        assertThat(d.parse(p, 0, p.length)).isTrue();
        assertThat(d.pictureId()).isEqualTo(1);                   // 0x7FFE + 3 mod 2^15
        assertThat(d.pictureIdBits()).isEqualTo(15);
        assertThat(d.tl0PicIdx()).isEqualTo(4);                    // 250 + 10 mod 2^8
        assertThat(d.keyIdx()).isEqualTo(3);                       // 30 + 5 mod 2^5
        assertThat(d.tid()).isEqualTo(2);
        assertThat(d.layerSync()).isTrue();
        assertThat(d.isStartOfFrame()).isTrue();
    }

    @Test
    void vp8SevenBitPictureIdStaysSevenBits() {
        byte[] p = {(byte) 0x90, (byte) 0x80, (byte) 0x7F, 0x10};
        assertThat(PictureIndices.shiftVp8(p, 0, p.length, 2, 0, 0)).isTrue();
        Vp8Descriptor d = new Vp8Descriptor();
        assertThat(d.parse(p, 0, p.length)).isTrue();
        assertThat(d.pictureIdBits()).isEqualTo(7);
        assertThat(d.pictureId()).isEqualTo(1);
    }

    @Test
    void vp9PictureIdAndTl0PicIdxInNonFlexibleMode() {
        // I, L, B, E; 15-bit picture id 100; TID 1, SID 0; TL0PICIDX 255
        byte[] p = {(byte) (0x80 | 0x20 | 0x08 | 0x04), (byte) 0x80, 100, (byte) (1 << 5), (byte) 255, (byte) 0x80};
        assertThat(PictureIndices.shiftVp9(p, 0, p.length, -101, 1)).isTrue();
        Vp9Descriptor d = new Vp9Descriptor();
        assertThat(d.parse(p, 0, p.length)).isTrue();
        assertThat(d.pictureId()).isEqualTo(0x7FFF);               // 100 - 101 mod 2^15
        assertThat(d.tl0PicIdx()).isZero();
        assertThat(d.tid()).isEqualTo(1);
        assertThat(d.isStartOfFrame()).isTrue();
        assertThat(d.isEndOfFrame()).isTrue();
    }

    @Test
    void truncatedDescriptorsAreReportedNotOverrun() {
        assertThat(PictureIndices.shiftVp8(new byte[] {(byte) 0x90, (byte) 0x80, (byte) 0x80}, 0, 3, 1, 0, 0)).isFalse();
        assertThat(PictureIndices.shiftVp9(new byte[] {(byte) 0xA0, (byte) 0x05}, 0, 2, 1, 1)).isFalse();
    }
}
