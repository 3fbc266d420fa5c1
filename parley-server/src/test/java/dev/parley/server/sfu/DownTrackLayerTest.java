package dev.parley.server.sfu;

import dev.parley.rtc.codec.Vp8Descriptor;
import dev.parley.rtc.rtp.RtpPacket;
import dev.parley.rtc.sdp.Fingerprint;
import dev.parley.server.layers.TemporalLayerFilter;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MD7, MD13, pitfall 2: temporal layers dropped for a congested receiver leave no gap in its
 * sequence numbers or VP8 picture ids, and its NACKs map back to the right cached packet.
 * The transports are recorders: this is a unit test of the forwarding logic, on one thread.
 */
class DownTrackLayerTest {
    /** Records what would be sent. */
    static final class RecordingTransport implements MediaTransport {
        final List<byte[]> rtp = new ArrayList<>();
        final List<byte[]> rtcp = new ArrayList<>();

        @Override public LocalEndpoint local() { return null; }
        @Override public void setRemoteFingerprint(Fingerprint fingerprint) { }
        @Override public void setRemoteUfrag(String ufrag) { }
        @Override public LocalEndpoint restartIce(String ufrag) { return null; }
        @Override public boolean isConnected() { return true; }
        @Override public void sendRtp(byte[] buf, int off, int len) { rtp.add(Arrays.copyOfRange(buf, off, off + len)); }
        @Override public void sendRtcp(byte[] buf, int off, int len) { rtcp.add(Arrays.copyOfRange(buf, off, off + len)); }
        @Override public void execute(Runnable task) { task.run(); }
        @Override public void close() { }
    }

    static final int[] TIDS = {0, 2, 1, 2};

    /** A one-packet VP8 frame with a full payload descriptor (picture id, TL0PICIDX, TID). */
    static byte[] vp8Packet(int seq, long ts, int pictureId, int tid, boolean keyframe) {
        byte[] p = new byte[1000];                               // about a real packet's size
        dev.parley.rtc.rtp.RtpWriter.writeHeader(p, 0, true, 96, seq & 0xFFFF, ts, 0x1234);
        int d = 12;
        p[d] = (byte) 0x90;                                        // X, S, partition 0
        p[d + 1] = (byte) 0xE0;                                    // I, L, T
        p[d + 2] = (byte) (0x80 | (pictureId >> 8) & 0x7F);        // 15-bit picture id
        p[d + 3] = (byte) pictureId;
        p[d + 4] = 0;                                              // TL0PICIDX
        p[d + 5] = (byte) (tid << 6 | (keyframe || tid > 0 ? 0x20 : 0));   // TID, Y
        byte[] frame = keyframe
                ? new byte[]{0x10, 0x02, 0x00, (byte) 0x9d, 0x01, 0x2a, (byte) 0x80, 0x02, (byte) 0xe0, 0x01}
                : new byte[]{0x11, 0x02, 0x00, 1, 2, 3, 4, 5, 6, 7};
        System.arraycopy(frame, 0, p, d + 6, frame.length);
        return p;
    }

    record Sent(int seq, int pictureId, int tid) {
    }

    static Sent decode(byte[] packet) {
        RtpPacket p = new RtpPacket();
        assertThat(p.wrap(packet, 0, packet.length)).isTrue();
        Vp8Descriptor d = new Vp8Descriptor();
        assertThat(d.parse(packet, p.payloadOffset(), p.payloadLength())).isTrue();
        return new Sent(p.sequenceNumber(), d.pictureId(), packet[p.payloadOffset() + 5] >> 6 & 3);
    }

    @Test
    void MD7_droppedTemporalLayersLeaveNoGapsAndNacksMapBack() {
        droppedLayersLeaveNoGapsAndNacksMapBack(false);
    }

    /** The same for a receiver that takes transport-cc: the number's extension block sits before the shifted picture ids. */
    @Test
    void MD7_droppedTemporalLayersLeaveNoGapsAndNacksMapBackWhenPacketsAreNumbered() {
        droppedLayersLeaveNoGapsAndNacksMapBack(true);
    }

