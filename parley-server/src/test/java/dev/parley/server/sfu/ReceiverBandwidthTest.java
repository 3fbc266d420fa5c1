package dev.parley.server.sfu;

import dev.parley.rtc.rtcp.TransportFeedbackWriter;
import dev.parley.rtc.rtp.RtpPacket;
import dev.parley.rtc.sdp.ExtMap;
import dev.parley.rtc.sdp.SessionDescription;
import dev.parley.server.estimator.ProbeController;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #14 on the server side of a receiver: transport-cc offered and taken from the answer,
 * every packet numbered, feedback turned into an estimate, probes sent as numbered RTX padding.
 */
class ReceiverBandwidthTest {
    private static final long MEDIA = 0x1234;

    @Test
    void theOfferAsksForTransportWideNumbersAndTheAnswerDecides() {
        var transport = new DownStreamTest.SignallingTransport();
        UpStream up = SfuFixtures.upStream("u", transport);
        DownStream down = new DownStream(up);
        down.setTransport(transport);
        down.select(List.of(new UpTrack(up, SfuFixtures.audioSection("0", 1), null, 1),
                new UpTrack(up, SfuFixtures.videoSection("1", 2), null, 2)));
        SessionDescription offer = down.nextOffer(false);
        for (var m : offer.media()) {
            assertThat(m.extMapId(ExtMap.TRANSPORT_WIDE_CC)).hasValue(SdpNegotiation.DOWN_TRANSPORT_CC_ID);
            assertThat(m.codecs().getFirst().feedback()).contains("transport-cc");
        }
        assertThat(offer.media().get(1).codecs().getFirst().feedback()).as("REMB stays for the others")
                .contains("goog-remb");
        String sdp = offer.toString();
        assertThat(SdpNegotiation.transportCcId(SessionDescription.parse(sdp))).isEqualTo(3);
        assertThat(SdpNegotiation.transportCcId(SessionDescription.parse(sdp.replaceAll("a=extmap:3 [^\r\n]*\r\n", ""))))
                .as("without the extension").isEqualTo(-1);
        assertThat(SdpNegotiation.transportCcId(SessionDescription.parse(sdp.replace("a=rtcp-fb:96 transport-cc\r\n", "")
                .replace("a=rtcp-fb:111 transport-cc\r\n", "")))).as("without the feedback").isEqualTo(-1);
    }

