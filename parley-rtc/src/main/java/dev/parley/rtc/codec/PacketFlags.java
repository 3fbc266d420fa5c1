package dev.parley.rtc.codec;

import dev.parley.rtc.rtp.RtpPacket;

/**
 * Per-packet facts the forwarder needs for layer selection and frame dropping, with the
 * reference server's semantics. Reusable; keep one per reader thread. Allocation-free.
 *
 * <ul>
 * <li>VP8: start = S bit with partition 0, end = marker, pictureId, tid, tidUpSync = keyframe or
 * Y bit, sidUpSync = keyframe, discardable = N bit.</li>
 * <li>VP9: start = B, end = E, tid, sid, tidUpSync = keyframe or U, sidUpSync = keyframe or not P,
 * sidNonReference = Z bit.</li>
 * <li>AV1, H.264: keyframe and start from {@link KeyframeDetector}, end = marker.</li>
 * <li>Others: only the marker (end) is set.</li>
 * </ul>
 */
public final class PacketFlags {
    private final KeyframeDetector detector = new KeyframeDetector();
    private final Vp8Descriptor vp8 = new Vp8Descriptor();
    private final Vp9Descriptor vp9 = new Vp9Descriptor();

    private boolean marker;
    private boolean start;
    private boolean end;
    private boolean keyframe;
    private int pictureId;
    private int tid;
    private int sid;
    private boolean tidUpSync;
    private boolean sidUpSync;
    private boolean sidNonReference;
    private boolean discardable;

    /**
     * Fills the flags for {@code packet}.
     *
     * @return false if the codec payload descriptor is truncated (flags then hold only the marker)
     */
    public boolean parse(VideoCodec codec, RtpPacket packet) {
        return parse(codec, packet.marker(), packet.buffer(), packet.payloadOffset(), packet.payloadLength());
    }

    public boolean parse(VideoCodec codec, boolean marker, byte[] payload, int off, int len) {
        this.marker = marker;
        start = false;
        end = marker;
        keyframe = false;
        pictureId = -1;
        tid = 0;
        sid = 0;
        tidUpSync = false;
        sidUpSync = false;
        sidNonReference = false;
        discardable = false;
        switch (codec) {
            case VP8 -> {
                if (!vp8.parse(payload, off, len)) {
                    return false;
                }
                start = vp8.isStartOfFrame();
                keyframe = vp8.isKeyframe();
                pictureId = vp8.pictureId();
                tid = vp8.tid();
                tidUpSync = keyframe || vp8.layerSync();
                sidUpSync = keyframe;
                discardable = vp8.isNonReference();
            }
            case VP9 -> {
                if (!vp9.parse(payload, off, len)) {
                    return false;
                }
                start = vp9.isStartOfFrame();
                end = vp9.isEndOfFrame();
                keyframe = vp9.isKeyframe();
                pictureId = vp9.pictureId();
                tid = vp9.tid();
                sid = vp9.sid();
                tidUpSync = keyframe || vp9.switchingUp();
                sidUpSync = keyframe || !vp9.isInterPicturePredicted();
                sidNonReference = vp9.isNotReferenceForUpperSpatial();
            }
            case AV1, H264 -> {
                start = detector.isStartOfFrame(codec, payload, off, len);
                keyframe = detector.isKeyframe(codec, payload, off, len);
            }
            case OTHER -> {
                // audio and unknown codecs: the marker is all we know
            }
        }
        return true;
    }

    public boolean marker() {
        return marker;
    }

    public boolean start() {
        return start;
    }

    public boolean end() {
        return end;
    }

    public boolean keyframe() {
        return keyframe;
    }

    /** VP8/VP9 picture id, or -1. */
    public int pictureId() {
        return pictureId;
    }

    public int tid() {
        return tid;
    }

    public int sid() {
        return sid;
    }

    public boolean tidUpSync() {
        return tidUpSync;
    }

    public boolean sidUpSync() {
        return sidUpSync;
    }

    public boolean sidNonReference() {
        return sidNonReference;
    }

    public boolean discardable() {
        return discardable;
    }
}
