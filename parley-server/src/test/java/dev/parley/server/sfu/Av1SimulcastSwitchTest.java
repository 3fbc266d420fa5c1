package dev.parley.server.sfu;

import dev.parley.rtc.rtp.RtpPacket;
import dev.parley.rtc.rtp.TransportSequence;
import dev.parley.rtc.sdp.RtpCodec;
import dev.parley.server.dependencydescriptor.DescriptorWriter;
import dev.parley.server.layers.Av1SvcStream;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #14, AV1 simulcast (docs/svc.md, "AV1 simulcast"): two layers whose encoders number
 * their dependency descriptors' frames each on its own (as libwebrtc does with
 * {@code WebRTC-Video-SimulcastIndependentFrameIds}); a receiver moved between them must see one
 * sequence of frame numbers, the switch keyframe one after the last frame sent, whatever the new
 * layer's own number (behind, far ahead, across 65535), and each descriptor readable in order
 * against the structure the last keyframe attached. Synthetic RTP on one thread.
 */
class Av1SimulcastSwitchTest extends SimulcastFixture {
    private static final int PT = 35, DD_ID = 11;
    private static final DescriptorWriter.Structure L1T3 = DescriptorWriter.l1t3();
    /** L1T3's templates for the frames after a keyframe: T0, T2, T1, T2. */
    private static final int[] TEMPLATES = {1, 3, 2, 4};

    private final Layer h;
    private final Layer l;

    /** The high layer's frame numbers wrap during the test; the low layer's are 30000 behind. */
    Av1SimulcastSwitchTest() {
        CodecTable.Entry av1 = CodecTable.choose(List.of("av1"), "video",
                List.of(new RtpCodec(PT, "AV1", 90000, 0, null, List.of()))).orElseThrow().entry();
        up.setSections(List.of(new UpSection("0", "video", av1, PT, List.of("h", "l"), null,
                List.of(HIGH_SSRC, LOW_SSRC), -1, -1, true, true, true, -1, null, DD_ID)));
        h = new Layer(HIGH_SSRC, 1000, 10_000, 65_520);
        l = new Layer(LOW_SSRC, 60_000, 4_000_000_000L, 35_520);
        h.frame(true);                                     // the stream learns its layers from their first packets
        l.frame(true);
        high = up.tracks().get(0);
        low = up.tracks().get(1);
        h.track = high;
        l.track = low;
        downStream.setTransport(downTransport);
    }

    /** One L1T3 layer as its encoder numbers it: a frame is two packets, each with a descriptor. */
    private final class Layer {
        final long ssrc;
        UpTrack track;
        int seq;
        long ts;
        int frameNumber;
        int frames;

        Layer(long ssrc, int seq, long ts, int frameNumber) {
            this.ssrc = ssrc;
            this.seq = seq;
            this.ts = ts;
            this.frameNumber = frameNumber;
        }

        /** Sends one frame of this layer (into its up track once known). */
        void frame(boolean keyframe) {
            if (keyframe) {
                frames = 0;
            }
            int template = keyframe ? 0 : TEMPLATES[frames % 4];
            for (int part = 0; part < 2; part++) {
                byte[] dd = keyframe && part == 0
                        ? DescriptorWriter.withStructure(L1T3, template, false, frameNumber)
                        : DescriptorWriter.mandatory(part == 0, part == 1, template, frameNumber);
                byte[] p = Av1SvcStream.packet(200, PT, seq, ts, ssrc, DD_ID, dd, keyframe && part == 0, part == 1);
                if (track == null) {
                    up.onRtp(p, 0, p.length);
                } else {
                    track.receive(p, 0, p.length, now);
                }
                seq = (seq + 1) & 0xFFFF;
            }
            frames++;
            frameNumber = (frameNumber + 1) & 0xFFFF;
            ts = (ts + 3000) & 0xFFFFFFFFL;
        }
    }

    /** A forwarded packet as the receiver reads it. */
    record Sent(int seq, long ssrc, int frameNumber, boolean structure, int tid, boolean start) {
    }

