package dev.parley.server.record;

import dev.parley.rtc.rtp.RtpPacket;

import java.util.Arrays;

/**
 * H.264 (RFC 6184, packetization mode 1): single NAL units, STAP-A aggregates and FU-A
 * fragments are rebuilt into access units in Matroska's length-prefixed form (4-byte sizes).
 * An access unit ends at the RTP marker; a gap drops it and everything up to the next IDR.
 * The latest SPS and PPS are kept for the track's CodecPrivate.
 */
final class H264Depacketizer implements Depacketizer {
    private static final int STAP_A = 24, FU_A = 28, IDR = 5, SPS = 7, PPS = 8;

    private byte[] frame = new byte[64 * 1024];
    private int length;
    private boolean inFrame;
    private boolean broken;
    private boolean keyframe;
    private long timestamp;
    private int nextSeq;
    private int fragmentStart = -1;     // where the open FU-A unit's 4-byte size is
    private boolean awaitingKeyframe = true;
    private byte[] sps;
    private byte[] pps;

    byte[] sps() {
        return sps;
    }

    byte[] pps() {
        return pps;
    }

    @Override
    public void push(RtpPacket p, FrameSink sink) {
        int off = p.payloadOffset();
        int len = p.payloadLength();
        int seq = p.sequenceNumber();
        if (len == 0) {
            if (inFrame && seq == nextSeq) {
                nextSeq = (seq + 1) & 0xFFFF;
            }
            return;
        }
        if (!inFrame || p.timestamp() != timestamp) {
            if (inFrame) {
                lost(sink);                                      // its marker never came
            }
            inFrame = true;
            broken = false;
            keyframe = false;
            length = 0;
            fragmentStart = -1;
            timestamp = p.timestamp();
        } else if (seq != nextSeq) {
            broken = true;
        }
        nextSeq = (seq + 1) & 0xFFFF;
        byte[] b = p.buffer();
        int type = b[off] & 0x1F;
        if (type >= 1 && type <= 23) {
            unit(b, off, len);
        } else if (type == STAP_A) {
            int i = off + 1, end = off + len;
            while (i + 2 <= end) {
                int n = (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
                if (n == 0 || i + 2 + n > end) {
                    broken = true;
                    break;
                }
                unit(b, i + 2, n);
                i += 2 + n;
            }
        } else if (type == FU_A && len >= 2) {
            fragment(b, off, len);
        }
        if (p.marker()) {
            inFrame = false;
            if (broken || fragmentStart >= 0) {
                lost(sink);
                return;
            }
            if (keyframe) {
                awaitingKeyframe = false;
            }
            if (!awaitingKeyframe && length > 0) {
                sink.frame(frame, 0, length, timestamp, keyframe);
            }
        }
    }

    private void unit(byte[] b, int off, int len) {
        note(b[off] & 0x1F, b, off, len);
        ensure(4 + len);
        putSize(length, len);
        System.arraycopy(b, off + 0, frame, length + 4, len);
        length += 4 + len;
    }

    private void fragment(byte[] b, int off, int len) {
        int header = b[off + 1] & 0xFF;
        boolean start = (header & 0x80) != 0, end = (header & 0x40) != 0;
        int type = header & 0x1F;
        if (start) {
            ensure(5 + len);
            fragmentStart = length;
            length += 4;
            frame[length++] = (byte) ((b[off] & 0xE0) | type);          // the unit's own header
            if (type == IDR) {
                keyframe = true;
            }
        } else if (fragmentStart < 0) {
            broken = true;
            return;
        }
        ensure(len - 2);
        System.arraycopy(b, off + 2, frame, length, len - 2);
        length += len - 2;
        if (end) {
            int size = length - fragmentStart - 4;
            putSize(fragmentStart, size);
            if (type == SPS || type == PPS) {
                note(type, frame, fragmentStart + 4, size);
            }
            fragmentStart = -1;
        }
    }

    private void note(int type, byte[] b, int off, int len) {
        if (type == IDR) {
            keyframe = true;
        } else if (type == SPS && (sps == null || !Arrays.equals(sps, 0, sps.length, b, off, off + len))) {
            sps = Arrays.copyOfRange(b, off, off + len);
        } else if (type == PPS && (pps == null || !Arrays.equals(pps, 0, pps.length, b, off, off + len))) {
            pps = Arrays.copyOfRange(b, off, off + len);
        }
    }

    private void putSize(int at, int size) {
        frame[at] = (byte) (size >>> 24);
        frame[at + 1] = (byte) (size >>> 16);
        frame[at + 2] = (byte) (size >>> 8);
        frame[at + 3] = (byte) size;
    }

    private void ensure(int more) {
        if (length + more > frame.length) {
            frame = Arrays.copyOf(frame, Math.max(frame.length * 2, length + more));
        }
    }

    private void lost(FrameSink sink) {
        awaitingKeyframe = true;
        sink.frameLost();
    }

    /** The AVCDecoderConfigurationRecord (ISO 14496-15 §5.3.3.1) for Matroska's CodecPrivate. */
    static byte[] avcConfiguration(byte[] sps, byte[] pps) {
        byte[] out = new byte[11 + sps.length + pps.length];
        out[0] = 1;
        out[1] = sps[1];
        out[2] = sps[2];
        out[3] = sps[3];
        out[4] = (byte) 0xFF;                  // 4-byte NAL sizes
        out[5] = (byte) 0xE1;                  // one SPS
        out[6] = (byte) (sps.length >> 8);
        out[7] = (byte) sps.length;
        System.arraycopy(sps, 0, out, 8, sps.length);
        int p = 8 + sps.length;
        out[p] = 1;                            // one PPS
        out[p + 1] = (byte) (pps.length >> 8);
        out[p + 2] = (byte) pps.length;
        System.arraycopy(pps, 0, out, p + 3, pps.length);
        return out;
    }
}
