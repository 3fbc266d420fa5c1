package dev.parley.server.record;

import dev.parley.rtc.codec.Vp8Descriptor;

/** VP8 (RFC 7741): a frame runs from the packet with S=1 and partition 0 to the marker. */
final class Vp8Depacketizer extends VideoDepacketizer {
    private final Vp8Descriptor d = new Vp8Descriptor();

    @Override
    boolean parse(byte[] buf, int off, int len) {
        return d.parse(buf, off, len) && d.length() <= len;
    }

    @Override
    int descriptorLength() {
        return d.length();
    }

    @Override
    boolean startsFrame() {
        return d.isStartOfFrame();
    }

    @Override
    boolean endsFrame() {
        return false;
    }

    @Override
    boolean isKeyframe() {
        return d.isKeyframe();
    }

    /**
     * The picture size of a VP8 keyframe (RFC 6386 §9.1: 3-byte frame tag, start code
     * 9d 01 2a, then 14-bit width and height), or null.
     */
    static int[] keyframeSize(byte[] frame, int off, int len) {
        if (len < 10 || (frame[off] & 1) != 0 || (frame[off + 3] & 0xFF) != 0x9d
                || (frame[off + 4] & 0xFF) != 0x01 || (frame[off + 5] & 0xFF) != 0x2a) {
            return null;
        }
        int w = ((frame[off + 6] & 0xFF) | (frame[off + 7] & 0xFF) << 8) & 0x3FFF;
        int h = ((frame[off + 8] & 0xFF) | (frame[off + 9] & 0xFF) << 8) & 0x3FFF;
        return new int[]{w, h};
    }
}
