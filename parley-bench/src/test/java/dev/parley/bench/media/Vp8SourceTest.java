package dev.parley.bench.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.rtc.codec.KeyframeDetector;
import dev.parley.rtc.codec.VideoCodec;
import dev.parley.rtc.rtp.RtpPacket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Vp8SourceTest {
    record Sent(byte[] bytes, int seq, boolean key, boolean start) {
    }

    static List<Sent> frames(Vp8Source source, int frames, long sendNanos) {
        List<Sent> out = new ArrayList<>();
        byte[] buf = new byte[1600];
        for (int f = 0; f < frames; f++) {
            source.nextFrame(buf, sendNanos, (b, len, seq, key, start) ->
                    out.add(new Sent(java.util.Arrays.copyOf(b, len), seq, key, start)));
        }
        return out;
    }

    @Test
    void theServersKeyframeDetectorSeesExactlyTheFirstPacketOfEachKeyframe() {
        Vp8Source source = new Vp8Source(96, 0x1234, 1_000_000, 30, 1, 0, null, 0, null, 65_530);
        KeyframeDetector detector = new KeyframeDetector();
        RtpPacket p = new RtpPacket();
        int keyframes = 0;
        for (Sent s : frames(source, 90, 7)) {
            assertThat(p.wrap(s.bytes(), 0, s.bytes().length)).isTrue();
            boolean detected = detector.isKeyframe(VideoCodec.VP8, s.bytes(), p.payloadOffset(), p.payloadLength());
            assertThat(detected).isEqualTo(s.key() && s.start());
            assertThat(detector.isStartOfFrame(VideoCodec.VP8, s.bytes(), p.payloadOffset(), p.payloadLength()))
                    .isEqualTo(s.start());
            if (detected) {
                keyframes++;
            }
        }
        assertThat(keyframes).isEqualTo(3);      // one a second over three seconds
    }

    @Test
    void aPliMakesTheNextFrameAKeyframe() {
        Vp8Source source = new Vp8Source(96, 1, 500_000, 30, 10, 0, null, 0, null, 0);
        frames(source, 5, 0);
        source.requestKeyframe();
        assertThat(frames(source, 1, 0).getFirst().key()).isTrue();
        assertThat(frames(source, 1, 0).getFirst().key()).isFalse();
    }

    @Test
    void packetsAreContiguousMarkedAtFrameEndStampedAndAverageTheBitrate() {
        Vp8Source source = new Vp8Source(96, 0xCAFE, 1_000_000, 30, 3, 0, null, 0, null, 65_000);
        List<Sent> sent = frames(source, 300, 123_456_789L);     // 10 s
        RtpPacket p = new RtpPacket();
        long bytes = 0;
        int expectedSeq = 65_000;
        int markers = 0;
        for (Sent s : sent) {
            p.wrap(s.bytes(), 0, s.bytes().length);
            assertThat(p.sequenceNumber()).isEqualTo(expectedSeq);
            assertThat(p.ssrc()).isEqualTo(0xCAFE);
            assertThat(p.payloadType()).isEqualTo(96);
            assertThat(p.length()).isLessThanOrEqualTo(1200);
            int end = p.payloadOffset() + p.payloadLength();
            assertThat(BenchStamp.present(s.bytes(), p.payloadOffset(), end)).isTrue();
            assertThat(BenchStamp.sendNanos(s.bytes(), end)).isEqualTo(123_456_789L);
            markers += p.marker() ? 1 : 0;
            bytes += p.payloadLength();
            expectedSeq = (expectedSeq + 1) & 0xFFFF;
        }
        assertThat(markers).isEqualTo(300);
        assertThat(bytes * 8 / 10.0).isBetween(900_000.0, 1_150_000.0);
    }

    @Test
    void simulcastLayersCarryMidAndRidExtensions() {
        Vp8Source source = new Vp8Source(96, 9, 200_000, 30, 3, 4, "1", 10, "l", 0);
        Sent s = frames(source, 1, 0).getFirst();
        RtpPacket p = new RtpPacket();
        assertThat(p.wrap(s.bytes(), 0, s.bytes().length)).isTrue();
        assertThat(p.extensionAsString(4)).isEqualTo("1");
        assertThat(p.extensionAsString(10)).isEqualTo("l");
        assertThat(new KeyframeDetector().isKeyframe(VideoCodec.VP8, s.bytes(), p.payloadOffset(), p.payloadLength()))
                .isTrue();
    }

    @Test
    void opusPacketsAreTwentyMillisecondsApartAndStamped() {
        OpusSource o = new OpusSource(111, 77, 80, 65_535);
        byte[] buf = new byte[1600];
        RtpPacket p = new RtpPacket();
        int n = o.next(buf, 5);
        p.wrap(buf, 0, n);
        assertThat(p.sequenceNumber()).isEqualTo(65_535);
        assertThat(p.timestamp()).isZero();
        n = o.next(buf, 6);
        p.wrap(buf, 0, n);
        assertThat(p.sequenceNumber()).isZero();
        assertThat(p.timestamp()).isEqualTo(960);
        assertThat(BenchStamp.sendNanos(buf, n)).isEqualTo(6);
    }
}
