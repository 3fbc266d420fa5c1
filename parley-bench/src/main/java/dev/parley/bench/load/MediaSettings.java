package dev.parley.bench.load;

import dev.parley.bench.media.Pacing;

/**
 * What each publisher sends, and how its video leaves it. {@code layers} holds one bitrate per
 * VP8 layer (two for simulcast). {@code transportCc}: the publisher offers transport-cc (and
 * numbers its packets when the answer keeps it); a publish fails when the answer does not.
 */
public record MediaSettings(boolean audio, int[] layers, int fps, double keyframeSeconds, Pacing pacing,
                            boolean transportCc) {

    public MediaSettings(boolean audio, int[] layers, int fps, double keyframeSeconds, Pacing pacing) {
        this(audio, layers, fps, keyframeSeconds, pacing, false);
    }

    /** A camera whose video is paced like libwebrtc's (the default). */
    public static MediaSettings camera(int bitrate, boolean simulcast, int fps, double keyframeSeconds) {
        return camera(bitrate, simulcast, fps, keyframeSeconds, Pacing.LIBWEBRTC);
    }

    public static MediaSettings camera(int bitrate, boolean simulcast, int fps, double keyframeSeconds, Pacing pacing) {
        return camera(bitrate, simulcast, fps, keyframeSeconds, pacing, false);
    }

    public static MediaSettings camera(int bitrate, boolean simulcast, int fps, double keyframeSeconds, Pacing pacing,
                                       boolean transportCc) {
        int[] layers = simulcast ? new int[] {bitrate, Math.max(100_000, bitrate / 4)} : new int[] {bitrate};
        return new MediaSettings(true, layers, fps, keyframeSeconds, pacing, transportCc);
    }

    public static MediaSettings audioOnly() {
        return new MediaSettings(true, new int[0], 30, 3, Pacing.BURST);
    }

    public String describe() {
        if (layers.length == 0) {
            return "Opus 50 packets/s";
        }
        StringBuilder s = new StringBuilder("VP8 ");
        for (int i = 0; i < layers.length; i++) {
            s.append(i == 0 ? "" : " + ").append(layers[i] / 1000).append(" kbit/s");
        }
        s.append(layers.length > 1 ? " simulcast" : "").append(", ").append(fps).append(" fps, keyframe every ")
                .append(keyframeSeconds).append(" s").append(audio ? " + Opus" : "")
                .append(layers.length > 0 ? "; video " + pacing.describe() : "")
                .append(transportCc ? "; transport-cc (packets numbered, transport feedback from the server)" : "");
        return s.toString();
    }
}
