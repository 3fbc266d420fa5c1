package dev.parley.server.sfu;

import dev.parley.rtc.sdp.RtpCodec;
import dev.parley.server.dependencydescriptor.DescriptorWriter;
import dev.parley.server.layers.Av1SvcStream;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * S3, MD6: the layers of a rid simulcast section whose SSRCs the offer also lists in a=ssrc lines
 * (Firefox does), whatever order their first packets arrive in.
 */
class UpStreamLayerOrderTest {
    private final DownTrackLayerTest.RecordingTransport transport = new DownTrackLayerTest.RecordingTransport();
    private final UpStream up = SfuFixtures.upStream("u", transport);

    /** Firefox's "a=simulcast:send h;l" with both layers' SSRCs in a=ssrc lines. */
    private static UpSection firefoxSimulcast() {
        UpSection v = SfuFixtures.videoSection("0", 0);
        return new UpSection("0", "video", v.codec(), 96, List.of("h", "l"), null, List.of(7L, 8L), 1, 2,
                true, true, true);
    }

    private void receive(long ssrc, String rid) {
        byte[] p = SfuFixtures.midRidPacket(ssrc, rid);
        up.onRtp(p, 0, p.length);
    }

    @Test
    void S3_ssrcListedLayersTakeTheirRidFromThePacket_lowArrivingFirstIsStillVideoLow() {
        up.setSections(List.of(firefoxSimulcast()));
        receive(8, "l");                                                // the low layer starts first
        receive(7, "h");
        assertThat(up.tracks()).extracting(UpTrack::rid).containsExactly("h", "l");
        assertThat(TrackSelection.select(List.of("video-low"), up.tracks()))
                .extracting(UpTrack::ssrc).containsExactly(8L);
        assertThat(TrackSelection.select(List.of("video"), up.tracks()))
                .extracting(UpTrack::ssrc).containsExactly(7L);
    }

    @Test
    void S3_aRidTheOfferDidNotListLeavesTheListedSsrcWithoutRid() {
        up.setSections(List.of(firefoxSimulcast()));
        receive(7, "x");
        assertThat(up.tracks()).extracting(UpTrack::ssrc).containsExactly(7L);
        assertThat(up.tracks().getFirst().rid()).isNull();
    }

    /** A VP8 keyframe of {@code ssrc} whose frame header says {@code width}. */
    private void keyframe(long ssrc, int seq, int width) {
        byte[] p = SimulcastSwitchTest.vp8(seq, seq * 3000L, seq, 0, 0, true, true, true, ssrc);
        p[12 + 6 + 6] = (byte) width;                                  // after descriptor, tag and start code
        p[12 + 6 + 7] = (byte) (width >> 8);
        up.onRtp(p, 0, p.length);
    }

    private void delta(long ssrc, int seq) {
        byte[] p = SimulcastSwitchTest.vp8(seq, seq * 3000L, seq, 0, 0, false, true, true, ssrc);
        up.onRtp(p, 0, p.length);
    }

    private static UpSection ssrcSimulcast() {
        UpSection v = SfuFixtures.videoSection("0", 0);
        return new UpSection("0", "video", v.codec(), 96, List.of("h", "l"), null, List.of(7L, 8L), -1, -1,
                true, true, true);
    }

    /**
     * Issue #14: a large layer held down by a congested receiver's estimate sends less than half
     * the small one's rate; the keyframes' widths keep it first, so {@code video} stays large.
     */
    @Test
    void MD6_layersAreOrderedByTheirKeyframesWidthsNotByRateWhenBothAreKnown() {
        up.setSections(List.of(ssrcSimulcast()));
        keyframe(7, 1, 640);
        keyframe(8, 1, 320);
        for (int i = 2; i < 40; i++) {
            delta(8, i);                                                  // the small layer sends far more
        }
        up.tick(System.nanoTime());
        assertThat(up.tracks()).extracting(UpTrack::ssrc).as("the wide layer stays first").containsExactly(7L, 8L);
    }

    @Test
    void MD6_aSmallLayerArrivingFirstMovesBehindTheWideOneOnceBothKeyframesAreSeen() {
        up.setSections(List.of(ssrcSimulcast()));
        keyframe(8, 1, 320);
        keyframe(7, 1, 640);
        for (int i = 2; i < 40; i++) {
            delta(8, i);
        }
        assertThat(up.tracks()).extracting(UpTrack::ssrc).containsExactly(8L, 7L);
        up.tick(System.nanoTime());
        assertThat(up.tracks()).extracting(UpTrack::ssrc).containsExactly(7L, 8L);
    }

    /** An AV1 packet of {@code ssrc}; a keyframe's attaches an L1T3 structure whose one layer is {@code width} wide. */
    private void av1(long ssrc, int seq, boolean keyframe, int width) {
        DescriptorWriter.Structure l1t3 = DescriptorWriter.l1t3();
        DescriptorWriter.Structure sized = new DescriptorWriter.Structure(l1t3.idOffset(), l1t3.decodeTargets(),
                l1t3.templates(), l1t3.chains(), l1t3.protectedBy(), new int[][]{{width, width * 9 / 16}});
        byte[] dd = keyframe ? DescriptorWriter.withStructure(sized, 0, true, seq)
                : DescriptorWriter.mandatory(true, true, 1, seq);
        byte[] p = Av1SvcStream.packet(200, 35, seq, seq * 3000L, ssrc, 11, dd, keyframe, true);
        up.onRtp(p, 0, p.length);
    }

    /**
     * Issue #14, AV1 simulcast: widths come from the structures the keyframes' dependency
     * descriptors attach. Ordered by rate, a large layer held down by the REMB (once its receivers
     * moved to the small one) swapped with it, and a {@code video-low} receiver went back to the
     * large layer (seen in ChromiumPairMediaTest's AV1 simulcast test).
     */
    @Test
    void MD6_av1LayersAreOrderedByTheWidthsTheirDescriptorsGive() {
        CodecTable.Entry av1 = CodecTable.choose(List.of("av1"), "video",
                List.of(new RtpCodec(35, "AV1", 90000, 0, null, List.of()))).orElseThrow().entry();
        up.setSections(List.of(new UpSection("0", "video", av1, 35, List.of("h", "l"), null, List.of(7L, 8L), -1, -1,
                true, true, true, -1, null, 11)));
        av1(8, 1, true, 320);
        av1(7, 1, true, 640);
        for (int i = 2; i < 40; i++) {
            av1(8, i, false, 320);                                        // the small layer sends far more
        }
        assertThat(up.tracks()).extracting(UpTrack::ssrc).containsExactly(8L, 7L);
        up.tick(System.nanoTime());
        assertThat(up.tracks()).extracting(UpTrack::ssrc).as("the wide layer first").containsExactly(7L, 8L);
    }
}
