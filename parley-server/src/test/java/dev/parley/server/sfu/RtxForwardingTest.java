package dev.parley.server.sfu;

import dev.parley.rtc.rtp.RtpPacket;
import dev.parley.rtc.rtp.RtpWriter;
import dev.parley.rtc.sdp.Fingerprint;
import dev.parley.rtc.sdp.SessionDescription;
import dev.parley.rtc.srtp.SrtpContext;
import dev.parley.rtc.srtp.SrtpProfile;
import dev.parley.rtc.srtp.SrtpStatus;
import dev.parley.server.packetcache.PacketCache;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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

    /** The presenter sends VP8 packet {@code seq} (picture {@code picture}) on the media SSRC; returns what it sent. */
    private byte[] presenterSends(int seq, int picture, boolean keyframe) {
        byte[] p = DownTrackLayerTest.vp8Packet(seq, 0, picture, 0, keyframe);     // PT 96, SSRC MEDIA
        up.onRtp(p, 0, p.length);
        return p;
    }

    /** The presenter sends {@code original} again as RTX (PT 97, RTX sequence {@code rtxSeq}, its OSN in front). */
    private void presenterResendsAsRtx(byte[] original, int rtxSeq) {
        byte[] rtx = new byte[original.length + 2];
        RtpWriter.writeHeader(rtx, 0, true, 97, rtxSeq, 0, RTX);
        int osn = ((original[2] & 0xFF) << 8) | (original[3] & 0xFF);
        rtx[12] = (byte) (osn >> 8);
        rtx[13] = (byte) osn;
        System.arraycopy(original, 12, rtx, 14, original.length - 12);
        up.onRtp(rtx, 0, rtx.length);
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
        down.nacked(original.sequenceNumber(), 200_000_000L);          // asked again after a round trip
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

    /**
     * Issue #14: losses with a growing queue are congestion, not a radio: while the receiver's
     * transport feedback showed delay over-use within the last 5 s, a lossy link gets one RTX
     * copy per resend, not two (the second only queues ahead of the media); 5 s later two again.
     */
    @Test
    void MD13_MD14_noSecondRtxCopyWhileTheLinkShowedDelayOveruseInTheLast5s() {
        DownStream stream = new DownStream(up);
        stream.setTransport(downTransport);
        stream.setTransportCcId(3);
        UpTrack track = new UpTrack(up, SfuFixtures.videoSection("0", MEDIA), null, MEDIA);
        DownTrack down = new DownTrack(stream, track, 0x5678, 0);
        down.setRtxSsrc(0xABCD);
        track.attach(down, 0);
        for (int seq = 100; seq < 150; seq++) {
            byte[] p = DownTrackLayerTest.vp8Packet(seq, seq * 3000L, seq, 0, seq == 100);
            track.receive(p, 0, p.length, 0);
        }
        int original = parse(downTransport.rtp.get(10)).sequenceNumber();
        long ms = 1_000_000L;
        down.nacked(original, 0);
        down.receiverReport(0, 1_000 * ms);                      // 1 NACK for 50 packets: lossy for 10 s
        int sent = downTransport.rtp.size();
        down.nacked(original, 2_000 * ms);
        assertThat(downTransport.rtp).as("a lossy link without a queue: two copies").hasSize(sent + 2);

        queueGrowsUntil(stream, 3_000);
        long overuse = stream.bandwidth().estimator().lastOveruseMs();
        assertThat(overuse).as("the feedback showed over-use").isBetween(2_000L, 3_000L);
        sent = downTransport.rtp.size();
        down.nacked(original, (overuse + 1_000) * ms);
        assertThat(downTransport.rtp).as("over-use 1 s ago: one copy").hasSize(sent + 1);
        sent = downTransport.rtp.size();
        down.nacked(original, (overuse + 4_900) * ms);
        assertThat(downTransport.rtp).as("4.9 s ago: still one").hasSize(sent + 1);
        sent = downTransport.rtp.size();
        down.nacked(original, (overuse + 5_100) * ms);
        assertThat(downTransport.rtp).as("5.1 s ago, still a lossy link: two again").hasSize(sent + 2);
    }

    /**
     * Transport feedback in synthetic time telling {@code stream} its packets queue up: 100
     * packets sent 10 ms apart arriving 15 ms apart, reported in fives, the last at {@code atMs}.
     */
    private static void queueGrowsUntil(DownStream stream, long atMs) {
        var estimator = stream.bandwidth().estimator();
        int first = estimator.nextSequence();
        long[] arrivals = new long[100];
        for (int i = 0; i < arrivals.length; i++) {
            estimator.sent(1200, 500_000_000L + i * 10_000L, dev.parley.server.estimator.SendHistory.NO_CLUSTER);
            arrivals[i] = 1_000_000 + i * 15_000L;
        }
        byte[] fb = new byte[1500];
        var writer = new dev.parley.rtc.rtcp.TransportFeedbackWriter(100);
        for (int from = 0; from < arrivals.length; from += 5) {
            int n = writer.write(fb, 0, fb.length, 1, 0, (first + from) & 0xFFFF, arrivals, from, 5, from / 5);
            stream.bandwidth().onFeedback(fb, 0, n, (atMs - (arrivals.length - from - 5) * 15L) * 1_000_000);
        }
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

    /** Protects what it sends with AEAD_AES_128_GCM as the real transport does; records what SRTP let out. */
    static final class GcmTransport implements MediaTransport {
        final SrtpContext srtp = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, new byte[16], new byte[12]);
        final List<byte[]> rtp = new ArrayList<>();
        private final byte[] wire = new byte[2048];

        int protect(byte[] buf, int off, int len) {
            int n = srtp.protectRtp(buf, off, len, wire, 0);
            if (n > 0) {
                rtp.add(Arrays.copyOfRange(buf, off, off + len));
            }
            return n;
        }

        @Override public LocalEndpoint local() { return null; }
        @Override public void setRemoteFingerprint(Fingerprint fingerprint) { }
        @Override public void setRemoteUfrag(String ufrag) { }
        @Override public LocalEndpoint restartIce(String ufrag) { return null; }
        @Override public boolean isConnected() { return true; }
        @Override public void sendRtp(byte[] buf, int off, int len) { protect(buf, off, len); }
        @Override public boolean resendRtp(byte[] buf, int off, int len) { return protect(buf, off, len) != SrtpStatus.NONCE_REUSE; }
        @Override public void sendRtcp(byte[] buf, int off, int len) { }
        @Override public void execute(Runnable task) { task.run(); }
        @Override public void close() { }
    }

    private static int transportNumber(byte[] packet) {
        RtpPacket p = parse(packet);
        int at = p.findExtension(3);
        return ((packet[at] & 0xFF) << 8) | (packet[at + 1] & 0xFF);
    }

    @Test
    void MD13_pitfall4_aPlainResendToATransportCcReceiverUnderGcmCarriesItsFirstNumberAndIsByteIdentical() {
        GcmTransport gcm = new GcmTransport();
        DownStream stream = new DownStream(up);
        stream.setTransport(gcm);
        stream.setTransportCcId(3);
        UpTrack track = new UpTrack(up, SfuFixtures.videoSection("0", MEDIA), null, MEDIA);
        DownTrack down = new DownTrack(stream, track, 0x5678, 0);
        track.attach(down, 0);                                     // no RTX: resends are plain
        for (int seq = 100; seq < 110; seq++) {
            byte[] p = DownTrackLayerTest.vp8Packet(seq, seq * 3000L, seq, 0, seq == 100);
            track.receive(p, 0, p.length, 0);
        }
        assertThat(gcm.rtp).hasSize(10);
        byte[] original = gcm.rtp.get(4);
        assertThat(transportNumber(original)).isEqualTo(4);

        // what the hole was: the same packet with a new transport-wide number reuses the GCM nonce
        byte[] renumbered = original.clone();
        dev.parley.rtc.rtp.TransportSequence.stamp(renumbered, 0, renumbered.length, 3, 10);
        assertThat(new GcmTransport().srtp.protectRtp(original.clone(), 0, original.length, new byte[2048], 0)).isPositive();
        assertThat(gcm.srtp.protectRtp(renumbered, 0, renumbered.length, new byte[2048], 0))
                .isEqualTo(SrtpStatus.NONCE_REUSE);

        down.nacked(parse(original).sequenceNumber(), 0);
        assertThat(gcm.rtp).as("SRTP let the resend out").hasSize(11);
        assertThat(gcm.rtp.get(10)).as("byte-identical, transport-wide number included").isEqualTo(original);
        assertThat(down.retransmissions()).isEqualTo(1);
        assertThat(stream.counters().get(StreamCounters.RESENDS_REFUSED)).isZero();

        byte[] next = DownTrackLayerTest.vp8Packet(110, 330_000L, 110, 0, false);
        track.receive(next, 0, next.length, 0);
        assertThat(transportNumber(gcm.rtp.getLast())).as("the resend was no new send: no number used").isEqualTo(10);
    }

    @Test
    void MD13_aPlainResendWhoseTransportNumberIsNotKnownIsRefusedAndCounted() {
        GcmTransport gcm = new GcmTransport();
        DownStream stream = new DownStream(up);
        stream.setTransport(gcm);
        UpTrack track = new UpTrack(up, SfuFixtures.videoSection("0", MEDIA), null, MEDIA);
        DownTrack down = new DownTrack(stream, track, 0x5678, 0);
        track.attach(down, 0);
        for (int seq = 100; seq < 105; seq++) {
            byte[] p = DownTrackLayerTest.vp8Packet(seq, seq * 3000L, seq, 0, seq == 100);
            track.receive(p, 0, p.length, 0);
        }
        stream.setTransportCcId(3);                                // numbered only from now on (a new answer)
        down.nacked(parse(gcm.rtp.get(2)).sequenceNumber(), 0);
        assertThat(gcm.rtp).as("sent unnumbered, so it cannot be sent numbered and identical").hasSize(5);
        assertThat(stream.counters().get(StreamCounters.RESENDS_REFUSED)).isEqualTo(1);
        assertThat(down.retransmissions()).isZero();
    }

    @Test
    void rtxFromThePresenterIsUnwrappedCachedAndForwardedAndProbesAreDropped() {
        up.setSections(List.of(videoWithRtx()));
        presenterSends(10, 1, true);
        UpTrack track = up.tracks().getFirst();
        receiverOf(track, 0);
        presenterSends(12, 3, false);                             // 11 lost

        // 11 arrives as RTX: PT 97, its own seq, OSN 11 in front of the payload
        byte[] lost = DownTrackLayerTest.vp8Packet(11, 0, 2, 0, false);
        presenterResendsAsRtx(lost, 500);

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
    void MD13_rtxPaddingThatRepeatsAPacketAlreadyReceivedIsNotForwardedAgain() {
        up.setSections(List.of(videoWithRtx()));
        presenterSends(10, 1, true);
        UpTrack track = up.tracks().getFirst();
        receiverOf(track, 0);
        byte[] second = presenterSends(11, 2, false);
        long bitrateBefore = track.receivedBitrate(System.nanoTime());

        // libwebrtc's "redundant payload" padding: 11 again, as RTX, three times
        for (int i = 0; i < 3; i++) {
            presenterResendsAsRtx(second, 600 + i);
        }

        assertThat(downTransport.rtp).as("keyframe and 11, each once").hasSize(2);
        assertThat(track.duplicatesDropped()).isEqualTo(3);
        assertThat(track.receivedBitrate(System.nanoTime())).as("the layer's rate leaves the copies out")
                .isLessThanOrEqualTo(bitrateBefore);
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
