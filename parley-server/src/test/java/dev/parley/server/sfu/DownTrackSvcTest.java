package dev.parley.server.sfu;

import dev.parley.rtc.codec.Vp9Descriptor;
import dev.parley.rtc.rtp.RtpPacket;
import dev.parley.server.layers.Vp9SvcStream;
import dev.parley.server.sfu.DownTrackLayerTest.RecordingTransport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MD7, MD10 through a receiver's down track: the spatial layers of a VP9 {@code L3T3_KEY} stream
 * it gets, with contiguous sequence numbers, untouched picture ids and a marker at the end of
 * every forwarded picture; keyframe requests towards the presenter when it needs more layers.
 * The transports are recorders: a unit test of the forwarding logic, on one thread.
 */
class DownTrackSvcTest {
    private final RecordingTransport upTransport = new RecordingTransport();
    private final RecordingTransport downTransport = new RecordingTransport();
    private final Vp9SvcStream source = new Vp9SvcStream(65530, 0x7FFC);   // both wrap during the test
    private UpTrack track;
    private DownStream downStream;
    private DownTrack down;
    private long now = 1_000_000_000L;

    /** What the receiver-side checks need of a forwarded packet (also for {@link DownTrackAv1SvcTest}). */
    interface Forwarded {
        int seq();

        long timestamp();

        boolean marker();
    }

    /** A forwarded packet as the receiver sees it. */
    record Sent(int seq, long timestamp, boolean marker, int pictureId, int sid, int tid) implements Forwarded {
    }

    @BeforeEach
    void attach() {
        UpStream up = SfuFixtures.upStream("u", upTransport);
        UpSection section = SfuFixtures.vp9Section("0", Vp9SvcStream.PAYLOAD_TYPE, Vp9SvcStream.SSRC);
        track = new UpTrack(up, section, null, Vp9SvcStream.SSRC);
        downStream = new DownStream(up);
        downStream.setTransport(downTransport);
        down = new DownTrack(downStream, track, 0x5678, 0);
    }

    private void receive(List<byte[]> packets) {
        for (byte[] p : packets) {
            track.receive(p, 0, p.length, now);
        }
        now += 130_000_000L;                        // eight pictures make one rate window (> 1 s)
    }

    private int plis() {
        return (int) upTransport.rtcp.stream().filter(p -> (p[1] & 0xFF) == 206 && (p[0] & 0x1F) == 1).count();
    }

    private List<Sent> sent() {
        List<Sent> out = new ArrayList<>();
        for (byte[] b : downTransport.rtp) {
            RtpPacket p = new RtpPacket();
            assertThat(p.wrap(b, 0, b.length)).isTrue();
            Vp9Descriptor d = new Vp9Descriptor();
            assertThat(d.parse(b, p.payloadOffset(), p.payloadLength())).isTrue();
            out.add(new Sent(p.sequenceNumber(), p.timestamp(), p.marker(), d.pictureId(), d.sid(), d.tid()));
        }
        return out;
    }

    static void assertContiguous(List<? extends Forwarded> sent) {
        for (int i = 1; i < sent.size(); i++) {
            assertThat((sent.get(i).seq() - sent.get(i - 1).seq()) & 0xFFFF).as("seq after packet %d", i - 1).isEqualTo(1);
        }
    }

    /** Each forwarded picture's last packet, and only it, carries the marker. */
    static void assertMarkerEndsEachPicture(List<? extends Forwarded> sent) {
        for (int i = 0; i < sent.size(); i++) {
            boolean last = i == sent.size() - 1 || sent.get(i + 1).timestamp() != sent.get(i).timestamp();
            assertThat(sent.get(i).marker()).as("marker on packet %d", i).isEqualTo(last);
        }
    }

