package dev.parley.server.record;

import dev.parley.rtc.rtp.RtpPacket;

/** Rebuilds codec frames from the RTP packets of one track, in arrival order. */
sealed interface Depacketizer permits OpusDepacketizer, VideoDepacketizer {
    void push(RtpPacket p, FrameSink sink);

    /** The depacketizer for a codec name of the SDP, or null when it is not recorded (MD16). */
    static Depacketizer forCodec(String encoding) {
        return switch (encoding.toLowerCase(java.util.Locale.ROOT)) {
            case "opus" -> new OpusDepacketizer();
            case "vp8" -> new Vp8Depacketizer();
            case "vp9" -> new Vp9Depacketizer();
            default -> null;
        };
    }
}
