package dev.parley.server.sfu;

import dev.parley.rtc.codec.Vp9Descriptor;
import dev.parley.rtc.rtp.RtpPacket;
import dev.parley.server.layers.Vp9SvcStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MD7, MD10 through a receiver's down track: the spatial layers of a VP9 {@code L3T3_KEY} stream
 * it gets, with contiguous sequence numbers, untouched picture ids and a marker at the end of
 * every forwarded picture; keyframe requests towards the presenter when it needs more layers.
 */
class DownTrackSvcTest extends SvcDownTrackFixture {
    private final Vp9SvcStream source = new Vp9SvcStream(65530, 0x7FFC);   // both wrap during the test

    /** A forwarded packet as the receiver sees it. */
    record Sent(int seq, long timestamp, boolean marker, int pictureId, int sid, int tid) implements Forwarded {
    }

    DownTrackSvcTest() {
        super(Vp9SvcStream.PACKETS_PER_LAYER, Vp9SvcStream.SPATIAL_LAYERS);
    }

    @BeforeEach
    void attach() {
        attach(SfuFixtures.vp9Section("0", Vp9SvcStream.PAYLOAD_TYPE, Vp9SvcStream.SSRC), Vp9SvcStream.SSRC, 0x5678);
    }

    @Override
    List<byte[]> picture(boolean keyframe) {
        return source.picture(keyframe);
    }

    @Override
    List<Sent> sent() {
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

    @Test
    void MD10_videoLowOfASingleTrackVp9Stream_isSpatialLayer0_thenVideoBringsEveryLayerAtAKeyframe() {
        downStream.limitSpatialLayers(true);
        startWithAKeyframe(8);
        List<Sent> low = sent();
        assertThat(low).hasSize(8 * Vp9SvcStream.PACKETS_PER_LAYER).allSatisfy(s -> assertThat(s.sid()).isZero());
        assertContiguous(low);
        assertMarkerEndsEachPicture(low);
        for (int i = 0; i < low.size(); i += Vp9SvcStream.PACKETS_PER_LAYER) {
            assertThat(low.get(i).pictureId()).as("VP9 picture ids are not rewritten").isEqualTo((0x7FFC + i / 2) & 0x7FFF);
        }
        assertThat(down.spatialLimit()).isZero();

        // a NACK of a base-layer packet that ended a picture: resent byte for byte, marker included
        assertTheLastPacketIsResentAsSent();

        assertLiftingTheCapBringsEveryLayerAtTheNextKeyframe();
    }

    @Test
    void MD7_aReceiverThatCannotKeepUp_losesTemporalLayersBeforeEachSpatialLayer_andGetsThemBackInReverse() {
        startWithAKeyframe(8);
        // a receiver that can take almost nothing
        List<String> steps = limitsAfterReports(8, 10_000);
        assertThat(steps).as("spatial/temporal limit after each report")
                .containsExactly("2/2", "2/1", "2/0", "1/2", "1/1", "1/0", "0/2", "0/1", "0/0");
        assertContiguous(sent());
        assertMarkerEndsEachPicture(sent());

        // bandwidth returns: temporal layers first, then a spatial layer, which waits for a keyframe
        limitsAfterReports(2, 100_000_000);
        assertThat(limits()).isEqualTo("0/2");
        int plisBefore = plis();
        down.receiverReport(0, now);
        assertThat(plis()).as("the next spatial layer asks for a keyframe").isEqualTo(plisBefore + 1);
        receive(source.picture(false));
        assertThat(down.spatialLimit()).as("not before the keyframe").isZero();
        receive(source.picture(true));
        assertThat(limits()).as("one spatial layer more, from its base temporal layer").isEqualTo("1/0");
        assertContiguous(sent());
        assertMarkerEndsEachPicture(sent());
    }
}