    /** What the receiver got, each descriptor read in order by one reader, as libwebrtc's receiver does. */
    private List<Sent> sent() {
        return DownTrackAv1SvcTest.readInOrder(downTransport.rtp, (p, receiver) -> new Sent(p.sequenceNumber(), p.ssrc(),
                receiver.frameNumber(), receiver.structureAttached(), receiver.temporalId(), receiver.startOfFrame()));
    }

    @Override
    void deltaFrameOfEachLayer() {
        h.frame(false);
        l.frame(false);
    }

    /** Frame numbers: +0 inside a frame, +1 from one frame to the next, modulo 2^16; sequence numbers +1. */
    private static void assertOneNumbering(List<Sent> sent) {
        for (int i = 1; i < sent.size(); i++) {
            Sent a = sent.get(i - 1), b = sent.get(i);
            assertThat((b.seq() - a.seq()) & 0xFFFF).as("seq step at %d", i).isEqualTo(1);
            assertThat(b.ssrc()).isEqualTo(a.ssrc());
            assertThat((b.frameNumber() - a.frameNumber()) & 0xFFFF).as("frame number step at %d", i)
                    .isEqualTo(b.start() ? 1 : 0);
        }
    }

    @Test
    void MD7_switchingDownToALayerNumberedBehindAndBackUpAcross65535_continuesTheFrameNumbers() {
        DownTrack d = attachedDownTrack();
        h.frame(true);
        l.frame(true);
        now += 33_000_000L;
        frames(5);
        List<Sent> before = sent();
        assertThat(before).as("MD12: the cached keyframe replayed, then the live one and 5 frames").hasSize(14);
        assertThat(before.getFirst().frameNumber()).as("the first layer keeps its encoder's numbers").isEqualTo(65_520);

        d.capLayer(1);
        frames(2);
        l.frame(true);                                     // the switch keyframe: 30000 behind in its own numbering
        h.frame(false);
        now += 33_000_000L;
        frames(3);
        assertThat(d.source()).isSameAs(low);
        List<Sent> down = sent();
        assertThat(down).as("a move down stops the high layer at the decision (draining), then the keyframe and 3 frames")
                .hasSize(14 + 2 + 6);
        Sent key = down.get(14);
        assertThat(key.structure()).as("the low layer's keyframe attaches its structure").isTrue();
        assertThat(key.frameNumber()).as("one after the high layer's last frame sent")
                .isEqualTo((down.get(13).frameNumber() + 1) & 0xFFFF);

        d.capLayer(0);
        frames(2);
        h.frameNumber = (h.frameNumber + 20_000) & 0xFFFF;  // its encoder numbered frames we did not see: far ahead
        h.frame(true);
        l.frame(false);
        now += 33_000_000L;
        frames(4);
        assertThat(d.source()).isSameAs(high);
        List<Sent> all = sent();
        assertThat(all).hasSize(22 + 4 + 2 + 8);
        assertOneNumbering(all);
        assertThat(all.getLast().frameNumber()).as("wrapped past 65535 on the way").isLessThan(100);
        assertThat(all.stream().filter(Sent::structure).count()).as("one structure per keyframe forwarded").isEqualTo(4);
    }

    @Test
    void MD13_aResendKeepsTheNumberItWasFirstSentWith_beforeAndAfterTheSwitch() {
        DownTrack d = attachedDownTrack();
        h.frame(true);
        l.frame(true);
        frames(3);
        d.capLayer(1);
        l.frame(true);
        h.frame(false);
        frames(2);
        assertThat(d.source()).isSameAs(low);
        // back up (a move down for the link does not repair the layer it left: SimulcastSwitchTest)
        d.capLayer(0);
        frames(1);
        h.frame(true);
        l.frame(false);
        frames(2);
        assertThat(d.source()).isSameAs(high);
        List<byte[]> wire = new ArrayList<>(downTransport.rtp);
        byte[] beforeSwitch = wire.get(wire.size() - 7);          // the low layer's last frame
        byte[] afterSwitch = wire.get(wire.size() - 1);

        d.nacked(((beforeSwitch[2] & 0xFF) << 8) | (beforeSwitch[3] & 0xFF), now);
        d.nacked(((afterSwitch[2] & 0xFF) << 8) | (afterSwitch[3] & 0xFF), now);

        assertThat(downTransport.rtp).hasSize(wire.size() + 2);
        assertThat(downTransport.rtp.get(wire.size())).as("the low layer's packet, shifted as when first sent")
                .isEqualTo(beforeSwitch);
        assertThat(downTransport.rtp.get(wire.size() + 1)).as("the high layer's, shifted as when first sent")
                .isEqualTo(afterSwitch);
    }

