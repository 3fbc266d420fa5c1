package dev.parley.server.sfu;

import dev.parley.rtc.codec.Vp8Descriptor;
import dev.parley.rtc.rtcp.RtcpHandler;
import dev.parley.rtc.rtcp.RtcpReader;
import dev.parley.rtc.rtp.RtpPacket;
import dev.parley.rtc.rtp.RtpWriter;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #14: a receiver's video moves between simulcast layers on one SSRC, at a keyframe of
 * the target layer, with contiguous sequence numbers, continuous timestamps and VP8 picture
 * numbering (picture id, TL0PICIDX, KEYIDX), and NACKs served from the layer a packet came from
 * (MD7's continuity, MD11's keyframe request, MD13). Synthetic RTP on one thread; the transports
 * record what would be sent.
 */
class SimulcastSwitchTest extends SimulcastFixture {
    /** Each layer's own numbering: sequence numbers, timestamps and VP8 indices unrelated to the other's. */
    private final Layer h;
    private final Layer l;

    /** The presenter's stream learns its two layers from their first packets, as from a browser. */
    SimulcastSwitchTest() {
        up.setSections(List.of(simulcastSection()));
        byte[] first = vp8(999, 7_000, 99, 9, 3, false, true, true, HIGH_SSRC);
        up.onRtp(first, 0, first.length);
        first = vp8(59_999, 3_999_997_000L, 32_699, 249, 30, false, true, true, LOW_SSRC);
        up.onRtp(first, 0, first.length);
        high = up.tracks().get(0);
        low = up.tracks().get(1);
        h = new Layer(high, 1000, 10_000, 100, 10, 3);
        l = new Layer(low, 60_000, 4_000_000_000L, 32_700, 250, 30);
        downStream.setTransport(downTransport);
    }

    private static UpSection simulcastSection() {
        CodecTable.Entry vp8 = CodecTable.choose(List.of("vp8"), "video",
                List.of(new dev.parley.rtc.sdp.RtpCodec(96, "VP8", 90000, 0, null, List.of()))).orElseThrow().entry();
        return new UpSection("0", "video", vp8, 96, List.of("h", "l"), null, List.of(HIGH_SSRC, LOW_SSRC), -1, -1,
                true, true, true);
    }

    /** One simulcast layer as its encoder numbers it: a frame is two packets, TL0 only (every frame bumps TL0PICIDX). */
    private final class Layer {
        final UpTrack track;
        int seq;
        long ts;
        int pictureId;
        int tl0;
        int keyIdx;

        Layer(UpTrack track, int seq, long ts, int pictureId, int tl0, int keyIdx) {
            this.track = track;
            this.seq = seq;
            this.ts = ts;
            this.pictureId = pictureId;
            this.tl0 = tl0;
            this.keyIdx = keyIdx;
        }

        /** Sends one frame of this layer into its up track; returns the packets' input sequence numbers. */
        int[] frame(boolean keyframe) {
            if (keyframe) {
                keyIdx = (keyIdx + 1) & 0x1F;
            }
            int[] seqs = new int[2];
            for (int part = 0; part < 2; part++) {
                byte[] p = vp8(seq, ts, pictureId, tl0, keyIdx, keyframe, part == 0, part == 1, track.ssrc());
                seqs[part] = seq;
                track.receive(p, 0, p.length, now);
                seq = (seq + 1) & 0xFFFF;
            }
            ts = (ts + 3000) & 0xFFFFFFFFL;
            pictureId = (pictureId + 1) & 0x7FFF;
            tl0 = (tl0 + 1) & 0xFF;
            return seqs;
        }
    }

    /** A VP8 packet with a 15-bit picture id, TL0PICIDX and TID/KEYIDX byte. */
    static byte[] vp8(int seq, long ts, int pictureId, int tl0, int keyIdx, boolean keyframe, boolean start,
                      boolean marker, long ssrc) {
        byte[] p = new byte[300];
        RtpWriter.writeHeader(p, 0, marker, 96, seq & 0xFFFF, ts, ssrc);
        int d = 12;
        p[d] = (byte) (start ? 0x90 : 0x80);                      // X, S on the first packet, partition 0
        p[d + 1] = (byte) 0xF0;                                   // I, L, T, K
        p[d + 2] = (byte) (0x80 | (pictureId >> 8) & 0x7F);
        p[d + 3] = (byte) pictureId;
        p[d + 4] = (byte) tl0;
        p[d + 5] = (byte) (0x20 | (keyIdx & 0x1F));              // TID 0, Y, KEYIDX
        p[d + 6] = (byte) (keyframe && start ? 0x10 : 0x11);     // VP8 header: P bit 0 on keyframes
        if (keyframe && start) {
            p[d + 9] = (byte) 0x9d;
            p[d + 10] = 0x01;
            p[d + 11] = 0x2a;
        }
        return p;
    }

