package dev.parley.server.sfu;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Which tracks of an up stream a receiver gets (S2, S3). */
public final class TrackSelection {
    private TrackSelection() {
    }

    /** S2: the label's own entry, even if empty, else the "" default, else nothing. */
    public static List<String> requested(Map<String, List<String>> request, String label) {
        List<String> own = request.get(label == null ? "" : label);
        if (own != null) {
            return own;
        }
        return request.getOrDefault("", List.of());
    }

    /**
     * S3: {@code audio} → the first audio track; {@code video} → the first video track;
     * {@code video-low} → the last video track, unless {@code video} is requested too.
     * Audio comes first (S8). Which simulcast layer a receiver that asked for {@code video} is
     * actually fed is the down track's business (issue #14, docs/simulcast.md), not this one's.
     */
    public static List<UpTrack> select(List<String> kinds, List<UpTrack> tracks) {
        List<UpTrack> out = new ArrayList<>();
        UpTrack firstAudio = null, firstVideo = null, lastVideo = null;
        for (UpTrack t : tracks) {
            if (t.kind().equals("audio") && firstAudio == null) {
                firstAudio = t;
            } else if (t.kind().equals("video")) {
                if (firstVideo == null) {
                    firstVideo = t;
                }
                lastVideo = t;
            }
        }
        if (kinds.contains("audio") && firstAudio != null) {
            out.add(firstAudio);
        }
        if (kinds.contains("video") && firstVideo != null) {
            out.add(firstVideo);
        } else if (kinds.contains("video-low") && lastVideo != null) {
            out.add(lastVideo);
        }
        return out;
    }

    /**
     * S3, MD10: {@code video-low} without {@code video} on a stream with a single video track
     * gets that track with the spatial-layer limit on (only the base layer of SVC codecs).
     */
    public static boolean spatialLimit(List<String> kinds, List<UpTrack> tracks) {
        if (!kinds.contains("video-low") || kinds.contains("video")) {
            return false;
        }
        return tracks.stream().filter(t -> t.kind().equals("video")).count() == 1;
    }
}
