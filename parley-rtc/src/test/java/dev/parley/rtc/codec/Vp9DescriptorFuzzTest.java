package dev.parley.rtc.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target: the VP9 payload descriptor (RFC 9628 §4.2), scalability structure included, of any
 * RTP payload either parses, with a length inside the payload, or is reported truncated; the
 * layer flags the forwarding path derives from it never read past the payload.
 * Seeds: {@code Vp9DescriptorFuzzTestInputs/}.
 */
class Vp9DescriptorFuzzTest {

    @FuzzTest
    void parse(byte[] payload) {
        Vp9Descriptor d = new Vp9Descriptor();
        if (d.parse(payload, 0, payload.length)) {
            assertThat(d.length()).isBetween(1, payload.length);
        }
        new PacketFlags().parse(VideoCodec.VP9, false, payload, 0, payload.length);
        new KeyframeDetector().isKeyframe(VideoCodec.VP9, payload, 0, payload.length);
    }
}
