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
     * the RTX payload type, sequence number and SSRC (timestamp and marker kept), the original's
     * header extension block, then the OSN, then the original payload (CSRCs and padding dropped).
     * The extensions travel along because the receiver restores the original with them: an AV1
     * packet's dependency descriptor is needed to place its frame.
     *
     * @return bytes written, or -1 if {@code dst} has no room
     */
    public static int wrap(RtpPacket original, byte[] dst, int off, int rtxPayloadType, int rtxSeq, long rtxSsrc) {
        int payload = original.payloadLength();
        int extensions = extensionBlockLength(original);
        int total = RtpPacket.FIXED_HEADER_LENGTH + extensions + OSN_LENGTH + payload;
        if (off < 0 || off + total > dst.length) {
            return -1;
        }
        RtpWriter.writeHeader(dst, off, original.marker(), rtxPayloadType, rtxSeq & 0xFFFF, original.timestamp(),
                rtxSsrc);
        int p = copyExtensionBlock(original, extensions, dst, off);
        int osn = original.sequenceNumber();
        dst[p] = (byte) (osn >> 8);
        dst[p + 1] = (byte) osn;
        System.arraycopy(original.buffer(), original.payloadOffset(), dst, p + OSN_LENGTH, payload);
        return total;
    }

    /** The length of {@code p}'s header extension block (its 4-byte header included), 0 when it has none. */
    private static int extensionBlockLength(RtpPacket p) {
        return p.hasExtension()
                ? p.payloadOffset() - p.offset() - RtpPacket.FIXED_HEADER_LENGTH - 4 * p.csrcCount() : 0;
    }

    /**
     * Copies {@code p}'s extension block ({@code length} bytes) behind the fixed header written at
     * {@code dst[off]}, setting its X bit; returns where the block ends.
     */
    private static int copyExtensionBlock(RtpPacket p, int length, byte[] dst, int off) {
        int at = off + RtpPacket.FIXED_HEADER_LENGTH;
        if (length > 0) {
            dst[off] |= 0x10;
            System.arraycopy(p.buffer(), p.payloadOffset() - length, dst, at, length);
        }
        return at + length;
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
        int extensions = extensionBlockLength(rtx);
        int total = RtpPacket.FIXED_HEADER_LENGTH + extensions + payload;
        if (off < 0 || off + total > dst.length) {
            return -1;
        }
        byte[] b = rtx.buffer();
        int p = rtx.payloadOffset();
        int osn = ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
        RtpWriter.writeHeader(dst, off, rtx.marker(), payloadType, osn, rtx.timestamp(), ssrc);
        int at = copyExtensionBlock(rtx, extensions, dst, off);
        System.arraycopy(b, p + OSN_LENGTH, dst, at, payload);
        return total;
    }
}
