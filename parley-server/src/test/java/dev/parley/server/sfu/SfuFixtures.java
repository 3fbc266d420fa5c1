package dev.parley.server.sfu;

import dev.parley.rtc.rtp.RtpWriter;
import dev.parley.rtc.sdp.RtpCodec;

import java.util.List;

/** Up streams, sections and packets for unit tests of the SFU's stream logic on one thread. */
final class SfuFixtures {
    private SfuFixtures() {
    }

    static UpStream upStream(String id, MediaTransport transport) {
        UpStream up = new UpStream(id, "camera", new UpStream.Owner() {
            @Override public String clientId() { return "presenter"; }
            @Override public String username() { return "presenter"; }
            @Override public void tracksChanged(UpStream stream) { }
            @Override public void transportFailed(UpStream stream) { }
            @Override public void transportDead(UpStream stream) { }
        });
        up.setTransport(transport);
        return up;
    }

    static UpSection audioSection(String mid, long ssrc) {
        CodecTable.Entry opus = CodecTable.choose(List.of("opus"), "audio",
                List.of(new RtpCodec(111, "opus", 48000, 2, null, List.of()))).orElseThrow().entry();
        return new UpSection(mid, "audio", opus, 111, List.of(), null, List.of(ssrc), -1, -1, true, false, false);
    }

    static UpSection videoSection(String mid, long ssrc) {
        CodecTable.Entry vp8 = CodecTable.choose(List.of("vp8"), "video",
                List.of(new RtpCodec(96, "VP8", 90000, 0, null, List.of()))).orElseThrow().entry();
        return new UpSection(mid, "video", vp8, 96, List.of(), null, List.of(ssrc), -1, -1, true, true, true);
    }

    static UpSection vp9Section(String mid, int payloadType, long ssrc) {
        CodecTable.Entry vp9 = CodecTable.choose(List.of("vp9"), "video",
                List.of(new RtpCodec(payloadType, "VP9", 90000, 0, "profile-id=0", List.of()))).orElseThrow().entry();
        return new UpSection(mid, "video", vp9, payloadType, List.of(), null, List.of(ssrc), -1, -1, true, true, true);
    }

    /** A 200-byte RTP packet. */
    static byte[] packet(int payloadType, int seq, long timestamp, long ssrc) {
        byte[] p = new byte[200];
        RtpWriter.writeHeader(p, 0, false, payloadType, seq & 0xFFFF, timestamp, ssrc);
        return p;
    }

    /** A 200-byte packet of {@code ssrc} naming mid "0" and, unless null, its rid in one-byte extensions 1 and 2. */
    static byte[] midRidPacket(long ssrc, String rid) {
        byte[] p = packet(96, 1, 0, ssrc);
        p[0] |= 0x10;                                                   // X
        p[12] = (byte) 0xBE;
        p[13] = (byte) 0xDE;
        p[15] = 1;                                                      // one 32-bit word
        p[16] = 0x10;                                                   // id 1, length 1
        p[17] = '0';
        if (rid != null) {
            p[18] = 0x20;                                               // id 2, length 1
            p[19] = (byte) rid.charAt(0);
        }
        return p;
    }
}
