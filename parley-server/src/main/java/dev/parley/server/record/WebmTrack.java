package dev.parley.server.record;

/**
 * One track of a WebM/Matroska file. Video tracks carry their pixel size, audio tracks
 * their sampling rate and channel count; {@code codecPrivate} may be null.
 */
record WebmTrack(int number, boolean video, String codecId, byte[] codecPrivate,
                 int width, int height, double samplingRate, int channels) {

    static WebmTrack video(int number, String codecId, int width, int height) {
        return video(number, codecId, null, width, height);
    }

    static WebmTrack video(int number, String codecId, byte[] codecPrivate, int width, int height) {
        return new WebmTrack(number, true, codecId, codecPrivate, width, height, 0, 0);
    }

    /** Opus at 48 kHz stereo, with the OpusHead identification header (RFC 7845 §5.1). */
    static WebmTrack opus(int number) {
        byte[] head = {'O', 'p', 'u', 's', 'H', 'e', 'a', 'd',
                1,            // version
                2,            // channels
                0, 0,         // pre-skip: WebRTC streams start decoding at once
                (byte) 0x80, (byte) 0xBB, 0, 0,   // 48000 Hz, little-endian
                0, 0,         // output gain
                0};           // channel mapping family 0
        return new WebmTrack(number, false, "A_OPUS", head, 0, 0, 48000, 2);
    }
}
