package dev.parley.server.sfu;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** S3 selection (which simulcast layer a receiver is fed is the down track's choice: SimulcastSwitchTest). */
class TrackSelectionTest {
    private final UpStream up = SfuFixtures.upStream("u", new DownTrackLayerTest.RecordingTransport());
    private final UpTrack audio = new UpTrack(up, SfuFixtures.audioSection("0", 1), null, 1);
    private final UpTrack high = new UpTrack(up, SfuFixtures.videoSection("1", 2), "h", 2);
    private final UpTrack low = new UpTrack(up, SfuFixtures.videoSection("1", 3), "l", 3);
    private final List<UpTrack> tracks = List.of(audio, high, low);

    @Test
    void S3_videoIsTheFirstVideoTrackAndVideoLowTheLast() {
        assertThat(TrackSelection.select(List.of("audio", "video"), tracks)).containsExactly(audio, high);
        assertThat(TrackSelection.select(List.of("audio", "video-low"), tracks)).containsExactly(audio, low);
    }

    @Test
    void S3_MD10_videoLowOfASingleVideoTrackLimitsItsSpatialLayers() {
        assertThat(TrackSelection.spatialLimit(List.of("audio", "video-low"), List.of(audio, high))).isTrue();
        assertThat(TrackSelection.spatialLimit(List.of("audio", "video-low"), tracks)).as("simulcast: the low track").isFalse();
        assertThat(TrackSelection.spatialLimit(List.of("video", "video-low"), List.of(audio, high))).isFalse();
        assertThat(TrackSelection.spatialLimit(List.of("video"), List.of(audio, high))).isFalse();
    }

    @Test
    void S3_MD10_videoLowOfASingleVideoTrack_limitsItToSpatialLayer0_butNotVideoOrSimulcast() {
        List<UpTrack> single = List.of(audio, high);
        assertThat(TrackSelection.select(List.of("audio", "video-low"), single)).containsExactly(audio, high);
        assertThat(TrackSelection.spatialLimit(List.of("audio", "video-low"), single)).isTrue();
        assertThat(TrackSelection.spatialLimit(List.of("video-low"), List.of(high))).isTrue();
        assertThat(TrackSelection.spatialLimit(List.of("video", "video-low"), single)).isFalse();
        assertThat(TrackSelection.spatialLimit(List.of("audio", "video"), single)).isFalse();
        assertThat(TrackSelection.spatialLimit(List.of("audio", "video-low"), tracks))
                .as("two video tracks: video-low is the small one, whole").isFalse();
    }
}
