package dev.parley.rtc.codec;

/**
 * Reusable view of the VP9 payload descriptor (RFC 9628 §4.2). Reads picture id, layer indices,
 * TL0PICIDX and skips reference diffs and the scalability structure to find the VP9 frame
 * header, from which keyframes are recognised. Allocation-free; not thread-safe.
 */
public final class Vp9Descriptor {
    private boolean flexible;
    private boolean interPicturePredicted;
    private boolean startOfFrame;
    private boolean endOfFrame;
    private boolean hasScalabilityStructure;
    private boolean notReferenceForUpperSpatial;
    private int pictureId;
    private int pictureIdBits;
    private boolean hasLayerIndices;
    private int tid;
    private boolean switchingUp;
    private int sid;
    private boolean interLayerDependency;
    private int tl0PicIdx;
    private int length;
    private boolean keyframe;

    public boolean parse(byte[] payload, int off, int len) {
        pictureId = -1;
        pictureIdBits = 0;
        hasLayerIndices = false;
        tid = 0;
        sid = 0;
        switchingUp = false;
        interLayerDependency = false;
        tl0PicIdx = -1;
        keyframe = false;
        length = 0;
        if (len < 1) {
            return false;
        }
        int b0 = payload[off] & 0xFF;
        boolean hasPictureId = (b0 & 0x80) != 0;
        interPicturePredicted = (b0 & 0x40) != 0;
        boolean layers = (b0 & 0x20) != 0;
        flexible = (b0 & 0x10) != 0;
        startOfFrame = (b0 & 0x08) != 0;
        endOfFrame = (b0 & 0x04) != 0;
        hasScalabilityStructure = (b0 & 0x02) != 0;
        notReferenceForUpperSpatial = (b0 & 0x01) != 0;
        int p = 1;
        if (hasPictureId) {
            if (len < p + 1) {
                return false;
            }
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
                p++;
            }
        }
        if (layers) {
            if (len < p + 1) {
                return false;
            }
            int l = payload[off + p] & 0xFF;
            hasLayerIndices = true;
            tid = l >> 5;
            switchingUp = (l & 0x10) != 0;
            sid = (l >> 1) & 0x07;
            interLayerDependency = (l & 0x01) != 0;
            p++;
            if (!flexible) {
                if (len < p + 1) {
                    return false;
                }
                tl0PicIdx = payload[off + p] & 0xFF;
                p++;
            }
        }
        if (flexible && interPicturePredicted) {
            // up to 3 P_DIFF bytes, N bit (LSB) says another follows
            for (int i = 0; i < 3; i++) {
                if (len < p + 1) {
                    return false;
                }
                boolean more = (payload[off + p] & 0x01) != 0;
                p++;
                if (!more) {
                    break;
                }
            }
        }
        if (hasScalabilityStructure) {
            if (len < p + 1) {
                return false;
            }
            int ss = payload[off + p] & 0xFF;
            p++;
            int spatialLayers = (ss >> 5) + 1;
            if ((ss & 0x10) != 0) { // Y: resolutions
                p += 4 * spatialLayers;
            }
            if ((ss & 0x08) != 0) { // G: picture group description
                if (len < p + 1) {
                    return false;
                }
                int groups = payload[off + p] & 0xFF;
                p++;
                for (int g = 0; g < groups; g++) {
                    if (len < p + 1) {
                        return false;
                    }
                    int refs = (payload[off + p] >> 2) & 0x03;
                    p += 1 + refs;
                }
            }
            if (len < p) {
                return false;
            }
        }
        length = p;
        if (startOfFrame && len > p) {
            int h = payload[off + p] & 0xFF;
            if ((h & 0xC0) == 0x80) { // frame_marker
                int profile = ((h >> 5) & 1) | (((h >> 4) & 1) << 1);
                // profile 3 has an extra reserved bit before show_existing_frame and frame_type
                keyframe = profile == 3 ? (h & 0x06) == 0 : (h & 0x0C) == 0;
            }
        }
        return true;
    }

    /** B bit: first packet of a (layer) frame. */
    public boolean isStartOfFrame() {
        return startOfFrame;
    }

    /** E bit: last packet of a (layer) frame. */
    public boolean isEndOfFrame() {
        return endOfFrame;
    }

    /** Start of a frame that is a VP9 keyframe (show_existing_frame = 0, frame_type = KEY_FRAME). */
    public boolean isKeyframe() {
        return keyframe;
    }

    public boolean isFlexible() {
        return flexible;
    }

    /** P bit: the frame references an earlier picture. */
    public boolean isInterPicturePredicted() {
        return interPicturePredicted;
    }

    public boolean hasScalabilityStructure() {
        return hasScalabilityStructure;
    }

    /** Z bit: not used as reference by upper spatial layers of the same picture. */
    public boolean isNotReferenceForUpperSpatial() {
        return notReferenceForUpperSpatial;
    }

    public int pictureId() {
        return pictureId;
    }

    public int pictureIdBits() {
        return pictureIdBits;
    }

    public boolean hasLayerIndices() {
        return hasLayerIndices;
    }

    /** Temporal layer id (0 when absent). */
    public int tid() {
        return tid;
    }

    /** U bit: switching up point for temporal layers. */
    public boolean switchingUp() {
        return switchingUp;
    }

    /** Spatial layer id (0 when absent). */
    public int sid() {
        return sid;
    }

    /** D bit: depends on the lower spatial layer of the same picture. */
    public boolean interLayerDependency() {
        return interLayerDependency;
    }

    /** TL0PICIDX (non-flexible mode), or -1. */
    public int tl0PicIdx() {
        return tl0PicIdx;
    }

    public int length() {
        return length;
    }
}