    @Test
    void everyPacketIsNumberedFeedbackGivesAnEstimateAndProbesAreNumberedRtxPadding() {
        Receiver r = receiverWithRtx(false);
        var downTransport = r.transport();
        UpTrack track = r.track();
        DownTrack down = r.down();
        ReceiverBandwidth bandwidth = new ReceiverBandwidth();
        assertThat(bandwidth.estimate()).isEqualTo(-1);

        // without transport-cc: sent as they are
        bandwidth.send(downTransport, new byte[]{(byte) 0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2}, 0, 12);
        assertThat(downTransport.rtp.getLast()).hasSize(12);
        downTransport.rtp.clear();

        bandwidth.setExtensionId(3);
        for (int seq = 100; seq < 140; seq++) {
            byte[] p = DownTrackLayerTest.vp8Packet(seq, seq * 3000L, seq, 0, seq == 100);
            track.receive(p, 0, p.length, 0);
        }
        // the down track sends through its stream, which has its own ReceiverBandwidth (not numbered:
        // no answer); number this test's copies the same way the stream would
        assertThat(downTransport.rtp).hasSize(40);
        long[] arrivals = new long[40];
        RtpPacket view = new RtpPacket();
        for (int i = 0; i < 40; i++) {
            byte[] b = java.util.Arrays.copyOf(downTransport.rtp.get(i), 1100);
            var recording = new DownTrackLayerTest.RecordingTransport();
            bandwidth.send(recording, b, 0, downTransport.rtp.get(i).length);
            byte[] sent = recording.rtp.getFirst();
            assertThat(view.wrap(sent, 0, sent.length)).isTrue();
            int at = view.findExtension(3);
            assertThat(((sent[at] & 0xFF) << 8) | (sent[at + 1] & 0xFF)).as("transport-wide number").isEqualTo(i);
            arrivals[i] = 1_000_000 + i * 20_000L;                 // one every 20 ms: 800 ms
        }
        byte[] fb = new byte[1500];
        int n = new TransportFeedbackWriter(100).write(fb, 0, fb.length, 1, 0, 0, arrivals, 0, 40, 0);
        bandwidth.onFeedback(fb, 0, n, 0);
        assertThat(bandwidth.acknowledged()).as("a 500 ms window complete").isPositive();
        long estimate = bandwidth.estimate();
        assertThat(estimate).isPositive();

        downTransport.rtp.clear();
        bandwidth.maybeProbe(downTransport, down, estimate * 10, 2_000_000_000L);
        assertThat(downTransport.rtp).as("a cluster of at least six packets").hasSizeGreaterThan(5);
        int first = -1;
        for (byte[] probe : downTransport.rtp) {
            assertThat(view.wrap(probe, 0, probe.length)).isTrue();
            assertThat(view.ssrc()).as("on the RTX stream").isEqualTo(0xABCD);
            assertThat(view.payloadLength()).as("padding only").isZero();
            int at = view.findExtension(3);
            int seq = ((probe[at] & 0xFF) << 8) | (probe[at + 1] & 0xFF);
            assertThat(seq).isEqualTo(first < 0 ? 40 : first + 1);
            first = seq;
        }
        // the probe arrived as fast as it was sent: at least the probe rate; its result raises the estimate
        int packets = downTransport.rtp.size();
        long bytes = packets * (long) downTransport.rtp.getFirst().length;
        long probeRate = Math.min(estimate * 10, (long) (estimate * ProbeController.FACTOR));
        long[] probeArrivals = new long[packets];
        long gap = bytes * 8_000_000 / probeRate / packets;
        for (int i = 0; i < packets; i++) {
            probeArrivals[i] = 2_000_000 + i * gap;
        }
        n = new TransportFeedbackWriter(100).write(fb, 0, fb.length, 1, 0, 40, probeArrivals, 0, packets, 1);
        bandwidth.onFeedback(fb, 0, n, 100);
        assertThat(bandwidth.estimate()).isGreaterThan(estimate * 3 / 2);
    }
    /**
     * Issue #14: a receiver that negotiated RTX is probed with RTX copies of the media it was
     * just sent (~1000 bytes here), as libwebrtc probes: its RTX SSRC, payload type and sequence
     * numbers, the OSN the packet's sequence number as sent to it and the payload as sent (it has
     * the packet and drops the copy), numbered for transport-cc, at least
     * {@link ProbeController#MIN_COPIES} of them and the cluster's minimum bytes.
     */
    @Test
    void aReceiverWithRtxIsProbedWithRtxCopiesOfRecentMedia() {
        Probed probed = probeAfterMedia(1_900_000_000L);
        var rtp = probed.transport().rtp;
        assertThat(rtp).as("the cluster").hasSizeGreaterThanOrEqualTo(ProbeController.MIN_COPIES);
        RtpPacket view = new RtpPacket();
        RtpPacket media = new RtpPacket();
        long bytes = 0;
        int last = -1;
        java.util.Set<Integer> osns = new java.util.HashSet<>();
        for (byte[] probe : rtp) {
            assertThat(view.wrap(probe, 0, probe.length)).isTrue();
            assertThat(view.ssrc()).as("on the RTX stream").isEqualTo(0xABCD);
            assertThat(view.payloadType()).as("RTX payload type").isEqualTo(97);
            int at = view.findExtension(3);
            int number = ((probe[at] & 0xFF) << 8) | (probe[at + 1] & 0xFF);
            assertThat(number).as("transport-wide number").isEqualTo(last < 0 ? 40 : last + 1);
            last = number;
            int rtxSeq = view.sequenceNumber();
            int osn = ((probe[view.payloadOffset()] & 0xFF) << 8) | (probe[view.payloadOffset() + 1] & 0xFF);
            byte[] original = probed.media().get(osn);
            assertThat(original).as("OSN %d is a packet sent to the receiver", osn).isNotNull();
            assertThat(media.wrap(original, 0, original.length)).isTrue();
            assertThat(java.util.Arrays.copyOfRange(probe, view.payloadOffset() + 2, probe.length))
                    .as("its payload as sent").isEqualTo(java.util.Arrays.copyOfRange(original, media.payloadOffset(),
                            original.length));
            assertThat(view.timestamp()).isEqualTo(media.timestamp());
            osns.add(osn);
            bytes += probe.length;
            if (rtp.indexOf(probe) > 0) {
                assertThat(rtxSeq).as("RTX numbering").isEqualTo((seqOf(rtp.get(rtp.indexOf(probe) - 1)) + 1) & 0xFFFF);
            }
        }
        assertThat(bytes).as("the cluster's bytes").isGreaterThanOrEqualTo(ProbeController.MIN_CLUSTER_BYTES);
        assertThat(osns).as("the most recent packets, newest first").contains(139, 138, 137);
    }

