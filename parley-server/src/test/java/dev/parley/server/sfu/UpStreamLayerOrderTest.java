package dev.parley.server.sfu;

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
}