    record Sent(int seq, long ts, int pictureId, int tl0, int keyIdx, long ssrc) {
    }

    static Sent decode(byte[] packet) {
        RtpPacket p = new RtpPacket();
        assertThat(p.wrap(packet, 0, packet.length)).isTrue();
        Vp8Descriptor d = new Vp8Descriptor();
        assertThat(d.parse(packet, p.payloadOffset(), p.payloadLength())).isTrue();
        return new Sent(p.sequenceNumber(), p.timestamp(), d.pictureId(), d.tl0PicIdx(), d.keyIdx(), p.ssrc());
    }

    private List<Sent> sent() {
        return downTransport.rtp.stream().map(SimulcastSwitchTest::decode).toList();
    }

    /** PLIs sent to the presenter for {@code ssrc}. */
    private int plisFor(long ssrc) {
        int[] n = {0};
        for (byte[] rtcp : upTransport.rtcp) {
            RtcpReader.read(rtcp, 0, rtcp.length, new RtcpHandler() {
                @Override
                public void onPli(long senderSsrc, long mediaSsrc) {
                    if (mediaSsrc == ssrc) {
                        n[0]++;
                    }
                }
            });
        }
        return n[0];
    }

    @Override
    void deltaFrameOfEachLayer() {
        h.frame(false);
        l.frame(false);
    }

    /** Every consecutive pair of sent packets: seq +1; timestamp +0 inside a frame, +3000 between frames; indices follow. */
    private static void assertContinuous(List<Sent> sent) {
        for (int i = 1; i < sent.size(); i++) {
            Sent a = sent.get(i - 1), b = sent.get(i);
            assertThat((b.seq() - a.seq()) & 0xFFFF).as("seq step at %d", i).isEqualTo(1);
            assertThat(b.ssrc()).as("one SSRC").isEqualTo(sent.getFirst().ssrc());
            boolean newFrame = b.pictureId() != a.pictureId();
            assertThat((b.pictureId() - a.pictureId()) & 0x7FFF).as("picture id step at %d", i).isEqualTo(newFrame ? 1 : 0);
            assertThat((b.ts() - a.ts()) & 0xFFFFFFFFL).as("timestamp step at %d", i).isEqualTo(newFrame ? 3000 : 0);
            assertThat((b.tl0() - a.tl0()) & 0xFF).as("TL0PICIDX step at %d", i).isEqualTo(newFrame ? 1 : 0);
        }
    }

    @Test
    void MD7_aSwitchDownAndBackUpKeepsOneContinuousStreamAndWaitsForTheTargetsKeyframe() {
        DownTrack d = attachedDownTrack();
        h.frame(true);
        l.frame(true);
        now += 33_000_000L;
        frames(5);
        assertThat(sent()).as("the high layer only").hasSize(12);
        assertThat(d.source()).isSameAs(high);

        d.capLayer(1);
        assertThat(plisFor(LOW_SSRC)).as("MD11: the target layer is asked for a keyframe").isEqualTo(1);
        frames(4);
        assertThat(d.source()).as("no keyframe of the low layer yet: still the high one").isSameAs(high);
        assertThat(sent()).as("a move down: the high layer is no longer sent, the link's queue drains").hasSize(12);

        int[] lowKey = l.frame(true);
        int[] highAfter = h.frame(false);
        now += 33_000_000L;
        frames(3);
        assertThat(d.source()).isSameAs(low);
        List<Sent> afterDown = sent();
        assertThat(afterDown).hasSize(12 + 2 + 6);
        assertThat(afterDown.get(12).keyIdx()).as("KEYIDX continues: one keyframe more than before")
                .isEqualTo((afterDown.get(11).keyIdx() + 1) & 0x1F);
        assertThat(lowKey).isNotEqualTo(highAfter);

        d.capLayer(0);
        assertThat(high.keyframeRequested()).as("MD11: the high layer is asked for a keyframe").isTrue();
        frames(2);
        h.frame(true);
        l.frame(false);
        now += 33_000_000L;
        frames(2);
        assertThat(d.source()).isSameAs(high);
        List<Sent> all = sent();
        assertThat(all).as("a move up keeps sending the low layer until the high keyframe").hasSize(20 + 4 + 2 + 4);
        assertContinuous(all);
        assertThat(d.layerSwitches()).isEqualTo(2);
        assertThat(downStream.counters().get(StreamCounters.LAYER_SWITCHES)).isEqualTo(2);
    }

