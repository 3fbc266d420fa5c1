package dev.parley.rtc.codec;

import java.util.Locale;

/** Codecs whose RTP payloads we inspect. Everything else (audio included) is {@link #OTHER}. */
public enum VideoCodec {
    VP8, VP9, AV1, H264, OTHER;

    /** Accepts {@code VP8}, {@code vp8} or a MIME type such as {@code video/VP8}. */
    public static VideoCodec fromName(String name) {
        if (name == null) {
            return OTHER;
        }
        String n = name.toLowerCase(Locale.ROOT);
        if (n.startsWith("video/")) {
            n = n.substring(6);
        }
        return switch (n) {
            case "vp8" -> VP8;
            case "vp9" -> VP9;
            case "av1", "av1x" -> AV1;
            case "h264" -> H264;
            default -> OTHER;
        };
    }
}
