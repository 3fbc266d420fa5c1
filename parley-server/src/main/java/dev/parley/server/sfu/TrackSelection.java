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
     * Audio comes first (S8).
     */
    public static List<UpTrack> select(List<String> kinds, List<UpTrack> tracks) {
        return select(kinds, tracks, false);
    }

    /**
     * S3, MD10: whether {@code kinds} asks for {@code video-low} (and not {@code video}) of a
     * stream with fewer than two video tracks, which is then served its single track limited to
     * spatial layer 0.
     */
    public static boolean spatialLayerLimit(List<String> kinds, List<UpTrack> tracks) {
        return kinds.contains("video-low") && !kinds.contains("video")
                && tracks.stream().filter(t -> t.kind().equals("video")).count() < 2;
    }

    /**
     * As {@link #select(List, List)}, but with {@code preferLow} (the receiver's link cannot carry
     * the high simulcast layer, issue #14) {@code video} is served as {@code video-low}.
     */
    public static List<UpTrack> select(List<String> kinds, List<UpTrack> tracks, boolean preferLow) {
        if (preferLow && kinds.contains("video")) {
            List<String> lowered = new ArrayList<>(kinds);
            lowered.remove("video");
            lowered.add("video-low");
            kinds = lowered;
        }
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
}