    @Test
    void MD13_aNackForAPacketSentBeforeTheSwitchIsServedFromTheOldLayersCacheAsItWasSent() {
        DownTrack d = attachedDownTrack();
        h.frame(true);
        l.frame(true);
        frames(3);
        d.capLayer(1);
        l.frame(true);
        h.frame(false);
        frames(2);
        assertThat(d.source()).isSameAs(low);
        d.capLayer(0);                                   // back up: the low layer is sent until the high keyframe
        frames(1);
        h.frame(true);
        l.frame(false);
        frames(2);
        assertThat(d.source()).isSameAs(high);
        List<byte[]> wire = new ArrayList<>(downTransport.rtp);
        byte[] beforeSwitch = wire.get(wire.size() - 7);        // the low layer's last frame, second packet
        byte[] afterSwitch = wire.get(wire.size() - 1);
        assertThat(decode(beforeSwitch).pictureId()).isNotEqualTo(decode(wire.get(wire.size() - 6)).pictureId());

        d.nacked(decode(beforeSwitch).seq(), now);
        d.nacked(decode(afterSwitch).seq(), now);

        assertThat(downTransport.rtp).hasSize(wire.size() + 2);
        assertThat(downTransport.rtp.get(wire.size())).as("resent from the low layer's cache, byte for byte")
                .isEqualTo(beforeSwitch);
        assertThat(downTransport.rtp.get(wire.size() + 1)).as("resent from the high layer's cache").isEqualTo(afterSwitch);
        assertThat(d.retransmissions()).isEqualTo(2);
    }

    /**
     * MD14, issue #14: a move down because the link gave way does not repair the layer it leaves,
     * neither while the smaller layer's keyframe is awaited nor after: those retransmissions would
     * queue at the bottleneck ahead of that keyframe, and the receiver restarts there anyway.
     */
    @Test
    void MD14_aMoveDownForTheLinkDoesNotRepairTheLayerItLeaves() {
        DownTrack d = attachedDownTrack();
        h.frame(true);
        l.frame(true);
        frames(3);
        byte[] high = downTransport.rtp.getLast();
        d.capLayer(1);
        d.nacked(decode(high).seq(), now);
        assertThat(d.retransmissions()).as("draining: the high layer is left").isZero();
        l.frame(true);
        h.frame(false);
        frames(2);
        assertThat(d.source()).isSameAs(low);
        byte[] lowPacket = downTransport.rtp.getLast();
        int sent = downTransport.rtp.size();
        d.nacked(decode(high).seq(), now);
        d.nacked(decode(lowPacket).seq(), now);
        assertThat(downTransport.rtp).as("only the low layer's packet").hasSize(sent + 1);
        assertThat(downTransport.rtp.getLast()).isEqualTo(lowPacket);
    }

    /** MD13: a receiver asking again for a packet whose resend is still on its way gets no second copy. */
    @Test
    void MD13_aPacketAskedForAgainWithinTheRoundTripIsResentOnce() {
        DownTrack d = attachedDownTrack();
        h.frame(true);
        l.frame(true);
        frames(2);
        byte[] p = downTransport.rtp.getLast();
        int sent = downTransport.rtp.size();
        d.nacked(decode(p).seq(), now);
        d.nacked(decode(p).seq(), now + 50_000_000L);
        assertThat(downTransport.rtp).as("asked twice within 100 ms (no round trip measured yet)").hasSize(sent + 1);
        d.nacked(decode(p).seq(), now + 150_000_000L);
        assertThat(downTransport.rtp).as("a round trip later: lost again").hasSize(sent + 2);
    }