    private static void droppedLayersLeaveNoGapsAndNacksMapBack(boolean numbered) {
        RecordingTransport upTransport = new RecordingTransport();
        RecordingTransport downTransport = new RecordingTransport();
        UpStream up = new UpStream("u", "camera", new UpStream.Owner() {
            @Override public String clientId() { return "p"; }
            @Override public String username() { return "p"; }
            @Override public void tracksChanged(UpStream stream) { }
            @Override public void transportFailed(UpStream stream) { }
            @Override public void transportDead(UpStream stream) { }
        });
        up.setTransport(upTransport);
        CodecTable.Entry vp8 = CodecTable.choose(List.of("vp8"), "video",
                List.of(new dev.parley.rtc.sdp.RtpCodec(96, "VP8", 90000, 0, null, List.of()))).orElseThrow().entry();
        UpSection section = new UpSection("0", "video", vp8, 96, List.of(), null, List.of(0x1234L), -1, -1, true, true, true);
        UpTrack track = new UpTrack(up, section, null, 0x1234);
        DownStream downStream = new DownStream(up);
        downStream.setTransport(downTransport);
        if (numbered) {
            downStream.setTransportCcId(3);
        }
        DownTrack down = new DownTrack(downStream, track, 0x5678, 0);
        track.attach(down, 0);

        int seq = 1000, pictureId = 100;
        long ts = 0, now = 1_000_000_000L;
        for (int phase = 0; phase < 3; phase++) {
            for (int i = 0; i < 8; i++, seq++, pictureId++, ts += 3000, now += 130_000_000L) {   // > 1 s per phase: one rate window
                byte[] p = vp8Packet(seq, ts, pictureId, TIDS[i % 4], seq == 1000);
                track.receive(p, 0, p.length, now);
            }
            down.remb(10_000, now);                            // a receiver that can take almost nothing
            down.receiverReport(0, now);                    // → one temporal layer fewer
        }

        List<Sent> sent = downTransport.rtp.stream().map(DownTrackLayerTest::decode).toList();
        // phase 0: all 8; phase 1: TL2 dropped (4 left); phase 2: only TL0 (2 left)
        assertThat(sent).hasSize(8 + 4 + 2);
        assertThat(sent.subList(12, 14)).allSatisfy(s -> assertThat(s.tid()).isZero());
        assertThat(sent.subList(8, 12)).allSatisfy(s -> assertThat(s.tid()).isLessThanOrEqualTo(1));
        for (int i = 1; i < sent.size(); i++) {
            assertThat((sent.get(i).seq() - sent.get(i - 1).seq()) & 0xFFFF).as("seq %d", i).isEqualTo(1);
            assertThat((sent.get(i).pictureId() - sent.get(i - 1).pictureId()) & 0x7FFF).as("pid %d", i).isEqualTo(1);
        }
        assertThat(down.temporalLimit()).isZero();
        for (int i = 0; i < sent.size(); i++) {
            RtpPacket p = new RtpPacket();
            p.wrap(downTransport.rtp.get(i), 0, downTransport.rtp.get(i).length);
            assertThat(p.findExtension(3) >= 0).as("numbered %d", i).isEqualTo(numbered);
        }

        // a NACK for the last forwarded packet is served from the cache, byte for byte
        byte[] last = downTransport.rtp.getLast();
        down.nacked(sent.getLast().seq());
        assertThat(downTransport.rtp.getLast()).isEqualTo(last).isNotSameAs(last);
        // a NACK for a sequence number we never produced is ignored
        int before = downTransport.rtp.size();
        down.nacked((sent.getLast().seq() + 100) & 0xFFFF);
        assertThat(downTransport.rtp).hasSize(before);
    }

    @Test
    void MD7_layersComeBackAtALayerSyncFrameWhenBandwidthReturns() {
        TemporalLayerFilter f = new TemporalLayerFilter();
        var flags = new dev.parley.rtc.codec.PacketFlags();
        long ts = 0;
        // learn that the stream has layers 0..2
        for (int i = 0; i < 4; i++, ts += 3000) {
            byte[] p = vp8Packet(i, ts, i, TIDS[i], i == 0);
            RtpPacket r = new RtpPacket();
            r.wrap(p, 0, p.length);
            flags.parse(dev.parley.rtc.codec.VideoCodec.VP8, r);
            assertThat(f.accept(flags, ts)).isTrue();
        }
        assertThat(f.down()).isTrue();
        assertThat(f.down()).isTrue();
        assertThat(f.up()).isTrue();                        // target 1: resumes at a TL1 sync frame
        int forwardedTl1 = 0;
        for (int i = 4; i < 12; i++, ts += 3000) {
            byte[] p = vp8Packet(i, ts, i, TIDS[i % 4], false);
            RtpPacket r = new RtpPacket();
            r.wrap(p, 0, p.length);
            flags.parse(dev.parley.rtc.codec.VideoCodec.VP8, r);
            boolean ok = f.accept(flags, ts);
            if (TIDS[i % 4] == 2) {
                assertThat(ok).isFalse();
            }
            if (TIDS[i % 4] == 1 && ok) {
                forwardedTl1++;
            }
        }
        assertThat(forwardedTl1).isPositive();
    }