    /** Media older than a second is not resent: the probe pads. */
    @Test
    void aProbeAfterASecondWithoutMediaPads() {
        Probed probed = probeAfterMedia(2_100_000_000L);
        assertThat(probed.transport().rtp).hasSizeGreaterThan(5);
        RtpPacket view = new RtpPacket();
        for (byte[] probe : probed.transport().rtp) {
            assertThat(view.wrap(probe, 0, probe.length)).isTrue();
            assertThat(view.ssrc()).isEqualTo(0xABCD);
            assertThat(view.payloadLength()).as("padding only").isZero();
        }
    }

    private static int seqOf(byte[] packet) {
        return ((packet[2] & 0xFF) << 8) | (packet[3] & 0xFF);
    }

    private record Probed(DownTrackLayerTest.RecordingTransport transport, Map<Integer, byte[]> media) {
    }

    private record Receiver(DownTrackLayerTest.RecordingTransport transport, UpTrack track, DownTrack down) {
    }

    /**
     * A VP8 track (RTX payload type 97) forwarded to a receiver that negotiated RTX (SSRC 0xABCD),
     * and transport-cc (extension 3) when {@code numbered}.
     */
    private static Receiver receiverWithRtx(boolean numbered) {
        var upTransport = new DownTrackLayerTest.RecordingTransport();
        var downTransport = new DownTrackLayerTest.RecordingTransport();
        UpStream up = SfuFixtures.upStream("u", upTransport);
        UpSection v = SfuFixtures.videoSection("0", MEDIA);
        UpTrack track = new UpTrack(up, new UpSection("0", "video", v.codec(), 96, List.of(), null, List.of(MEDIA),
                -1, -1, true, true, true, -1, new UpSection.Rtx(97, Map.of(), -1)), null, MEDIA);
        DownStream stream = new DownStream(up);
        stream.setTransport(downTransport);
        DownTrack down = new DownTrack(stream, track, 0x5678, 0);
        down.setRtxSsrc(0xABCD);
        track.attach(down, 0);
        if (numbered) {
            stream.setTransportCcId(3);
        }
        return new Receiver(downTransport, track, down);
    }

    /**
     * 40 VP8 packets forwarded to a receiver with RTX, the last at 1 s; their feedback gives an
     * estimate; then a probe at {@code probeNanos}. Returns what the probe sent and the media
     * as sent, by sequence number.
     */
    private static Probed probeAfterMedia(long probeNanos) {
        Receiver r = receiverWithRtx(true);
        var downTransport = r.transport();
        UpTrack track = r.track();
        DownTrack down = r.down();
        ReceiverBandwidth bandwidth = new ReceiverBandwidth();
        bandwidth.setExtensionId(3);
        for (int seq = 100; seq < 140; seq++) {
            byte[] p = DownTrackLayerTest.vp8Packet(seq, seq * 3000L, seq, 0, seq == 100);
            track.receive(p, 0, p.length, 1_000_000_000L - (140 - seq) * 20_000_000L);
        }
        Map<Integer, byte[]> media = new java.util.HashMap<>();
        long[] arrivals = new long[40];
        for (int i = 0; i < 40; i++) {
            byte[] sent = downTransport.rtp.get(i);
            media.put(seqOf(sent), sent);
            bandwidth.send(new DownTrackLayerTest.RecordingTransport(), java.util.Arrays.copyOf(sent, 1100), 0, sent.length);
            arrivals[i] = 1_000_000 + i * 20_000L;
        }
        byte[] fb = new byte[1500];
        int n = new TransportFeedbackWriter(100).write(fb, 0, fb.length, 1, 0, 0, arrivals, 0, 40, 0);
        bandwidth.onFeedback(fb, 0, n, 1_000_000_000L);
        long estimate = bandwidth.estimate();
        assertThat(estimate).isPositive();
        downTransport.rtp.clear();
        bandwidth.maybeProbe(downTransport, down, estimate * 10, probeNanos);
        return new Probed(downTransport, media);
    }
}