    /**
     * The layers have unrelated timestamps but sender reports: the low layer's timestamps are
     * moved onto the timeline the receiver already has, so the down track's SRs keep mapping the
     * same RTP time to the same NTP time across the switch (lip sync holds).
     */
    @Test
    void MD9_withSenderReportsTheSwitchKeepsTheDownTracksNtpRtpMapping() {
        long ntp = 0x1234_5678_0000_0000L;
        high.senderReport(ntp, h.ts, now);                 // same capture instant, each layer's own clock
        low.senderReport(ntp, l.ts, now);
        long offset = (h.ts - l.ts) & 0xFFFFFFFFL;
        downStream.startDirect(List.of(high));
        downStream.select(List.of(low));                   // the receiver asks for video-low: no new track
        DownTrack d = high.downTracks()[0];
        assertThat(low.downTracks()).containsExactly(d);
        assertThat(d.target()).isSameAs(low);
        l.frame(true);                                       // the low layer's keyframe starts the stream
        h.frame(true);
        now += 33_000_000L;
        frames(2);
        assertThat(d.source()).isSameAs(low);

        downStream.select(List.of(high));
        assertThat(d.target()).isSameAs(high);
        h.frame(true);
        l.frame(false);
        now += 33_000_000L;
        frames(2);
        assertThat(d.source()).isSameAs(high);
        assertContinuous(sent());
        assertThat(sent().getLast().ts()).as("the high layer rebased onto the low layer's timeline")
                .isEqualTo((h.ts - 3000 - offset) & 0xFFFFFFFFL);
        assertThat(senderReportRtp(now)).as("SR: the source's mapping plus the rebase")
                .isEqualTo((low.clock().rtpTimestampAt(now)) & 0xFFFFFFFFL);
    }

    /** RTP time of the down track in the sender report the down stream sends at {@code at}. */
    private long senderReportRtp(long at) {
        downTransport.rtcp.clear();
        downStream.tick(at);
        long[] rtp = {-1};
        for (byte[] c : downTransport.rtcp) {
            RtcpReader.read(c, 0, c.length, new RtcpHandler() {
                @Override
                public void onSenderReport(long ssrc, long ntp, long rtpTs, long count, long octets) {
                    rtp[0] = rtpTs;                               // the stream's one track
                }
            });
        }
        return rtp[0];
    }

    @Test
    void MD9_theHighLayersRembIsNotLimitedByAReceiverMovedToTheLowLayer() {
        DownTrack d = attachedDownTrack();
        h.frame(true);
        l.frame(true);
        d.remb(10_000, now);
        assertThat(high.rembBitrate(now)).as("the receiver gets the high layer: it limits it").isEqualTo(204_800);
        d.capLayer(1);
        l.frame(true);
        assertThat(d.source()).isSameAs(low);
        assertThat(high.rembBitrate(now)).as("standby only: no longer limited by it")
                .isEqualTo(UpTrack.rembWithoutReceivers(null));
    }

    /**
     * Issue #14, beyond MD9: measured with Chromium, a receiver moving back up to the large layer
     * after its presenter had paused it held that layer's share at 204.8 kbit/s (its MD8 estimate,
     * floored), the presenter's REMB fell to 512 kbit/s, the layer never resumed and the receiver
     * waited for its keyframe for ever. Moving up, it waits for the layer: it does not limit it.
     */
    @Test
    void MD9_aReceiverMovingUpToAPausedLayerDoesNotHoldItsShareDown() {
        DownTrack d = attachedDownTrack();
        h.frame(true);
        l.frame(true);
        d.capLayer(1);
        l.frame(true);
        assertThat(d.source()).isSameAs(low);
        d.remb(10_000, now);
        d.capLayer(0);                                    // going up; the paused high layer sends nothing
        assertThat(d.target()).isSameAs(high);
        assertThat(d.limitsPresenter(high)).as("moving up to it").isFalse();
        assertThat(d.limitsPresenter(low)).as("the layer it still gets").isTrue();
        assertThat(high.rembBitrate(now)).as("at least MD9's share of a layer nobody gets, not 204.8 kbit/s")
                .isEqualTo(dev.parley.server.layers.RembShare.WITHOUT_RECEIVERS_BPS);
        h.frame(true);
        assertThat(d.source()).isSameAs(high);
        assertThat(high.rembBitrate(now)).as("switched: it gets the layer and limits it again (MD9)").isEqualTo(204_800);
    }

