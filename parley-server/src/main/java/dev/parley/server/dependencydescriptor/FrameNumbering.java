package dev.parley.server.dependencydescriptor;

/**
 * Keeps the frame numbers of the dependency descriptors a receiver gets in one sequence when its
 * down track moves between simulcast layers (docs/svc.md, "AV1 simulcast"). Each layer's
 * descriptors are numbered by its encoder; libwebrtc numbers all layers of a sender in one
 * sequence by default, but each on its own with the field trial
 * {@code WebRTC-Video-SimulcastIndependentFrameIds}, and other encoders may do either. The
 * receiver (libwebrtc's {@code RtpVideoStreamReceiver2}) unwraps the 16-bit numbers into frame
 * ids and drops a keyframe whose id is below that of the keyframe which brought the structure in
 * force, so a switch to a layer numbered behind the other would freeze it for good (each new
 * keyframe of that layer is behind too). Here the switch keyframe is numbered one after the last
 * frame sent, and the layer's later frames keep their spacing: the shift is constant for the
 * switch's epoch, so references (frame differences) are unchanged and resends are numbered as
 * first sent.
 *
 * <p>Template and structure ids are not rewritten: the switch keyframe attaches the new layer's
 * structure, which the receiver takes in place of the old one (its frame id being newer), and
 * reads the following descriptors against it. One instance per down track; allocation-free.
 */
public final class FrameNumbering {
    private static final int MANDATORY_LENGTH = 3;

    private int lastSent = -1;

    /**
     * The shift (added modulo 2^16) for the epoch whose first frame is numbered
     * {@code frameNumber} by its layer: it makes that frame follow the last one sent; 0 before
     * anything was sent (the first layer keeps its encoder's numbers).
     */
    public int shiftFor(int frameNumber) {
        return lastSent < 0 ? 0 : (lastSent + 1 - frameNumber) & 0xFFFF;
    }

    /** Notes a frame number as sent (already shifted); one older than the newest sent (reordering) changes nothing. */
    public void sent(int frameNumber) {
        if (frameNumber < 0) {
            return;
        }
        int ahead = (frameNumber - lastSent) & 0xFFFF;
        if (lastSent < 0 || (ahead > 0 && ahead < 0x8000)) {
            lastSent = frameNumber;
        }
    }

    /** The newest frame number sent, or -1. */
    public int lastSent() {
        return lastSent;
    }

    /** The frame number of the descriptor at {@code buf[off, off+len)}, or -1 when it is too short to have one. */
    public static int frameNumber(byte[] buf, int off, int len) {
        if (len < MANDATORY_LENGTH || off < 0 || off + MANDATORY_LENGTH > buf.length) {
            return -1;
        }
        return (buf[off + 1] & 0xFF) << 8 | buf[off + 2] & 0xFF;
    }

    /** Adds {@code shift} to the frame number of the descriptor at {@code buf[off, off+len)}, in place; nothing else changes. */
    public static void shift(byte[] buf, int off, int len, int shift) {
        int n = frameNumber(buf, off, len);
        if (n < 0 || shift == 0) {
            return;
        }
        n = (n + shift) & 0xFFFF;
        buf[off + 1] = (byte) (n >>> 8);
        buf[off + 2] = (byte) n;
    }
}
