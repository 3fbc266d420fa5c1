package dev.parley.rtc.codec;

/**
 * Recognises keyframes and frame starts from RTP payloads (the bytes after the RTP header).
 * VP8 and VP9 reuse descriptor views held by the instance, so keep one detector per reader thread;
 * the AV1 and H.264 checks are also available as static methods. Allocation-free.
 *
 * <p>Semantics follow the reference server: an H.264 packet counts as a keyframe when it carries
 * an SPS (alone, inside STAP/MTAP aggregates, or as the first FU fragment); an AV1 packet when it
 * starts a new coded video sequence whose first frame is a shown KEY_FRAME. Undeterminable
 * payloads (truncated, frame header in a later packet) are reported as not keyframes.
 */
public final class KeyframeDetector {
    private static final int OBU_SEQUENCE_HEADER = 1;
    private static final int OBU_FRAME_HEADER = 3;
    private static final int OBU_FRAME = 6;
    private static final int NAL_SPS = 7;

    private final Vp8Descriptor vp8 = new Vp8Descriptor();
    private final Vp9Descriptor vp9 = new Vp9Descriptor();

    public boolean isKeyframe(VideoCodec codec, byte[] payload, int off, int len) {
        return switch (codec) {
            case VP8 -> vp8.parse(payload, off, len) && vp8.isKeyframe();
            case VP9 -> vp9.parse(payload, off, len) && vp9.isKeyframe();
            case AV1 -> isAv1Keyframe(payload, off, len);
            case H264 -> isH264Keyframe(payload, off, len);
            case OTHER -> false;
        };
    }

    /**
     * True if this packet begins a frame: VP8 S bit with partition 0; VP9 B bit (per spatial
     * layer); AV1 Z bit clear (the packet begins with a whole OBU); H.264 a single NAL unit, an
     * aggregate, or the first FU fragment. For AV1 and H.264 this marks the start of an OBU/NAL
     * unit, which may be inside a frame: callers that need exact frame boundaries should also use
     * the marker bit of the previous packet.
     */
    public boolean isStartOfFrame(VideoCodec codec, byte[] payload, int off, int len) {
        return switch (codec) {
            case VP8 -> vp8.parse(payload, off, len) && vp8.isStartOfFrame();
            case VP9 -> vp9.parse(payload, off, len) && vp9.isStartOfFrame();
            case AV1 -> len >= 1 && (payload[off] & 0x80) == 0;
            case H264 -> isH264Start(payload, off, len);
            case OTHER -> false;
        };
    }

    private static boolean isH264Start(byte[] payload, int off, int len) {
        if (len < 1) {
            return false;
        }
        int type = payload[off] & 0x1F;
        if (type >= 1 && type <= 27) {
            return true;
        }
        if (type == 28 || type == 29) {
            return len >= 2 && (payload[off + 1] & 0x80) != 0;
        }
        return false;
    }

    /** H.264 (RFC 6184): SPS present in this packet. */
    public static boolean isH264Keyframe(byte[] payload, int off, int len) {
        if (len < 1) {
            return false;
        }
        int type = payload[off] & 0x1F;
        if (type >= 1 && type <= 23) {
            return type == NAL_SPS;
        }
        if (type >= 24 && type <= 27) { // STAP-A, STAP-B, MTAP16, MTAP24
            int p = 1;
            if (type != 24) {
                p += 2; // decoding order number
            }
            int unitPrefix = type == 26 ? 3 : type == 27 ? 4 : 0; // DOND + timestamp offset
            while (p < len) {
                if (p + 2 > len) {
                    return false;
                }
                int size = ((payload[off + p] & 0xFF) << 8) | (payload[off + p + 1] & 0xFF);
                p += 2;
                if (p + size > len || unitPrefix >= size) {
                    return false;
                }
                int nal = payload[off + p + unitPrefix] & 0x1F;
                if (nal == NAL_SPS) {
                    return true;
                }
                p += size;
            }
            return false;
        }
        if (type == 28 || type == 29) { // FU-A, FU-B: the start fragment names the NAL type
            return len >= 2 && (payload[off + 1] & 0x80) != 0 && (payload[off + 1] & 0x1F) == NAL_SPS;
        }
        return false;
    }

    /**
     * AV1 (AV1 RTP spec §4.4): aggregation header with Z=0 and N=1, a sequence header as first OBU,
     * then a frame (header) OBU in the same packet with show_existing_frame=0 and
     * frame_type=KEY_FRAME.
     */
    public static boolean isAv1Keyframe(byte[] payload, int off, int len) {
        if (len < 2) {
            return false;
        }
        int agg = payload[off] & 0xFF;
        if ((agg & 0x88) != 0x08) { // Z=0, N=1
            return false;
        }
        int w = (agg >> 4) & 0x03;
        int p = off + 1;
        int end = off + len;
        for (int i = 0; p < end; i++) {
            int obuLen;
            if (w != 0 && i == w - 1) {
                obuLen = end - p; // last element of a counted packet has no length field
            } else {
                long v = 0;
                int shift = 0;
                while (true) {
                    if (p >= end || shift > 28) {
                        return false;
                    }
                    int b = payload[p++] & 0xFF;
                    v |= (long) (b & 0x7F) << shift;
                    shift += 7;
                    if ((b & 0x80) == 0) {
                        break;
                    }
                }
                if (v > end - p) {
                    return false; // element continues in the next packet
                }
                obuLen = (int) v;
            }
            if (obuLen < 1) {
                return false;
            }
            int header = payload[p] & 0xFF;
            int type = (header >> 3) & 0x0F;
            if (i == 0) {
                if (type != OBU_SEQUENCE_HEADER) {
                    return false;
                }
            } else if (type == OBU_FRAME_HEADER || type == OBU_FRAME) {
                int q = p + 1;
                if ((header & 0x04) != 0) { // extension header byte
                    q++;
                }
                if ((header & 0x02) != 0) { // has_size_field: skip the leb128 size
                    while (q < p + obuLen && (payload[q] & 0x80) != 0) {
                        q++;
                    }
                    q++;
                }
                if (q >= p + obuLen) {
                    return false;
                }
                int fh = payload[q] & 0xFF;
                return (fh & 0x80) == 0 && (fh & 0x60) == 0;
            }
            p += obuLen;
            if (w != 0 && i == w - 1) {
                break;
            }
        }
        return false;
    }
}