    /**
     * Issue #14, beyond MD9: a receiver held on the low layer whose estimate would carry what the
     * high layer cost when it was last sent raises that layer's share to its estimate, so that a
     * presenter that paused the layer (libwebrtc, short of REMB) resumes it; one that asked for
     * the low layer itself does not.
     */
    @Test
    void MD9_aReceiverBelowAPausedLayerItsEstimateWouldCarryRaisesThatLayersShare() {
        DownTrack d = attachedDownTrack();
        h.frame(true);
        l.frame(true);
        frames(31);                                       // a full second of ~150 kbit/s each
        high.tick(now);
        long cost = high.lastSentBitrate();
        assertThat(cost).isPositive();
        d.capLayer(1);
        l.frame(true);
        now += 5_000_000_000L;                            // the presenter pauses the high layer
        high.tick(now);
        assertThat(high.receivedBitrate(now)).isZero();
        assertThat(high.lastSentBitrate()).as("its cost is kept while it is paused").isEqualTo(cost);
        d.remb(2_000_000, now);
        long estimate = d.presenterEstimate(now);
        assertThat(estimate).as("MD8's estimate: the initial 524288, under the receiver's REMB").isEqualTo(524_288);
        assertThat(d.waitsFor(high, cost, now)).isTrue();
        assertThat(high.rembBitrate(now)).as("the waiting receiver's estimate, above MD9's 512 kbit/s").isEqualTo(estimate);

        d.remb(cost / 2, now);                            // an estimate that would not carry it: MD9
        assertThat(d.waitsFor(high, cost, now)).isFalse();
        assertThat(high.rembBitrate(now)).isEqualTo(dev.parley.server.layers.RembShare.WITHOUT_RECEIVERS_BPS);

        DownTrack lowOnly = new DownTrack(downStream, low, DOWN_SSRC + 1, now);
        lowOnly.setLayers(low, new UpTrack[]{high, low});
        lowOnly.remb(2_000_000, now);
        assertThat(lowOnly.waitsFor(high, cost, now)).as("S3: it asked for video-low").isFalse();
    }

    /**
     * Issue #14, with MD9's paused layer: probes aim at 3/2 of what the large layer cost when it
     * was last sent. Paused, its rate is nothing and its peak fades, so a receiver probed up to
     * either could never show that its link carries the layer; and the choice goes up early only
     * with a quarter to spare, which a probe's result, a few percent under its rate, never showed
     * at 5/4.
     */
    @Test
    void MD9_probesAimAtThreeHalvesOfWhatAPausedLargeLayerLastCost() {
        h.frame(true);
        l.frame(true);
        frames(31);                                       // a full second of each layer
        high.tick(now);
        long cost = high.lastSentBitrate();
        assertThat(cost).isPositive();
        assertThat(DownStream.videoProbeTarget(up.tracks(), now)).as("sent: its peak, at least")
                .isGreaterThanOrEqualTo(cost + cost / 2);
        for (int s = 0; s < 60; s++) {                    // a minute paused: the peak fades to ~2 %
            now += 1_000_000_000L;
            high.tick(now);
        }
        assertThat(high.receivedBitrate(now)).isZero();
        assertThat(high.peakBitrate()).isLessThan(cost / 10);
        assertThat(DownStream.videoProbeTarget(up.tracks(), now)).isEqualTo(cost + cost / 2);
        assertThat(DownStream.videoProbeTarget(List.of(low), now)).as("one layer: its cost, no headroom")
                .isEqualTo(Math.max(low.receivedBitrate(now), Math.max(low.peakBitrate(), low.lastSentBitrate())));
    }

    @Test
    void S3_aReceiverThatAskedForTheLowLayerStaysThereWhateverItsLink() {
        DownTrack d = new DownTrack(downStream, low, DOWN_SSRC, now);
        d.setLayers(low, new UpTrack[] {high, low});
        d.capLayer(0);
        h.frame(true);
        l.frame(true);
        frames(2);
        assertThat(d.source()).isSameAs(low);
        assertThat(sent()).allSatisfy(p -> assertThat(p.ssrc()).isEqualTo(DOWN_SSRC)).hasSize(6);
        assertThat(plisFor(HIGH_SSRC)).isZero();
    }

