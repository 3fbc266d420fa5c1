package dev.parley.rtc.rtp;

/**
 * Writes outgoing RTP for down tracks: a fresh 12-byte header (no CSRCs, no extensions, no
 * padding; spec MD5) followed by the source payload. Static and allocation-free.
 */
public final class RtpWriter {
    private RtpWriter() {
    }

    /** Writes a 12-byte RTP header at {@code dst[off]}. */
    public static void writeHeader(byte[] dst, int off, boolean marker, int payloadType, int seq, long timestamp,
            long ssrc) {
        dst[off] = (byte) 0x80;
        dst[off + 1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F));
        dst[off + 2] = (byte) (seq >> 8);
        dst[off + 3] = (byte) seq;
        RtpPacket.put32(dst, off + 4, timestamp);
        RtpPacket.put32(dst, off + 8, ssrc);
    }

    /**
     * Copies {@code src} into {@code dst[off]} as a forwarded packet: new SSRC, payload type and
     * sequence number; the original timestamp; the marker kept or forced on; extensions, CSRCs and
     * padding dropped.
     *
     * @return bytes written, or -1 if {@code dst} has no room (nothing useful is written then)
     */
    public static int writeForwarded(RtpPacket src, byte[] dst, int off, int payloadType, int seq, long ssrc,
            boolean forceMarker) {
        int payloadLength = src.payloadLength();
        int total = RtpPacket.FIXED_HEADER_LENGTH + payloadLength;
        if (off < 0 || off + total > dst.length) {
            return -1;
        }
        writeHeader(dst, off, forceMarker || src.marker(), payloadType, seq, src.timestamp(), ssrc);
        System.arraycopy(src.buffer(), src.payloadOffset(), dst, off + RtpPacket.FIXED_HEADER_LENGTH, payloadLength);
        return total;
    }
}
