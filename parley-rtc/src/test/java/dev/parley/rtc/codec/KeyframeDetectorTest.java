package dev.parley.rtc.codec;

import static dev.parley.rtc.codec.Bytes.of;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyframeDetectorTest {
    private final KeyframeDetector k = new KeyframeDetector();

    private boolean key(VideoCodec c, byte[] p) {
        return k.isKeyframe(c, p, 0, p.length);
    }

    private boolean start(VideoCodec c, byte[] p) {
        return k.isStartOfFrame(c, p, 0, p.length);
    }

    @Test
    void codecNames() {
        assertThat(VideoCodec.fromName("video/VP8")).isEqualTo(VideoCodec.VP8);
        assertThat(VideoCodec.fromName("vp9")).isEqualTo(VideoCodec.VP9);
        assertThat(VideoCodec.fromName("AV1")).isEqualTo(VideoCodec.AV1);
        assertThat(VideoCodec.fromName("H264")).isEqualTo(VideoCodec.H264);
        assertThat(VideoCodec.fromName("opus")).isEqualTo(VideoCodec.OTHER);
        assertThat(VideoCodec.fromName(null)).isEqualTo(VideoCodec.OTHER);
    }

    @Test
    void vp8AndVp9DelegateToDescriptors() {
        assertThat(key(VideoCodec.VP8, of(0x90, 0x80, 0x05, 0x10))).isTrue();
        assertThat(key(VideoCodec.VP8, of(0x90, 0x80, 0x05, 0x11))).isFalse();
        assertThat(start(VideoCodec.VP8, of(0x90, 0x80, 0x05, 0x11))).isTrue();
        assertThat(key(VideoCodec.VP9, of(0x08, 0x80))).isTrue();
        assertThat(start(VideoCodec.VP9, of(0x00, 0x80))).isFalse();
        assertThat(key(VideoCodec.OTHER, of(0x90, 0x80, 0x05, 0x10))).isFalse();
    }

    @Test
    void av1SequenceHeaderFollowedByKeyFrame() {
        // N=1 W=2 | len 3: OBU_SEQUENCE_HEADER + 2 bytes | last element: OBU_FRAME, frame header key, shown
        assertThat(key(VideoCodec.AV1, of(0x28, 0x03, 0x08, 0x00, 0x00, 0x30, 0x10, 0xAA))).isTrue();
        // same with an inter frame
        assertThat(key(VideoCodec.AV1, of(0x28, 0x03, 0x08, 0x00, 0x00, 0x30, 0x30, 0xAA))).isFalse();
        // W=0: every element has a length
        assertThat(key(VideoCodec.AV1, of(0x08, 0x03, 0x08, 0x00, 0x00, 0x02, 0x30, 0x00))).isTrue();
        // frame header OBU with the extension flag: one more byte before the frame header
        assertThat(key(VideoCodec.AV1, of(0x08, 0x02, 0x08, 0x00, 0x03, 0x1C, 0x00, 0x00))).isTrue();
        // show_existing_frame = 1
        assertThat(key(VideoCodec.AV1, of(0x28, 0x03, 0x08, 0x00, 0x00, 0x30, 0x80))).isFalse();
    }

    @Test
    void av1WithoutNewSequenceOrSequenceHeaderIsNotKeyframe() {
        assertThat(key(VideoCodec.AV1, of(0x20, 0x03, 0x08, 0x00, 0x00, 0x30, 0x10))).isFalse(); // N=0
        assertThat(key(VideoCodec.AV1, of(0x88, 0x03, 0x08, 0x00, 0x00, 0x30, 0x10))).isFalse(); // Z=1
        assertThat(key(VideoCodec.AV1, of(0x28, 0x03, 0x30, 0x00, 0x00, 0x30, 0x10))).isFalse(); // no seq header
        assertThat(key(VideoCodec.AV1, of(0x18, 0x03, 0x08, 0x00, 0x00))).isFalse(); // frame in a later packet
        assertThat(key(VideoCodec.AV1, of(0x08, 0x09, 0x08, 0x00))).isFalse(); // length overruns
        assertThat(key(VideoCodec.AV1, of(0x08, 0x80, 0x80, 0x80, 0x80, 0x80))).isFalse(); // endless leb128
        assertThat(key(VideoCodec.AV1, of(0x08))).isFalse();
        assertThat(start(VideoCodec.AV1, of(0x08, 0x01, 0x30))).isTrue();
        assertThat(start(VideoCodec.AV1, of(0x88, 0x01, 0x30))).isFalse();
    }

    @Test
    void h264SpsCountsAsKeyframe() {
        assertThat(key(VideoCodec.H264, of(0x67, 0x42, 0xE0))).isTrue();
        assertThat(key(VideoCodec.H264, of(0x65, 0x88))).isFalse(); // IDR slice alone: reference semantics
        assertThat(key(VideoCodec.H264, of(0x68, 0xCE))).isFalse();
        assertThat(key(VideoCodec.H264, of(0x00))).isFalse();
        assertThat(key(VideoCodec.H264, of())).isFalse();
    }

    @Test
    void h264AggregatesAndFragments() {
        // STAP-A: PPS then SPS
        assertThat(key(VideoCodec.H264, of(0x78, 0x00, 0x02, 0x68, 0xCE, 0x00, 0x02, 0x67, 0x42))).isTrue();
        assertThat(key(VideoCodec.H264, of(0x78, 0x00, 0x02, 0x68, 0xCE))).isFalse();
        assertThat(key(VideoCodec.H264, of(0x78, 0x00, 0x09, 0x67, 0x42))).isFalse(); // size overruns
        // MTAP16: DON, then unit of size 5 = DOND + 2-byte TS offset + NAL
        assertThat(key(VideoCodec.H264, of(0x7A, 0x00, 0x01, 0x00, 0x05, 0x00, 0x00, 0x00, 0x67, 0x42))).isTrue();
        // FU-A start of an SPS, start of an IDR, middle of an SPS
        assertThat(key(VideoCodec.H264, of(0x7C, 0x87, 0x42))).isTrue();
        assertThat(key(VideoCodec.H264, of(0x7C, 0x85, 0x88))).isFalse();
        assertThat(key(VideoCodec.H264, of(0x7C, 0x07, 0x42))).isFalse();
        assertThat(start(VideoCodec.H264, of(0x7C, 0x85, 0x88))).isTrue();
        assertThat(start(VideoCodec.H264, of(0x7C, 0x05, 0x88))).isFalse();
        assertThat(start(VideoCodec.H264, of(0x61, 0x88))).isTrue();
    }
}