    /** MD11 during a switch: the receiver's PLI asks the layer it decodes and the one it moves to. */
    @Test
    void MD11_aPliDuringASwitchAsksBothTheCurrentAndTheTargetLayer() {
        DownTrack d = attachedDownTrack();
        h.frame(true);
        l.frame(true);
        d.capLayer(1);
        l.frame(true);                                           // the switch is made: nothing pending
        d.capLayer(0);                                 // back up: waits for the high layer
        h.frame(false);
        assertThat(d.source()).isSameAs(low);
        l.frame(false);
        d.requestKeyframe();
        assertThat(low.keyframeRequested()).as("the layer being decoded").isTrue();
        assertThat(high.keyframeRequested()).as("the layer switched to").isTrue();
    }

    /** H.264 carries no picture numbering we rewrite: sequence numbers and timestamps continue across a switch. */
    @Test
    void MD7_anH264SwitchKeepsSequenceNumbersAndTimestampsContinuous() {
        CodecTable.Entry h264 = CodecTable.choose(List.of("h264"), "video", List.of(new dev.parley.rtc.sdp.RtpCodec(102,
                "H264", 90000, 0, "profile-level-id=42e01f;packetization-mode=1", List.of()))).orElseThrow().entry();
        UpStream stream = SfuFixtures.upStream("h264", upTransport);
        stream.setSections(List.of(new UpSection("0", "video", h264, 102, List.of("h", "l"), null, List.of(0x31L, 0x32L),
                -1, -1, true, true, true)));
        int[] seq = {100, 50_000};
        long[] ts = {1_000, 2_000_000_000L};
        java.util.function.BiConsumer<Integer, Boolean> frame = (layer, key) -> {
            byte[] p = new byte[200];
            RtpWriter.writeHeader(p, 0, true, 102, seq[layer]++ & 0xFFFF, ts[layer], layer == 0 ? 0x31 : 0x32);
            p[12] = (byte) (key ? 0x67 : 0x41);                 // a single SPS NAL unit (keyframe), else a slice
            p[13] = 0x42;
            ts[layer] += 3000;
            stream.onRtp(p, 0, p.length);
        };
        frame.accept(0, true);
        frame.accept(1, true);
        UpTrack big = stream.tracks().get(0), small = stream.tracks().get(1);
        DownStream receiver = new DownStream(stream);
        receiver.setTransport(downTransport);
        DownTrack d = new DownTrack(receiver, big, DOWN_SSRC, now);
        d.setLayers(big, new UpTrack[] {big, small});
        frame.accept(0, true);
        for (int i = 0; i < 3; i++) {
            frame.accept(0, false);
            frame.accept(1, false);
        }
        d.capLayer(1);
        frame.accept(0, false);                                   // not sent: a move down drains the link
        frame.accept(1, false);                                   // not a keyframe: not the small layer yet
        frame.accept(1, true);
        frame.accept(0, false);
        for (int i = 0; i < 3; i++) {
            frame.accept(1, false);
            frame.accept(0, false);
        }
        assertThat(d.source()).isSameAs(small);
        RtpPacket r = new RtpPacket();
        List<int[]> seqs = new ArrayList<>();
        List<Long> stamps = new ArrayList<>();
        for (byte[] b : downTransport.rtp) {
            assertThat(r.wrap(b, 0, b.length)).isTrue();
            seqs.add(new int[] {r.sequenceNumber()});
            stamps.add(r.timestamp());
        }
        assertThat(seqs).hasSize(1 + 1 + 3 + 4);                          // the replayed keyframe (MD12) first
        for (int i = 1; i < seqs.size(); i++) {
            assertThat((seqs.get(i)[0] - seqs.get(i - 1)[0]) & 0xFFFF).as("seq step %d", i).isEqualTo(1);
            assertThat((stamps.get(i) - stamps.get(i - 1)) & 0xFFFFFFFFL).as("timestamp step %d", i).isEqualTo(3000);
        }
    }
}
