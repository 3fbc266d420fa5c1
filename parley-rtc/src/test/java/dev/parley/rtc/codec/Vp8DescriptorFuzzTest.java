package dev.parley.rtc.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target: the VP8 payload descriptor (RFC 7741 §4.2) of any RTP payload either parses, with
 * a length inside the payload, or is reported truncated; the in-place picture id rewrite the
 * forwarding path applies never writes outside the payload. Seeds: {@code Vp8DescriptorFuzzTestInputs/}.
 */
class Vp8DescriptorFuzzTest {

    @FuzzTest
    void parse(byte[] payload) {
        Vp8Descriptor d = new Vp8Descriptor();
        if (d.parse(payload, 0, payload.length)) {
            assertThat(d.length()).isBetween(1, payload.length);
        }
        new PacketFlags().parse(VideoCodec.VP8, true, payload, 0, payload.length);
        new KeyframeDetector().isKeyframe(VideoCodec.VP8, payload, 0, payload.length);
        Vp8Descriptor.addToPictureId(payload, 0, payload.length, 12345);
    }
}
