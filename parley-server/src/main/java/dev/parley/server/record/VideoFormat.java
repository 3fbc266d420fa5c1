package dev.parley.server.record;

import java.util.Locale;

/** How each recordable video codec goes into a file (MD16): codec id, container, picture size. */
enum VideoFormat {
    VP8("V_VP8", "webm", "webm"),
    VP9("V_VP9", "webm", "webm"),
    H264("V_MPEG4/ISO/AVC", "matroska", "mkv");

    final String codecId;
    final String docType;
    final String extension;

    VideoFormat(String codecId, String docType, String extension) {
        this.codecId = codecId;
        this.docType = docType;
        this.extension = extension;
    }

    /** The format for an SDP codec name, or null when it is not recorded (AV1 and others). */
    static VideoFormat of(String encoding) {
        return switch (encoding.toUpperCase(Locale.ROOT)) {
            case "VP8" -> VP8;
            case "VP9" -> VP9;
            case "H264" -> H264;
            default -> null;
        };
    }

    Depacketizer depacketizer() {
        return switch (this) {
            case VP8 -> new Vp8Depacketizer();
            case VP9 -> new Vp9Depacketizer();
            case H264 -> new H264Depacketizer();
        };
    }

    /** The size of the keyframe {@code frame}, or null when it cannot be read. */
    int[] pictureSize(Depacketizer d, byte[] frame, int off, int len) {
        return switch (this) {
            case VP8 -> Vp8Depacketizer.keyframeSize(frame, off, len);
            case VP9 -> Vp9Depacketizer.keyframeSize(frame, off, len);
            case H264 -> H264Sps.pictureSize(((H264Depacketizer) d).sps());
        };
    }

    /** The track's CodecPrivate; for H.264 null until both an SPS and a PPS have been seen. */
    byte[] codecPrivate(Depacketizer d) {
        if (this != H264) {
            return null;
        }
        H264Depacketizer h = (H264Depacketizer) d;
        return h.sps() == null || h.pps() == null ? null : H264Depacketizer.avcConfiguration(h.sps(), h.pps());
    }
}
