package dev.parley.server.seqmap;

/**
 * In-place rewriting of the picture numbering inside VP8 and VP9 payload descriptors of a
 * forwarded packet (RFC 7741 §4.2, RFC 9628 §4.2), so that a receiver whose source changes
 * (simulcast layer switch, issue #14) or that misses dropped pictures (MD7) sees one continuous
 * stream. Each index is shifted by a delta, modulo its width: picture id (7 or 15 bits),
 * TL0PICIDX (8 bits), VP8 KEYIDX (5 bits). A field the descriptor lacks is left alone.
 * Static and allocation-free; the descriptor is parsed here rather than with the codec views
 * because those only read.
 */
public final class PictureIndices {
    private PictureIndices() {
    }

    /** Adds the deltas to a VP8 descriptor at {@code payload[off, off+len)}; false when truncated. */
    public static boolean shiftVp8(byte[] payload, int off, int len, int pictureIdDelta, int tl0Delta, int keyIdxDelta) {
        if (len < 1 || (payload[off] & 0x80) == 0) {
            return true;                                      // no extension byte: nothing numbered
        }
        if (len < 2) {
            return false;
        }
        int x = payload[off + 1] & 0xFF;
        int p = off + 2;
        int end = off + len;
        if ((x & 0x80) != 0) {                                // I
            p = shiftPictureId(payload, p, end, pictureIdDelta);
            if (p < 0) {
                return false;
            }
        }
        if ((x & 0x40) != 0) {                                // L
            if (p >= end) {
                return false;
            }
            payload[p] = (byte) (payload[p] + tl0Delta);
            p++;
        }
        if ((x & 0x10) != 0) {                                // K: KEYIDX in the low 5 bits of the T/K byte
            if (p >= end) {
                return false;
            }
            int b = payload[p] & 0xFF;
            payload[p] = (byte) ((b & 0xE0) | ((b + keyIdxDelta) & 0x1F));
        }
        return true;
    }

    /**
     * Adds the deltas to a VP9 descriptor: its picture id and, in non-flexible mode with layer
     * indices, its TL0PICIDX. False when truncated.
     */
    public static boolean shiftVp9(byte[] payload, int off, int len, int pictureIdDelta, int tl0Delta) {
        if (len < 1) {
            return false;
        }
        int b0 = payload[off] & 0xFF;
        int p = off + 1;
        int end = off + len;
        if ((b0 & 0x80) != 0) {                               // I
            p = shiftPictureId(payload, p, end, pictureIdDelta);
            if (p < 0) {
                return false;
            }
        }
        boolean layerIndices = (b0 & 0x20) != 0;              // L
        boolean flexible = (b0 & 0x10) != 0;                  // F
        if (layerIndices && !flexible) {
            if (p + 1 >= end) {
                return false;
            }
            payload[p + 1] = (byte) (payload[p + 1] + tl0Delta);
        }
        return true;
    }

    /** Shifts the 7- or 15-bit picture id at {@code p}; returns the offset after it, or -1. */
    private static int shiftPictureId(byte[] payload, int p, int end, int delta) {
        if (p >= end) {
            return -1;
        }
        if ((payload[p] & 0x80) != 0) {
            if (p + 1 >= end) {
                return -1;
            }
            int id = (((payload[p] & 0x7F) << 8) | (payload[p + 1] & 0xFF)) + delta;
            payload[p] = (byte) (0x80 | ((id >> 8) & 0x7F));
            payload[p + 1] = (byte) id;
            return p + 2;
        }
        payload[p] = (byte) ((payload[p] + delta) & 0x7F);
        return p + 1;
    }
}
