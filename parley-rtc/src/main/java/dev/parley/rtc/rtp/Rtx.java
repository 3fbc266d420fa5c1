package dev.parley.rtc.rtp;

/**
 * RTX retransmission payloads (RFC 4588 §4): a retransmitted packet travels on its own SSRC
 * with its own sequence numbers and payload type, its payload prefixed by the original
 * sequence number (OSN). Static and allocation-free.
 */
public final class Rtx {
    /** The OSN in front of the original payload. */
    public static final int OSN_LENGTH = 2;

    private Rtx() {
    }

    /**
     * Writes {@code original} as an RTX packet at {@code dst[off]}: a fresh 12-byte header with
     * the RTX payload type, sequence number and SSRC (timestamp and marker kept), then the OSN,
     * then the original payload (extensions, CSRCs and padding dropped).
     *
     * @return bytes written, or -1 if {@code dst} has no room
     */
    public static int wrap(RtpPacket original, byte[] dst, int off, int rtxPayloadType, int rtxSeq, long rtxSsrc) {
        int payload = original.payloadLength();
        int total = RtpPacket.FIXED_HEADER_LENGTH + OSN_LENGTH + payload;
        if (off < 0 || off + total > dst.length) {
            return -1;
        }
        RtpWriter.writeHeader(dst, off, original.marker(), rtxPayloadType, rtxSeq & 0xFFFF, original.timestamp(),
                rtxSsrc);
        int osn = original.sequenceNumber();
        dst[off + 12] = (byte) (osn >> 8);
        dst[off + 13] = (byte) osn;
        System.arraycopy(original.buffer(), original.payloadOffset(), dst, off + 14, payload);
        return total;
    }

    /**
     * Restores the original packet of an RTX packet at {@code dst[off]}: the OSN becomes the
     * sequence number, {@code payloadType} and {@code ssrc} those of the media stream.
     *
     * @return bytes written, or -1 when {@code rtx} carries no OSN (padding only: a bandwidth
     *         probe, never media) or {@code dst} has no room
     */
    public static int unwrap(RtpPacket rtx, byte[] dst, int off, int payloadType, long ssrc) {
        int payload = rtx.payloadLength() - OSN_LENGTH;
        if (payload <= 0) {
            return -1;
        }
        int total = RtpPacket.FIXED_HEADER_LENGTH + payload;
        if (off < 0 || off + total > dst.length) {
            return -1;
        }
        byte[] b = rtx.buffer();
        int p = rtx.payloadOffset();
        int osn = ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
        RtpWriter.writeHeader(dst, off, rtx.marker(), payloadType, osn, rtx.timestamp(), ssrc);
        System.arraycopy(b, p + OSN_LENGTH, dst, off + RtpPacket.FIXED_HEADER_LENGTH, payload);
        return total;
    }
}
