package dev.parley.server.record;

import dev.parley.rtc.rtp.RtpPacket;

import java.util.Arrays;

/**
 * Reassembles video frames that span several packets: a frame starts at a packet marked as a
 * frame start, takes consecutive sequence numbers with one timestamp, and ends at its last
 * packet. A gap drops the frame, and frames are then dropped up to the next keyframe, since
 * they could not be decoded. The frame buffer is reused.
 */
abstract sealed class VideoDepacketizer implements Depacketizer permits Vp8Depacketizer, Vp9Depacketizer {
    private byte[] frame = new byte[64 * 1024];
    private int length;
    private boolean inFrame;
    private boolean keyframe;
    private long timestamp;
    private int nextSeq;
    private boolean awaitingKeyframe;

    /** Parses the payload descriptor; false when it is malformed. Sets the fields below. */
    abstract boolean parse(byte[] buf, int off, int len);

    /** Bytes of descriptor before the codec data. */
    abstract int descriptorLength();

    abstract boolean startsFrame();

    /** Whether this packet ends its frame by the codec's own flag (the RTP marker also does). */
    abstract boolean endsFrame();

    abstract boolean isKeyframe();

    /** Whether this packet belongs to a layer that is not recorded (VP9 upper spatial layers). */
    boolean skipLayer() {
        return false;
    }

    @Override
    public final void push(RtpPacket p, FrameSink sink) {
        int off = p.payloadOffset();
        int len = p.payloadLength();
        int seq = p.sequenceNumber();
        if (len == 0) {                                          // padding only
            if (inFrame && seq == nextSeq) {
                nextSeq = (seq + 1) & 0xFFFF;
            }
            return;
        }
        if (!parse(p.buffer(), off, len) || skipLayer()) {
            return;
        }
        if (startsFrame()) {
            if (inFrame) {
                lost(sink);                                      // its last packet never came
            }
            inFrame = true;
            length = 0;
            keyframe = isKeyframe();
            timestamp = p.timestamp();
        } else if (!inFrame) {
            return;
        } else if (seq != nextSeq || p.timestamp() != timestamp) {
            inFrame = false;
            lost(sink);
            return;
        }
        nextSeq = (seq + 1) & 0xFFFF;
        append(p.buffer(), off + descriptorLength(), len - descriptorLength());
        if (p.marker() || endsFrame()) {
            inFrame = false;
            if (keyframe) {
                awaitingKeyframe = false;
            }
            if (!awaitingKeyframe) {
                sink.frame(frame, 0, length, timestamp, keyframe);
            }
        }
    }

    private void lost(FrameSink sink) {
        awaitingKeyframe = true;
        sink.frameLost();
    }

    private void append(byte[] src, int off, int len) {
        if (len <= 0) {
            return;
        }
        if (length + len > frame.length) {
            frame = Arrays.copyOf(frame, Math.max(frame.length * 2, length + len));
        }
        System.arraycopy(src, off, frame, length, len);
        length += len;
    }
}
