package dev.parley.server.sfu;

import dev.parley.rtc.rtp.RtpPacket;
import dev.parley.rtc.rtp.RtpWriter;
import dev.parley.rtc.sdp.SessionDescription;
import dev.parley.server.packetcache.PacketCache;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RTX (RFC 4588, issue #14): negotiated with {@code apt} both ways, NACKs served as RTX to
 * receivers that accepted it, RTX from presenters unwrapped into the cache and forwarded.
 */
class RtxForwardingTest {
    private static final long MEDIA = 0x1234, RTX = 0x9999;
    private final DownTrackLayerTest.RecordingTransport upTransport = new DownTrackLayerTest.RecordingTransport();
    private final DownTrackLayerTest.RecordingTransport downTransport = new DownTrackLayerTest.RecordingTransport();
    private final UpStream up = SfuFixtures.upStream("u", upTransport);

    private UpSection videoWithRtx() {
        UpSection v = SfuFixtures.videoSection("0", MEDIA);
        return new UpSection("0", "video", v.codec(), 96, List.of(), null, List.of(MEDIA), -1, -1, true, true, true,
                -1, new UpSection.Rtx(97, Map.of(RTX, MEDIA), -1));
    }

    private DownTrack receiverOf(UpTrack track, long rtxSsrc) {
        DownStream downStream = new DownStream(up);
        downStream.setTransport(downTransport);
        DownTrack down = new DownTrack(downStream, track, 0x5678, 0);
        down.setRtxSsrc(rtxSsrc);
        track.attach(down, 0);
        return down;
    }

    private static RtpPacket parse(byte[] b) {
        RtpPacket p = new RtpPacket();
        assertThat(p.wrap(b, 0, b.length)).isTrue();
        return p;
    }

    @Test
    void aReceiversNackIsServedAsRtxWithItsOwnSsrcAndSequenceAndTheOriginalSeqInFront() {
        UpTrack track = new UpTrack(up, SfuFixtures.videoSection("0", MEDIA), null, MEDIA);
        DownTrack down = receiverOf(track, 0xABCD);
        for (int seq = 100; seq < 105; seq++) {
            byte[] p = DownTrackLayerTest.vp8Packet(seq, seq * 3000L, seq, 0, seq == 100);
            track.receive(p, 0, p.length, 0);
        }
        RtpPacket original = parse(downTransport.rtp.get(2));
        down.nacked(original.sequenceNumber(), 0);
        down.nacked(original.sequenceNumber(), 0);
        assertThat(downTransport.rtp).hasSize(7);
        RtpPacket first = parse(downTransport.rtp.get(5));
        RtpPacket second = parse(downTransport.rtp.get(6));
        assertThat(first.ssrc()).isEqualTo(0xABCD);
        assertThat(first.payloadType()).isEqualTo(97);
        assertThat(second.sequenceNumber()).as("RTX has its own numbering").isEqualTo((first.sequenceNumber() + 1) & 0xFFFF);
        assertThat(first.timestamp()).isEqualTo(original.timestamp());
        byte[] b = first.buffer();
        assertThat(((b[first.payloadOffset()] & 0xFF) << 8) | (b[first.payloadOffset() + 1] & 0xFF))
                .as("OSN: the receiver's sequence number of the original").isEqualTo(original.sequenceNumber());
        assertThat(first.payloadLength()).isEqualTo(original.payloadLength() + 2);
        assertThat(down.retransmissions()).isEqualTo(2);
    }

    @Test
    void MD13_onALinkThatNackedOnePercentWithin10sEachRetransmissionGoesOutTwiceOnTwoRtxNumbers() {
        UpTrack track = new UpTrack(up, SfuFixtures.videoSection("0", MEDIA), null, MEDIA);
        DownTrack down = receiverOf(track, 0xABCD);
        for (int seq = 100; seq < 150; seq++) {
            byte[] p = DownTrackLayerTest.vp8Packet(seq, seq * 3000L, seq, 0, seq == 100);
            track.receive(p, 0, p.length, 0);
        }
        int sent = downTransport.rtp.size();
        RtpPacket original = parse(downTransport.rtp.get(10));
        down.nacked(original.sequenceNumber(), 0);
        assertThat(downTransport.rtp).as("a clean link so far: one RTX").hasSize(sent + 1);

        down.receiverReport(0, 1_000_000_000L);                  // 1 NACK for 50 packets: 2 %
        down.nacked(original.sequenceNumber(), 1_000_000_000L);
        assertThat(downTransport.rtp).as("a lossy link: two copies").hasSize(sent + 3);
        RtpPacket a = parse(downTransport.rtp.get(sent + 1));
        RtpPacket b = parse(downTransport.rtp.get(sent + 2));
        assertThat(b.ssrc()).isEqualTo(0xABCD);
        assertThat(b.sequenceNumber()).as("distinct RTX numbers: both pass SRTP's replay check")
                .isEqualTo((a.sequenceNumber() + 1) & 0xFFFF);
        assertThat(java.util.Arrays.copyOfRange(b.buffer(), b.payloadOffset(), b.payloadOffset() + b.payloadLength()))
                .as("same OSN and payload").isEqualTo(java.util.Arrays.copyOfRange(a.buffer(), a.payloadOffset(),
                        a.payloadOffset() + a.payloadLength()));

        down.receiverReport(0, 2_000_000_000L);                  // a quiet second: still lossy (10 s hold)
        int held = downTransport.rtp.size();
        down.nacked(original.sequenceNumber(), 2_000_000_000L);
        assertThat(downTransport.rtp).as("a quiet second on a lossy link: still two").hasSize(held + 2);

        for (int seq = 150; seq < 350; seq++) {                   // 200 packets, 1 NACK: 0.5 %
            byte[] p = DownTrackLayerTest.vp8Packet(seq, seq * 3000L, seq, 0, false);
            track.receive(p, 0, p.length, 0);
        }
        down.receiverReport(0, 12_000_000_000L);
        int before = downTransport.rtp.size();
        down.nacked(original.sequenceNumber(), 12_000_000_000L);
        assertThat(downTransport.rtp).as("10 s without 1 % NACKs: one copy again").hasSize(before + 1);
    }

    @Test
    void MD13_withoutRtxTheResendIsPlainAndByteIdentical() {
        UpTrack track = new UpTrack(up, SfuFixtures.videoSection("0", MEDIA), null, MEDIA);
        DownTrack down = receiverOf(track, 0);
        for (int seq = 100; seq < 103; seq++) {
            byte[] p = DownTrackLayerTest.vp8Packet(seq, seq * 3000L, seq, 0, seq == 100);
            track.receive(p, 0, p.length, 0);
        }
        down.nacked(parse(downTransport.rtp.get(1)).sequenceNumber(), 0);
        assertThat(downTransport.rtp.get(3)).isEqualTo(downTransport.rtp.get(1));
    }

    @Test
    void rtxFromThePresenterIsUnwrappedCachedAndForwardedAndProbesAreDropped() {
        up.setSections(List.of(videoWithRtx()));
        byte[] first = DownTrackLayerTest.vp8Packet(10, 0, 1, 0, true);
        RtpWriter.writeHeader(first, 0, true, 96, 10, 0, MEDIA);
        up.onRtp(first, 0, first.length);
        UpTrack track = up.tracks().getFirst();
        receiverOf(track, 0);
        byte[] third = DownTrackLayerTest.vp8Packet(12, 0, 3, 0, false);
        RtpWriter.writeHeader(third, 0, true, 96, 12, 0, MEDIA);
        up.onRtp(third, 0, third.length);                         // 11 lost

        // 11 arrives as RTX: PT 97, its own seq, OSN 11 in front of the payload
        byte[] lost = DownTrackLayerTest.vp8Packet(11, 0, 2, 0, false);
        byte[] rtx = new byte[lost.length + 2];
        RtpWriter.writeHeader(rtx, 0, true, 97, 500, 0, RTX);
        rtx[12] = 0;
        rtx[13] = 11;
        System.arraycopy(lost, 12, rtx, 14, lost.length - 12);
        up.onRtp(rtx, 0, rtx.length);

        byte[] probe = new byte[12 + 100];                        // padding only, on the RTX SSRC
        RtpWriter.writeHeader(probe, 0, false, 97, 501, 0, RTX);
        probe[0] |= 0x20;
        probe[probe.length - 1] = 100;
        up.onRtp(probe, 0, probe.length);

        assertThat(up.tracks()).as("RTX never becomes a track").hasSize(1);
        byte[] cached = new byte[PacketCache.SLOT_SIZE];
        int n = track.cached(11, cached);
        assertThat(n).as("the original is in the cache").isEqualTo(lost.length);
        RtpPacket restored = parse(java.util.Arrays.copyOf(cached, n));
        assertThat(restored.ssrc()).isEqualTo(MEDIA);
        assertThat(restored.payloadType()).isEqualTo(96);
        assertThat(downTransport.rtp).as("keyframe, 12, then the repaired 11").hasSize(3);
        assertThat(java.util.Arrays.copyOfRange(downTransport.rtp.get(2), 12, n))
                .isEqualTo(java.util.Arrays.copyOfRange(lost, 12, n));
    }

    @Test
    void theAnswerAcceptsTheOfferedRtxOfTheChosenCodecAndDownOffersCarryRtxWithFid() throws Exception {
        String chromium;
        try (InputStream in = RtxForwardingTest.class.getResourceAsStream("/sdp/chromium-offer-camera.sdp")) {
            chromium = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        SdpNegotiation.Answer a = SdpNegotiation.answer(SessionDescription.parse(chromium), List.of("vp8", "opus"),
                DtlsSetupTest.LOCAL);
        var video = a.sdp().media().stream().filter(m -> m.isVideo()).findFirst().orElseThrow();
        assertThat(video.codecs()).extracting(c -> c.name() + "/" + c.payloadType() + "/" + c.fmtp())
                .containsExactly("VP8/96/null", "rtx/97/apt=96");
        UpSection section = a.sections().stream().filter(s -> s.kind().equals("video")).findFirst().orElseThrow();
        assertThat(section.rtx().payloadType()).isEqualTo(97);
        assertThat(a.sections().stream().filter(s -> s.kind().equals("audio")).findFirst().orElseThrow().rtx()).isNull();

        SessionDescription offer = SdpNegotiation.offer(List.of(new DownSection("0", "video", section.codec(), 1111,
                "cname", "s", "t", true, 2222)), DtlsSetupTest.LOCAL, 1, 1);
        String sdp = offer.toString();
        assertThat(sdp).contains("a=rtpmap:97 rtx/90000", "a=fmtp:97 apt=96", "a=ssrc-group:FID 1111 2222",
                "a=ssrc:2222 cname:cname");
    }
}