    /** A one-packet VP9 layer frame (non-flexible, picture id, layer indices, TL0PICIDX); marker on the top layer. */
    static byte[] vp9Packet(int seq, long ts, int pictureId, int sid, boolean top, boolean keyframe) {
        byte[] p = new byte[400];
        dev.parley.rtc.rtp.RtpWriter.writeHeader(p, 0, top, 98, seq & 0xFFFF, ts, 0x9999);
        int d = 12;
        p[d] = (byte) (0x80 | (keyframe ? 0 : 0x40) | 0x20 | 0x08 | 0x04);   // I, P (not keyframes), L, B, E
        p[d + 1] = (byte) (0x80 | (pictureId >> 8) & 0x7F);
        p[d + 2] = (byte) pictureId;
        p[d + 3] = (byte) (sid << 1 | (sid > 0 ? 1 : 0));         // TID 0, SID, D: the upper layer uses the lower
        p[d + 4] = (byte) pictureId;                               // TL0PICIDX
        p[d + 5] = (byte) (keyframe ? 0x80 : 0x84);                // frame marker, profile 0, frame type
        return p;
    }

    @Test
    void MD10_videoLowOfASingleSvcTrackGetsOnlyTheBaseSpatialLayerEndingEachPicture() {
        RecordingTransport upTransport = new RecordingTransport();
        RecordingTransport downTransport = new RecordingTransport();
        UpStream up = SfuFixtures.upStream("u", upTransport);
        CodecTable.Entry vp9 = CodecTable.choose(List.of("vp9"), "video",
                List.of(new dev.parley.rtc.sdp.RtpCodec(98, "VP9", 90000, 0, null, List.of()))).orElseThrow().entry();
        UpSection section = new UpSection("0", "video", vp9, 98, List.of(), null, List.of(0x9999L), -1, -1, true, true, true);
        UpTrack track = new UpTrack(up, section, null, 0x9999);
        DownStream downStream = new DownStream(up);
        downStream.setTransport(downTransport);
        DownTrack limited = new DownTrack(downStream, track, 0x5678, 0);
        downStream.limitSpatialLayers(true);
        track.attach(limited, 0);
        RecordingTransport fullTransport = new RecordingTransport();
        DownStream fullStream = new DownStream(up);
        fullStream.setTransport(fullTransport);
        track.attach(new DownTrack(fullStream, track, 0x6789, 0), 0);

        int seq = 100;
        for (int picture = 0; picture < 6; picture++) {
            for (int sid = 0; sid < 2; sid++, seq++) {
                byte[] p = vp9Packet(seq, picture * 3000L, 200 + picture, sid, sid == 1, picture == 0);
                track.receive(p, 0, p.length, 1_000_000_000L + picture * 33_000_000L);
            }
        }
        assertThat(fullTransport.rtp).as("both spatial layers without the limit").hasSize(12);
        assertThat(downTransport.rtp).as("only spatial layer 0").hasSize(6);
        RtpPacket r = new RtpPacket();
        var vp9View = new dev.parley.rtc.codec.Vp9Descriptor();
        int first = -1;
        for (int i = 0; i < downTransport.rtp.size(); i++) {
            byte[] b = downTransport.rtp.get(i);
            assertThat(r.wrap(b, 0, b.length)).isTrue();
            assertThat(vp9View.parse(b, r.payloadOffset(), r.payloadLength())).isTrue();
            assertThat(vp9View.sid()).isZero();
            assertThat(r.marker()).as("the base layer now ends each picture").isTrue();
            first = i == 0 ? r.sequenceNumber() : first;
            assertThat(r.sequenceNumber()).as("no gap where layer 1 was").isEqualTo((first + i) & 0xFFFF);
        }
    }
}
