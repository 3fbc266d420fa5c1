package dev.parley.server.sfu;

import dev.parley.rtc.rtp.RtpPacket;
import dev.parley.rtc.sdp.RtpCodec;
import dev.parley.server.dependencydescriptor.DependencyDescriptor;
import dev.parley.server.layers.Av1SvcStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MD7, MD10 for AV1 SVC through a receiver's down track: the layers come from the dependency
 * descriptor, which every forwarded packet carries under the receiver's id (the receiver reads
 * it back in order, structure first); contiguous sequence numbers, a marker at the end of every
 * forwarded picture, keyframe requests when more layers are wanted.
 */
class DownTrackAv1SvcTest extends SvcDownTrackFixture {
    private final Av1SvcStream source = new Av1SvcStream(65531, 65533);   // both wrap during the test

    /** A forwarded packet as the receiver sees it, its descriptor read as the receiver would. */
    record Sent(int seq, long timestamp, boolean marker, int sid, int tid, int frameNumber, boolean end)
            implements Forwarded {
    }

    DownTrackAv1SvcTest() {
        super(Av1SvcStream.PACKETS_PER_LAYER, Av1SvcStream.SPATIAL_LAYERS);
    }

    @BeforeEach
    void attach() {
        CodecTable.Entry av1 = CodecTable.choose(List.of("av1"), "video",
                List.of(new RtpCodec(Av1SvcStream.PAYLOAD_TYPE, "AV1", 90000, 0, null, List.of()))).orElseThrow().entry();
        attach(new UpSection("0", "video", av1, Av1SvcStream.PAYLOAD_TYPE, List.of(), null,
                List.of(Av1SvcStream.SSRC), -1, -1, true, true, true, -1, null, Av1SvcStream.DD_ID), Av1SvcStream.SSRC, 0x6789);
    }

    @Override
    List<byte[]> picture(boolean keyframe) {
        return source.picture(keyframe);
    }

    @Override
    List<Sent> sent() {
        return readInOrder(downTransport.rtp, (p, receiver) -> new Sent(p.sequenceNumber(), p.timestamp(), p.marker(),
                receiver.spatialId(), receiver.temporalId(), receiver.frameNumber(), receiver.endOfFrame()));
    }

    /**
     * Reads the descriptors of the packets a receiver got, in order, with one reader, as
     * libwebrtc's receiver does (each read against the structure the last keyframe attached);
     * every one must be readable. {@code record} makes each packet's entry.
     */
    static <T> List<T> readInOrder(List<byte[]> rtp, java.util.function.BiFunction<RtpPacket, DependencyDescriptor, T> record) {
        DependencyDescriptor receiver = new DependencyDescriptor();
        List<T> out = new ArrayList<>();
        for (byte[] b : rtp) {
            RtpPacket p = new RtpPacket();
            assertThat(p.wrap(b, 0, b.length)).isTrue();
            assertThat(receiver.parse(p, SdpNegotiation.DOWN_DEPENDENCY_DESCRIPTOR_ID))
                    .as("packet %d's descriptor", out.size()).isTrue();
            out.add(record.apply(p, receiver));
        }
        return out;
    }

    @Test
    void MD10_videoLowOfASingleTrackAv1Stream_isSpatialLayer0_thenVideoBringsEveryLayerAtAKeyframe() {
        downStream.limitSpatialLayers(true);
        startWithAKeyframe(8);
        List<Sent> low = sent();
        assertThat(low).hasSize(8 * Av1SvcStream.PACKETS_PER_LAYER).allSatisfy(s -> assertThat(s.sid()).isZero());
        assertContiguous(low);
        assertMarkerEndsEachPicture(low);
        // frame numbers are the presenter's: the dropped layers' frames leave gaps, which the
        // receiver does not mind (it only follows the kept frames' references)
        assertThat((low.get(2).frameNumber() - low.get(0).frameNumber()) & 0xFFFF).isEqualTo(Av1SvcStream.SPATIAL_LAYERS);
        assertThat(down.spatialLimit()).isZero();

        // a NACK of the packet that ended a picture: resent byte for byte, descriptor and marker included
        assertTheLastPacketIsResentAsSent();

        assertLiftingTheCapBringsEveryLayerAtTheNextKeyframe();
    }

    @Test
    void MD7_temporalLayersFromTheDescriptor_goFirst_thenSpatialLayers() {
        startWithAKeyframe(8);
        List<String> steps = limitsAfterReports(4, 10_000);
        // after a spatial step down, temporal layers come back at the next frames that say "switch"
        assertThat(steps).containsExactly("2/2", "2/1", "2/0", "1/2", "1/1");
        List<Sent> all = sent();
        assertContiguous(all);
        assertMarkerEndsEachPicture(all);
        // the last 8 pictures at 1/1: T0 and T1 pictures (4 of 8) of layers 0 and 1, two packets each
        List<Sent> lastPhase = all.subList(all.size() - 4 * 2 * Av1SvcStream.PACKETS_PER_LAYER, all.size());
        assertThat(lastPhase).allSatisfy(s -> assertThat(s.sid()).isLessThanOrEqualTo(1))
                .allSatisfy(s -> assertThat(s.tid()).isLessThanOrEqualTo(1));
    }
}
