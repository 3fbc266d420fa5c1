package dev.parley.server.sfu;

import dev.parley.server.sfu.DownTrackLayerTest.RecordingTransport;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One presenter's SVC track and one receiver's down track on recording transports, for the
 * VP9 and AV1 down-track tests ({@link DownTrackSvcTest}, {@link DownTrackAv1SvcTest}): a unit
 * test of the forwarding logic, on one thread.
 */
abstract class SvcDownTrackFixture {
    final RecordingTransport upTransport = new RecordingTransport();
    final RecordingTransport downTransport = new RecordingTransport();
    UpTrack track;
    DownStream downStream;
    DownTrack down;
    long now = 1_000_000_000L;

    /** What the receiver-side checks need of a forwarded packet. */
    interface Forwarded {
        int seq();

        long timestamp();

        boolean marker();

        int sid();
    }

    /** The presenter's next picture, all layers, in sending order. */
    abstract List<byte[]> picture(boolean keyframe);

    /** Everything forwarded so far, as the receiver reads it. */
    abstract List<? extends Forwarded> sent();

    private final int packetsPerLayer;
    private final int spatialLayers;

    /** For a stream of {@code spatialLayers} layers whose every layer frame is {@code packetsPerLayer} packets. */
    SvcDownTrackFixture(int packetsPerLayer, int spatialLayers) {
        this.packetsPerLayer = packetsPerLayer;
        this.spatialLayers = spatialLayers;
    }

    /** The receiver attaches and gets {@code pictures} pictures, the first a keyframe. */
    void startWithAKeyframe(int pictures) {
        track.attach(down, 0);
        for (int i = 0; i < pictures; i++) {
            receive(picture(i == 0));
        }
    }

    /** A NACK of the last packet sent: resent byte for byte (marker, extensions), then forgotten by the recorder. */
    void assertTheLastPacketIsResentAsSent() {
        byte[] last = downTransport.rtp.getLast();
        down.nacked(sent().getLast().seq());
        assertThat(downTransport.rtp.getLast()).isEqualTo(last).isNotSameAs(last);
        downTransport.rtp.removeLast();
    }

    /**
     * MD10's cap is lifted (the receiver asks for {@code video}): one keyframe request, layer 0
     * only until the keyframe picture, every layer from it on; numbering and markers intact.
     */
    void assertLiftingTheCapBringsEveryLayerAtTheNextKeyframe() {
        int before = sent().size();
        int plisBefore = plis();
        downStream.limitSpatialLayers(false);
        receive(picture(false));
        assertThat(plis()).as("a keyframe is requested for the upper layers").isEqualTo(plisBefore + 1);
        List<? extends Forwarded> waiting = sent().subList(before, sent().size());
        assertThat(waiting).as("until the keyframe, still layer 0 only").hasSize(packetsPerLayer)
                .allSatisfy(s -> assertThat(s.sid()).isZero());

        receive(picture(true));
        receive(picture(false));
        List<? extends Forwarded> all = sent();
        List<? extends Forwarded> full = all.subList(before + waiting.size(), all.size());
        assertThat(full).hasSize(2 * packetsPerLayer * spatialLayers);
        assertThat(full.stream().map(Forwarded::sid).distinct()).containsExactly(0, 1, 2);
        assertThat(down.spatialLimit()).isEqualTo(spatialLayers - 1);
        assertContiguous(all);
        assertMarkerEndsEachPicture(all);
    }

    void attach(UpSection section, long ssrc, long downSsrc) {
        UpStream up = SfuFixtures.upStream("u", upTransport);
        track = new UpTrack(up, section, null, ssrc);
        downStream = new DownStream(up);
        downStream.setTransport(downTransport);
        down = new DownTrack(downStream, track, downSsrc, 0);
    }

    void receive(List<byte[]> packets) {
        for (byte[] p : packets) {
            track.receive(p, 0, p.length, now);
        }
        now += 130_000_000L;                        // eight pictures make one rate window (> 1 s)
    }

    int plis() {
        return (int) upTransport.rtcp.stream().filter(p -> (p[1] & 0xFF) == 206 && (p[0] & 0x1F) == 1).count();
    }

    /** "spatial/temporal" limits now. */
    String limits() {
        return down.spatialLimit() + "/" + down.temporalLimit();
    }

    /**
     * The limits now and after each of {@code reports} receiver reports with a REMB of
     * {@code remb}, each followed by eight pictures without a keyframe.
     */
    List<String> limitsAfterReports(int reports, long remb) {
        List<String> steps = new ArrayList<>();
        steps.add(limits());
        for (int phase = 0; phase < reports; phase++) {
            down.remb(remb, now);
            down.receiverReport(0, now);
            for (int i = 0; i < 8; i++) {
                receive(picture(false));
            }
            steps.add(limits());
        }
        return steps;
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
}
