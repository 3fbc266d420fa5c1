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
}
