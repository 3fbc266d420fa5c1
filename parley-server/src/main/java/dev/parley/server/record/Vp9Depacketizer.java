package dev.parley.server.record;

import dev.parley.rtc.codec.Vp9Descriptor;

/**
 * VP9 (RFC 9628): a frame runs from the B bit to the E bit. Only the base spatial layer is
 * recorded, so that an SVC stream still gives a single-resolution file.
 */
final class Vp9Depacketizer extends VideoDepacketizer {
    private final Vp9Descriptor d = new Vp9Descriptor();

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
        return d.isEndOfFrame();
    }

    @Override
    boolean isKeyframe() {
        return d.isKeyframe();
    }

    @Override
    boolean skipLayer() {
        return d.hasLayerIndices() && d.sid() > 0;
    }

    /**
     * The picture size of a VP9 keyframe from its uncompressed header (VP9 bitstream spec
     * §6.2: frame marker, profile, frame type, sync code, colour config, then the size), or null.
     */
    static int[] keyframeSize(byte[] frame, int off, int len) {
        BitReader r = new BitReader(frame, off, len);
        if (r.bits(2) != 2) {
            return null;
        }
        int profile = r.bit() | r.bit() << 1;
        if (profile == 3) {
            r.bit();
        }
        if (r.bit() != 0 || r.bit() != 0) {          // show_existing_frame, frame_type (0 = key)
            return null;
        }
        r.bit();                                     // show_frame
        r.bit();                                     // error_resilient_mode
        if (r.bits(24) != 0x498342) {
            return null;
        }
        if (profile >= 2) {
            r.bit();                                 // ten_or_twelve_bit
        }
        int colorSpace = r.bits(3);
        if (colorSpace != 7) {
            r.bit();                                 // color_range
            if (profile == 1 || profile == 3) {
                r.bits(3);
            }
        } else if (profile == 1 || profile == 3) {
            r.bit();
        }
        int w = r.bits(16) + 1;
        int h = r.bits(16) + 1;
        return r.overrun() ? null : new int[]{w, h};
    }

    /** Big-endian bit reader that reports reading past the end instead of throwing. */
    private static final class BitReader {
        private final byte[] b;
        private final int end;
        private long pos;
        private boolean overrun;

        BitReader(byte[] b, int off, int len) {
            this.b = b;
            this.pos = (long) off * 8;
            this.end = off + len;
        }

        int bit() {
            int i = (int) (pos >> 3);
            if (i >= end) {
                overrun = true;
                return 0;
            }
            int v = (b[i] >> (7 - (int) (pos & 7))) & 1;
            pos++;
            return v;
        }

        int bits(int n) {
            int v = 0;
            for (int i = 0; i < n; i++) {
                v = v << 1 | bit();
            }
            return v;
        }

        boolean overrun() {
            return overrun;
        }
    }
}