    @Test
    void MD10_videoLowOfASingleTrackVp9Stream_isSpatialLayer0_thenVideoBringsEveryLayerAtAKeyframe() {
        downStream.limitSpatialLayers(true);
        track.attach(down, 0);
        for (int i = 0; i < 8; i++) {
            receive(source.picture(i == 0));
        }
        List<Sent> low = sent();
        assertThat(low).hasSize(8 * Vp9SvcStream.PACKETS_PER_LAYER).allSatisfy(s -> assertThat(s.sid()).isZero());
        assertContiguous(low);
        assertMarkerEndsEachPicture(low);
        for (int i = 0; i < low.size(); i += Vp9SvcStream.PACKETS_PER_LAYER) {
            assertThat(low.get(i).pictureId()).as("VP9 picture ids are not rewritten").isEqualTo((0x7FFC + i / 2) & 0x7FFF);
        }
        assertThat(down.spatialLimit()).isZero();

        // a NACK of a base-layer packet that ended a picture: resent byte for byte, marker included
        byte[] last = downTransport.rtp.getLast();
        down.nacked(low.getLast().seq());
        assertThat(downTransport.rtp.getLast()).isEqualTo(last).isNotSameAs(last);
        downTransport.rtp.removeLast();

        int plisBefore = plis();
        downStream.limitSpatialLayers(false);                   // the receiver now asks for "video"
        receive(source.picture(false));
        assertThat(plis()).as("a keyframe is requested for the upper layers").isEqualTo(plisBefore + 1);
        List<Sent> waiting = sent().subList(low.size(), sent().size());
        assertThat(waiting).as("until the keyframe, still layer 0 only").hasSize(Vp9SvcStream.PACKETS_PER_LAYER)
                .allSatisfy(s -> assertThat(s.sid()).isZero());

        receive(source.picture(true));
        receive(source.picture(false));
        List<Sent> all = sent();
        List<Sent> full = all.subList(low.size() + waiting.size(), all.size());
        assertThat(full).hasSize(2 * Vp9SvcStream.PACKETS_PER_PICTURE);
        assertThat(full.stream().map(Sent::sid).distinct()).containsExactly(0, 1, 2);
        assertThat(down.spatialLimit()).isEqualTo(2);
        assertContiguous(all);
        assertMarkerEndsEachPicture(all);
    }

    @Test
    void MD7_aReceiverThatCannotKeepUp_losesTemporalLayersBeforeEachSpatialLayer_andGetsThemBackInReverse() {
        track.attach(down, 0);
        receive(source.picture(true));
        for (int i = 1; i < 8; i++) {
            receive(source.picture(false));
        }
        List<String> steps = new ArrayList<>();
        steps.add(down.spatialLimit() + "/" + down.temporalLimit());
        for (int phase = 0; phase < 8; phase++) {
            down.remb(10_000, now);                              // a receiver that can take almost nothing
            down.receiverReport(0, now);
            for (int i = 0; i < 8; i++) {
                receive(source.picture(false));
            }
            steps.add(down.spatialLimit() + "/" + down.temporalLimit());
        }
        assertThat(steps).as("spatial/temporal limit after each report")
                .containsExactly("2/2", "2/1", "2/0", "1/2", "1/1", "1/0", "0/2", "0/1", "0/0");
        assertContiguous(sent());
        assertMarkerEndsEachPicture(sent());

        // bandwidth returns: temporal layers first, then a spatial layer, which waits for a keyframe
        down.remb(100_000_000, now);
        for (int phase = 0; phase < 2; phase++) {
            down.receiverReport(0, now);
            for (int i = 0; i < 8; i++) {
                receive(source.picture(false));
            }
        }
        assertThat(down.spatialLimit() + "/" + down.temporalLimit()).isEqualTo("0/2");
        int plisBefore = plis();
        down.receiverReport(0, now);
        assertThat(plis()).as("the next spatial layer asks for a keyframe").isEqualTo(plisBefore + 1);
        receive(source.picture(false));
        assertThat(down.spatialLimit()).as("not before the keyframe").isZero();
        receive(source.picture(true));
        assertThat(down.spatialLimit() + "/" + down.temporalLimit())
                .as("one spatial layer more, from its base temporal layer").isEqualTo("1/0");
        assertContiguous(sent());
        assertMarkerEndsEachPicture(sent());
    }
}
