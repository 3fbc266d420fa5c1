package dev.parley.server.record;

import dev.parley.rtc.rtp.RtpPacket;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** VP9 frames from the B and E bits (RFC 9628), and the picture size of a keyframe. */
class Vp9DepacketizerTest {
    private final Vp9Depacketizer depacketizer = new Vp9Depacketizer();
    private final Vp8DepacketizerTest.Collector sink = new Vp8DepacketizerTest.Collector();
    private final RtpPacket view = new RtpPacket();

    /** RTP with a VP9 descriptor: I (15-bit picture id), P, B, E flags, then {@code data}. */
    static byte[] packet(int seq, long ts, boolean marker, boolean begin, boolean end, boolean predicted, byte[] data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x80);
        b.write((marker ? 0x80 : 0) | 98);
        b.write(seq >> 8);
        b.write(seq);
        for (int i = 3; i >= 0; i--) {
            b.write((int) (ts >> (8 * i)));
        }
        b.writeBytes(new byte[]{1, 2, 3, 4});
        b.write(0x80 | (predicted ? 0x40 : 0) | (begin ? 0x08 : 0) | (end ? 0x04 : 0));
        b.write(0x80 | 0x01);
        b.write(0x02);
        b.writeBytes(data);
        return b.toByteArray();
    }

    /**
     * A profile-0 keyframe header: frame marker 2, profile 0, show_existing 0, frame_type 0,
     * show 1, error_res 0, sync code 49 83 42, colour space 1 (BT.601), range 0, then
     * width-1 = 1279 and height-1 = 719 on 16 bits each.
     */
    static byte[] keyframeHeader() {
        // bits: 10 0 0 0 0 1 0 | 0x498342 | 001 0 | 0000010011111111 | 0000001011001111
        return bits("10" + "00" + "0" + "0" + "1" + "0"
                + "010010011000001101000010"
                + "001" + "0"
                + "0000010011111111" + "0000001011001111" + "0000");
    }

    static byte[] bits(String s) {
        byte[] out = new byte[(s.length() + 7) / 8];
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '1') {
                out[i / 8] |= (byte) (0x80 >> (i % 8));
            }
        }
        return out;
    }

    private void push(byte[] p) {
        assertThat(view.wrap(p, 0, p.length)).isTrue();
        depacketizer.push(view, sink);
    }

    @Test
    void framesRunFromTheBeginningToTheEndBitAndKeyframesGiveTheirSize() {
        byte[] key = keyframeHeader();
        push(packet(1, 0, false, true, false, false, key));
        push(packet(2, 0, true, false, true, false, new byte[]{9, 9}));
        push(packet(3, 3000, true, true, true, true, new byte[]{(byte) 0x86, 1}));

        assertThat(sink.frames).hasSize(2);
        assertThat(sink.frames.get(0).keyframe()).isTrue();
        assertThat(sink.frames.get(0).data()).hasSize(key.length + 2);
        assertThat(sink.frames.get(1).keyframe()).isFalse();
        byte[] f = sink.frames.get(0).data();
        assertThat(Vp9Depacketizer.keyframeSize(f, 0, f.length)).containsExactly(1280, 720);
        assertThat(Vp9Depacketizer.keyframeSize(new byte[]{(byte) 0x82}, 0, 1)).as("truncated").isNull();
    }
}
