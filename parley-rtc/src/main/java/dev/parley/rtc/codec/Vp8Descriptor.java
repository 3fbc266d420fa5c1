package dev.parley.rtc.codec;

/**
 * Reusable view of the VP8 payload descriptor (RFC 7741 §4.2) at the start of an RTP payload.
 * {@link #parse} returns false for a truncated descriptor. Allocation-free; not thread-safe.
 */
public final class Vp8Descriptor {
    private boolean nonReference;
    private boolean startOfPartition;
    private int partitionIndex;
    private int pictureId;
    private int pictureIdBits;
    private int pictureIdOffset;
    private int tl0PicIdx;
    private int tl0PicIdxOffset;
    private int tid;
    private boolean hasTid;
    private boolean layerSync;
    private int keyIdx;
    private boolean hasKeyIdx;
    private int length;
    private boolean keyframe;

    /** Parses the descriptor of {@code payload[off, off+len)}. */
    public boolean parse(byte[] payload, int off, int len) {
        pictureId = -1;
        pictureIdBits = 0;
        pictureIdOffset = -1;
        tl0PicIdx = -1;
        tl0PicIdxOffset = -1;
        tid = 0;
        hasTid = false;
        layerSync = false;
        keyIdx = -1;
        hasKeyIdx = false;
        keyframe = false;
        length = 0;
        if (len < 1) {
            return false;
        }
        int b0 = payload[off] & 0xFF;
        nonReference = (b0 & 0x20) != 0;
        startOfPartition = (b0 & 0x10) != 0;
        partitionIndex = b0 & 0x07;
        int p = 1;
        if ((b0 & 0x80) != 0) {
            if (len < 2) {
                return false;
            }
            int x = payload[off + 1] & 0xFF;
            p = 2;
            if ((x & 0x80) != 0) { // I: picture id
                if (len < p + 1) {
                    return false;
                }
                pictureIdOffset = off + p;
                int m = payload[off + p] & 0xFF;
                if ((m & 0x80) != 0) {
                    if (len < p + 2) {
                        return false;
                    }
                    pictureId = ((m & 0x7F) << 8) | (payload[off + p + 1] & 0xFF);
                    pictureIdBits = 15;
                    p += 2;
                } else {
                    pictureId = m;
                    pictureIdBits = 7;
                    p += 1;
                }
            }
            if ((x & 0x40) != 0) { // L: TL0PICIDX
                if (len < p + 1) {
                    return false;
                }
                tl0PicIdxOffset = off + p;
                tl0PicIdx = payload[off + p] & 0xFF;
                p++;
            }
            if ((x & 0x30) != 0) { // T or K: TID/Y/KEYIDX byte
                if (len < p + 1) {
                    return false;
                }
                int t = payload[off + p] & 0xFF;
                if ((x & 0x20) != 0) {
                    hasTid = true;
                    tid = t >> 6;
                    layerSync = (t & 0x20) != 0;
                }
                if ((x & 0x10) != 0) {
                    hasKeyIdx = true;
                    keyIdx = t & 0x1F;
                }
                p++;
            }
        }
        length = p;
        // the VP8 payload header's P bit is 0 for keyframes; it is only present at frame start
        keyframe = isStartOfFrame() && len > p && (payload[off + p] & 0x01) == 0;
        return true;
    }

    /** S bit set and partition index 0: the first packet of a frame. */
    public boolean isStartOfFrame() {
        return startOfPartition && partitionIndex == 0;
    }

    public boolean isKeyframe() {
        return keyframe;
    }

    /** N bit: the frame can be dropped without affecting others. */
    public boolean isNonReference() {
        return nonReference;
    }

    public boolean isStartOfPartition() {
        return startOfPartition;
    }

    public int partitionIndex() {
        return partitionIndex;
    }

    public boolean hasPictureId() {
        return pictureIdBits != 0;
    }

    /** Picture id, or -1 if absent. */
    public int pictureId() {
        return pictureId;
    }

    /** 7 or 15, or 0 if absent. */
    public int pictureIdBits() {
        return pictureIdBits;
    }

    /** TL0PICIDX, or -1 if absent. */
    public int tl0PicIdx() {
        return tl0PicIdx;
    }

    public boolean hasTid() {
        return hasTid;
    }

    /** Temporal layer id, 0 when absent. */
    public int tid() {
        return tid;
    }

    /** Y bit: layer sync — decodable relying only on the base layer. */
    public boolean layerSync() {
        return layerSync;
    }

    /** KEYIDX, or -1 if absent. */
    public int keyIdx() {
        return keyIdx;
    }

    public boolean hasKeyIdx() {
        return hasKeyIdx;
    }

    /** Bytes of descriptor before the VP8 payload. */
    public int length() {
        return length;
    }

    /**
     * Rewrites the picture id of the descriptor at {@code payload[off]} in place, keeping its width
     * (the value is taken modulo 2^7 or 2^15).
     *
     * @return false if the payload has no picture id or is truncated (nothing is written)
     */
    public static boolean rewritePictureId(byte[] payload, int off, int len, int pictureId) {
        if (len < 3 || (payload[off] & 0x80) == 0 || (payload[off + 1] & 0x80) == 0) {
            return false;
        }
        int p = off + 2;
        if ((payload[p] & 0x80) != 0) {
            if (len < 4) {
                return false;
            }
            payload[p] = (byte) (0x80 | ((pictureId >> 8) & 0x7F));
            payload[p + 1] = (byte) pictureId;
        } else {
            payload[p] = (byte) (pictureId & 0x7F);
        }
        return true;
    }

    /** Adds {@code delta} to the picture id in place (modulo its width); false if there is none. */
    public static boolean addToPictureId(byte[] payload, int off, int len, int delta) {
        if (len < 3 || (payload[off] & 0x80) == 0 || (payload[off + 1] & 0x80) == 0) {
            return false;
        }
        int p = off + 2;
        int current;
        if ((payload[p] & 0x80) != 0) {
            if (len < 4) {
                return false;
            }
            current = ((payload[p] & 0x7F) << 8) | (payload[p + 1] & 0xFF);
        } else {
            current = payload[p] & 0x7F;
        }
        return rewritePictureId(payload, off, len, current + delta);
    }
}
