package dev.parley.server.record;

import dev.parley.rtc.rtp.RtpPacket;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** H.264 access units from single NAL, STAP-A and FU-A packets (RFC 6184), and SPS sizes. */
class H264DepacketizerTest {
    private final H264Depacketizer depacketizer = new H264Depacketizer();
    private final Vp8DepacketizerTest.Collector sink = new Vp8DepacketizerTest.Collector();
    private final RtpPacket view = new RtpPacket();

    static byte[] rtp(int seq, long ts, boolean marker, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x80);
        b.write((marker ? 0x80 : 0) | 108);
        b.write(seq >> 8);
        b.write(seq);
        for (int i = 3; i >= 0; i--) {
            b.write((int) (ts >> (8 * i)));
        }
        b.writeBytes(new byte[]{1, 2, 3, 4});
        b.writeBytes(payload);
        return b.toByteArray();
    }

    /** Appends an unsigned Exp-Golomb code to a bit string. */
    static String ue(int v) {
        String bits = Integer.toBinaryString(v + 1);
        return "0".repeat(bits.length() - 1) + bits;
    }

    /** A baseline SPS: 16-pixel macroblocks, optional bottom crop (in 2-line units). */
    static byte[] sps(int widthMbs, int heightMbs, int cropBottom) {
        String bits = "0" + "11" + "00111"                       // NAL header, type 7
                + "01000010" + "11000000" + "00011110"           // profile 66, constraints, level 30
                + ue(0) + ue(0) + ue(2) + ue(1) + "0"            // id, log2 frame num, poc type 2, refs, gaps
                + ue(widthMbs - 1) + ue(heightMbs - 1) + "1" + "1"
                + (cropBottom > 0 ? "1" + ue(0) + ue(0) + ue(0) + ue(cropBottom) : "0")
                + "0" + "1";                                      // no VUI, stop bit
        return Vp9DepacketizerTest.bits(bits + "0".repeat((8 - bits.length() % 8) % 8));
    }

    private void push(byte[] p) {
        assertThat(view.wrap(p, 0, p.length)).isTrue();
        depacketizer.push(view, sink);
    }

    private static byte[] stapA(byte[]... units) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x78);                                            // F=0, NRI=3, type 24
        for (byte[] u : units) {
            b.write(u.length >> 8);
            b.write(u.length);
            b.writeBytes(u);
        }
        return b.toByteArray();
    }

    private static byte[] fu(boolean start, boolean end, int type, byte[] data) {
        byte[] out = new byte[2 + data.length];
        out[0] = 0x7C;                                            // NRI=3, type 28
        out[1] = (byte) ((start ? 0x80 : 0) | (end ? 0x40 : 0) | type);
        System.arraycopy(data, 0, out, 2, data.length);
        return out;
    }

    private static byte[] lengthPrefixed(byte[]... units) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] u : units) {
            b.writeBytes(new byte[]{0, 0, (byte) (u.length >> 8), (byte) u.length});
            b.writeBytes(u);
        }
        return b.toByteArray();
    }

    @Test
    void MD16_accessUnitsAreLengthPrefixedAndIdrsAreKeyframes() {
        byte[] sps = sps(40, 30, 0), pps = {0x68, (byte) 0xCE, 0x3C, (byte) 0x80};
        push(rtp(1, 0, false, stapA(sps, pps)));
        push(rtp(2, 0, false, fu(true, false, 5, new byte[]{1, 2, 3})));
        push(rtp(3, 0, true, fu(false, true, 5, new byte[]{4, 5})));
        byte[] slice = {0x41, 9, 9, 9};
        push(rtp(4, 3000, true, slice));

        assertThat(sink.frames).hasSize(2);
        assertThat(sink.frames.get(0).keyframe()).isTrue();
        assertThat(sink.frames.get(0).data()).isEqualTo(lengthPrefixed(sps, pps, new byte[]{0x65, 1, 2, 3, 4, 5}));
        assertThat(sink.frames.get(1).keyframe()).isFalse();
        assertThat(sink.frames.get(1).data()).isEqualTo(lengthPrefixed(slice));
        assertThat(depacketizer.sps()).isEqualTo(sps);
        assertThat(depacketizer.pps()).isEqualTo(pps);

        byte[] config = H264Depacketizer.avcConfiguration(sps, pps);
        assertThat(config[0]).isEqualTo((byte) 1);
        assertThat(config[1]).as("profile").isEqualTo((byte) 66);
        assertThat(config[4] & 0x03).as("4-byte sizes").isEqualTo(3);
        assertThat(config[5] & 0x1F).isEqualTo(1);
    }

    @Test
    void aLostFragmentDropsFramesUntilTheNextIdr() {
        push(rtp(1, 0, true, new byte[]{0x65, 1}));
        push(rtp(2, 3000, false, fu(true, false, 1, new byte[]{1})));
        push(rtp(4, 3000, true, fu(false, true, 1, new byte[]{2})));     // 3 lost
        push(rtp(5, 6000, true, new byte[]{0x41, 1}));
        push(rtp(6, 9000, true, new byte[]{0x65, 2}));
        assertThat(sink.lost).isEqualTo(1);
        assertThat(sink.frames).extracting(Vp8DepacketizerTest.Frame::timestamp).containsExactly(0L, 9000L);
    }

    @Test
    void spsGivesThePictureSizeAfterCropping() {
        assertThat(H264Sps.pictureSize(sps(40, 30, 0))).containsExactly(640, 480);
        assertThat(H264Sps.pictureSize(sps(120, 68, 4))).containsExactly(1920, 1080);
        assertThat(H264Sps.pictureSize(new byte[]{0x67, 66})).isNull();
    }
}
