package dev.parley.server.record;

import dev.parley.rtc.rtp.RtpPacket;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** VP8 frames rebuilt from hand-built RTP packets (RFC 7741). */
class Vp8DepacketizerTest {
    record Frame(byte[] data, long timestamp, boolean keyframe) {
    }

    static final class Collector implements FrameSink {
        final List<Frame> frames = new ArrayList<>();
        int lost;

        @Override
        public void frame(byte[] buf, int off, int len, long rtpTimestamp, boolean keyframe) {
            frames.add(new Frame(java.util.Arrays.copyOfRange(buf, off, off + len), rtpTimestamp, keyframe));
        }

        @Override
        public void frameLost() {
            lost++;
        }
    }

    private final Vp8Depacketizer depacketizer = new Vp8Depacketizer();
    private final Collector sink = new Collector();
    private final RtpPacket view = new RtpPacket();

    /** An RTP packet whose payload is a VP8 descriptor (with a 15-bit picture id) and {@code data}. */
    static byte[] packet(int seq, long ts, boolean marker, boolean start, byte[] data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x80);
        b.write((marker ? 0x80 : 0) | 96);
        b.write(seq >> 8);
        b.write(seq);
        for (int i = 3; i >= 0; i--) {
            b.write((int) (ts >> (8 * i)));
        }
        b.writeBytes(new byte[]{0x12, 0x34, 0x56, 0x78});
        b.write(0x80 | (start ? 0x10 : 0));          // X, S, partition 0
        b.write(0x80);                                // I
        b.write(0x80 | 0x01);                         // M + picture id 0x0123
        b.write(0x23);
        b.writeBytes(data);
        return b.toByteArray();
    }

    /** A VP8 keyframe header (frame tag with P=0, start code, 640x480) followed by filler. */
    static byte[] keyframeStart() {
        return new byte[]{0x10, 0x02, 0x00, (byte) 0x9d, 0x01, 0x2a, (byte) 0x80, 0x02, (byte) 0xe0, 0x01, 7, 7};
    }

    static byte[] interStart() {
        return new byte[]{0x31, 0x02, 0x00, 5, 5};   // frame tag with P=1
    }

    private void push(byte[] packet) {
        assertThat(view.wrap(packet, 0, packet.length)).isTrue();
        depacketizer.push(view, sink);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    @Test
    void framesSpanPacketsFromTheStartBitToTheMarkerWithDescriptorsStripped() {
        byte[] k1 = keyframeStart(), k2 = {1, 2, 3}, k3 = {4, 5};
        push(packet(100, 9000, false, true, k1));
        push(packet(101, 9000, false, false, k2));
        push(packet(102, 9000, true, false, k3));
        byte[] i1 = interStart();
        push(packet(103, 12000, true, true, i1));

        assertThat(sink.frames).hasSize(2);
        assertThat(sink.frames.get(0).data()).isEqualTo(concat(k1, k2, k3));
        assertThat(sink.frames.get(0).timestamp()).isEqualTo(9000);
        assertThat(sink.frames.get(0).keyframe()).isTrue();
        assertThat(sink.frames.get(1).data()).isEqualTo(i1);
        assertThat(sink.frames.get(1).keyframe()).isFalse();
        assertThat(sink.lost).isZero();
        assertThat(Vp8Depacketizer.keyframeSize(sink.frames.get(0).data(), 0, sink.frames.get(0).data().length))
                .containsExactly(640, 480);
    }

    @Test
    void aMissingPacketDropsItsFrameAndEveryFrameUpToTheNextKeyframe() {
        push(packet(1, 0, true, true, keyframeStart()));
        push(packet(2, 3000, false, true, interStart()));
        push(packet(4, 3000, true, false, new byte[]{9}));           // 3 is lost
        push(packet(5, 6000, true, true, interStart()));              // decodable only with the lost one
        push(packet(6, 9000, false, true, keyframeStart()));
        push(packet(7, 9000, true, false, new byte[]{8}));
        push(packet(8, 12000, true, true, interStart()));

        assertThat(sink.lost).isEqualTo(1);
        assertThat(sink.frames).extracting(Frame::timestamp).containsExactly(0L, 9000L, 12000L);
        assertThat(sink.frames).extracting(Frame::keyframe).containsExactly(true, true, false);
    }

    @Test
    void aFrameWhoseMarkerIsLostIsDroppedWhenTheNextOneStarts() {
        push(packet(1, 0, true, true, keyframeStart()));
        push(packet(2, 3000, false, true, interStart()));
        // the marker packet (3) is lost; 4 starts a keyframe
        push(packet(4, 6000, true, true, keyframeStart()));
        assertThat(sink.lost).isEqualTo(1);
        assertThat(sink.frames).extracting(Frame::timestamp).containsExactly(0L, 6000L);
    }

    @Test
    void continuationsWithoutAStartAndPaddingOnlyPacketsAreIgnored() {
        push(packet(10, 0, true, false, new byte[]{1, 2}));           // joined mid-frame
        byte[] padding = packet(11, 0, false, false, new byte[0]);
        padding = java.util.Arrays.copyOf(padding, 12);               // no payload at all
        push(padding);
        push(packet(12, 3000, true, true, keyframeStart()));
        assertThat(sink.frames).hasSize(1);
        assertThat(sink.frames.get(0).keyframe()).isTrue();
        assertThat(sink.lost).isZero();
    }
}
