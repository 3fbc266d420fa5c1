package dev.parley.rtc.codec;

import static dev.parley.rtc.codec.Bytes.of;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.rtc.rtp.RtpPacket;
import org.junit.jupiter.api.Test;

class PacketFlagsTest {
    private final PacketFlags f = new PacketFlags();

    @Test
    void MD7_vp8FlagsFromRtpPacket() {
        byte[] pkt = of(0x80, 0xE0, 0x00, 0x05, 0, 0, 0, 1, 0, 0, 0, 2,
                0xB0, 0xE0, 0x85, 0x00, 0x11, 0x60, 0x01);
        RtpPacket p = new RtpPacket();
        assertThat(p.wrap(pkt, 0, pkt.length)).isTrue();
        assertThat(f.parse(VideoCodec.VP8, p)).isTrue();
        assertThat(f.marker()).isTrue();
        assertThat(f.end()).isTrue();
        assertThat(f.start()).isTrue();
        assertThat(f.keyframe()).isFalse();
        assertThat(f.pictureId()).isEqualTo(0x500);
        assertThat(f.tid()).isEqualTo(1);
        assertThat(f.tidUpSync()).isTrue();
        assertThat(f.sidUpSync()).isFalse();
        assertThat(f.discardable()).isTrue();
    }

    @Test
    void vp8KeyframeIsAnUpSyncPointForBothLayers() {
        assertThat(f.parse(VideoCodec.VP8, false, of(0x10, 0x00), 0, 2)).isTrue();
        assertThat(f.keyframe()).isTrue();
        assertThat(f.tidUpSync()).isTrue();
        assertThat(f.sidUpSync()).isTrue();
        assertThat(f.end()).isFalse();
    }

    @Test
    void MD10_vp9SpatialLayerFlags() {
        // L B E Z | TID=0 SID=1 D=1 | TL0 | inter frame header
        assertThat(f.parse(VideoCodec.VP9, true, of(0x2D, 0x03, 0x00, 0x84), 0, 4)).isTrue();
        assertThat(f.sid()).isEqualTo(1);
        assertThat(f.start()).isTrue();
        assertThat(f.end()).isTrue();
        assertThat(f.sidNonReference()).isTrue();
        assertThat(f.sidUpSync()).isTrue(); // P=0
        assertThat(f.tidUpSync()).isFalse();
    }

    @Test
    void audioOnlyCarriesTheMarkerAndTruncationIsReported() {
        assertThat(f.parse(VideoCodec.OTHER, true, of(1, 2, 3), 0, 3)).isTrue();
        assertThat(f.end()).isTrue();
        assertThat(f.start()).isFalse();
        assertThat(f.parse(VideoCodec.VP8, false, of(0x90), 0, 1)).isFalse();
        assertThat(f.keyframe()).isFalse();
    }
}