    /**
     * Issue #13: a receiver that takes transport-cc gets each AV1 copy with the transport-wide
     * element written beside the descriptor while the payload is copied; what leaves must be
     * what stamping the unnumbered copy gave before (the element appended to the block, the
     * payload moved 4 bytes on): descriptors with and without the structure, frame numbers
     * shifted across a switch down and back up, and resends. (Both extension forms, element by
     * element length: RtpWriterTest.)
     */
    @Test
    void MD13_aNumberedReceiverGetsWhatStampingTheUnnumberedCopyGave() {
        Av1SimulcastSwitchTest numbered = new Av1SimulcastSwitchTest();
        numbered.downStream.setTransportCcId(SdpNegotiation.DOWN_TRANSPORT_CC_ID);
        List<byte[]> plain = switchDownAndUpThenResend();
        List<byte[]> wire = numbered.switchDownAndUpThenResend();
        assertThat(wire).hasSameSizeAs(plain).hasSizeGreaterThan(30);
        RtpPacket view = new RtpPacket();
        int withStructure = 0, mandatoryOnly = 0;
        for (int i = 0; i < wire.size(); i++) {
            byte[] sent = wire.get(i);
            assertThat(view.wrap(sent, 0, sent.length)).isTrue();
            int at = view.findExtension(SdpNegotiation.DOWN_TRANSPORT_CC_ID);
            assertThat(at).as("packet %d numbered", i).isPositive();
            int number = ((sent[at] & 0xFF) << 8) | (sent[at + 1] & 0xFF);
            view.findExtension(SdpNegotiation.DOWN_DEPENDENCY_DESCRIPTOR_ID);
            if (view.lastExtensionLength() > 3) {
                withStructure++;
            } else {
                mandatoryOnly++;
            }
            byte[] old = java.util.Arrays.copyOf(plain.get(i), plain.get(i).length + TransportSequence.MAX_GROWTH);
            int n = TransportSequence.stamp(old, 0, plain.get(i).length, SdpNegotiation.DOWN_TRANSPORT_CC_ID, number);
            assertThat(n).as("packet %d: stamping the unnumbered copy appends a word", i).isEqualTo(plain.get(i).length + 4);
            assertThat(sent).as("packet %d", i).isEqualTo(java.util.Arrays.copyOf(old, n));
        }
        assertThat(mandatoryOnly).as("descriptors without a structure").isPositive();
        assertThat(withStructure).as("descriptors with one").isPositive();
    }

    /** MD7's switch down and back up with its frame number shifts, then NACKs of a packet before and after the switch. */
    private List<byte[]> switchDownAndUpThenResend() {
        DownTrack d = attachedDownTrack();
        h.frame(true);
        l.frame(true);
        now += 33_000_000L;
        frames(3);
        d.capLayer(1);
        frames(2);
        l.frame(true);
        h.frame(false);
        now += 33_000_000L;
        frames(3);
        d.capLayer(0);
        frames(2);
        h.frameNumber = (h.frameNumber + 20_000) & 0xFFFF;
        h.frame(true);
        l.frame(false);
        now += 33_000_000L;
        frames(3);
        assertThat(d.source()).isSameAs(high);
        List<byte[]> wire = downTransport.rtp;
        byte[] early = wire.get(5);
        byte[] late = wire.get(wire.size() - 3);
        d.nacked(((early[2] & 0xFF) << 8) | (early[3] & 0xFF), now);
        d.nacked(((late[2] & 0xFF) << 8) | (late[3] & 0xFF), now);
        return new ArrayList<>(wire);
    }
}
