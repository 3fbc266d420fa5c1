package dev.parley.rtc.rtp;

/**
 * Writes outgoing RTP for down tracks: a fresh 12-byte header (no CSRCs, no padding; spec MD5),
 * no header extensions or the one extension element the down track forwards (the AV1 dependency
 * descriptor), with or without a zero-valued transport-wide sequence number for
 * {@link TransportSequence#stamp} to fill in, then the source payload, copied once to its final
 * place. Static and allocation-free.
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

    /**
     * Where {@link #writeForwarded(RtpPacket, byte[], int, int, int, long, boolean, int, int, int)}
     * puts the element's data: its offset from the start of the packet written (so that a
     * caller can rewrite a field of its copy in place).
     */
    public static int forwardedElementOffset(int id, int elementLength) {
        return RtpPacket.FIXED_HEADER_LENGTH + 4 + (oneByteForm(id, elementLength) ? 1 : 2);
    }

    private static boolean oneByteForm(int id, int elementLength) {
        return elementLength <= 16 && id <= 14;
    }

    /**
     * {@link #writeForwarded(RtpPacket, byte[], int, int, int, long, boolean)} with room for a
     * transport-wide sequence number: a one-byte-form extension block (RFC 8285 §4.2) holding
     * element {@code transportCcId} (1..14) with a two-byte value of 0, which
     * {@link TransportSequence#stamp} overwrites in place when the packet leaves. Written here,
     * where the payload is copied anyway, the block costs 8 bytes of header; inserted by stamping
     * afterwards, it moved the whole payload of every copy 8 bytes on.
     *
     * @return bytes written, or -1 if {@code dst} has no room or the id is out of range
     */
    public static int writeForwardedNumbered(RtpPacket src, byte[] dst, int off, int payloadType, int seq, long ssrc,
            boolean forceMarker, int transportCcId) {
        int payloadLength = src.payloadLength();
        int total = RtpPacket.FIXED_HEADER_LENGTH + TransportSequence.MAX_GROWTH + payloadLength;
        if (transportCcId < 1 || transportCcId > 14 || off < 0 || off + total > dst.length) {
            return -1;
        }
        writeHeader(dst, off, forceMarker || src.marker(), payloadType, seq, src.timestamp(), ssrc);
        int p = off + RtpPacket.FIXED_HEADER_LENGTH;
        TransportSequence.writeBlock(dst, off, p, transportCcId, 0);
        System.arraycopy(src.buffer(), src.payloadOffset(), dst, p + TransportSequence.MAX_GROWTH, payloadLength);
        return total;
    }

    /**
     * {@link #writeForwarded(RtpPacket, byte[], int, int, int, long, boolean)} with one header
     * extension element: {@code src}'s element at {@code elementOffset} ({@code elementLength}
     * bytes, 1..255) as extension {@code id}. Elements of up to 16 bytes go in the one-byte form,
     * longer ones in the two-byte form (RFC 8285 §4.2, §4.3; mixing them needs
     * {@code a=extmap-allow-mixed}).
     *
     * @return bytes written, or -1 if {@code dst} has no room or the element does not fit a form
     */
    public static int writeForwarded(RtpPacket src, byte[] dst, int off, int payloadType, int seq, long ssrc,
            boolean forceMarker, int id, int elementOffset, int elementLength) {
        return writeForwarded(src, dst, off, payloadType, seq, ssrc, forceMarker, id, elementOffset, elementLength, 0);
    }

    /**
     * {@link #writeForwarded(RtpPacket, byte[], int, int, int, long, boolean, int, int, int)} with,
     * when {@code transportCcId} is not 0, room for a transport-wide sequence number as well: a
     * second element {@code transportCcId} with a two-byte value of 0 in one more word at the end
     * of the block, in the block's form, which {@link TransportSequence#stamp} then overwrites in
     * place. That word is exactly what stamping appended to the block written without it (the
     * element's padding stays in front of it), so the packet that leaves is the same; but the
     * append moved the whole payload of every copy 4 bytes on, and here the payload is copied to
     * its final place once (the AV1 counterpart of {@link #writeForwardedNumbered}).
     *
     * @return bytes written, or -1 if {@code dst} has no room, the element does not fit a form, or
     *         {@code transportCcId} is out of range for the form (one-byte: 1..14, two-byte:
     *         1..255) or equal to {@code id}
     */
    public static int writeForwarded(RtpPacket src, byte[] dst, int off, int payloadType, int seq, long ssrc,
            boolean forceMarker, int id, int elementOffset, int elementLength, int transportCcId) {
        boolean oneByte = oneByteForm(id, elementLength);
        int element = (oneByte ? 1 : 2) + elementLength;
        int padded = (element + 3) / 4 * 4;
        boolean numbered = transportCcId != 0;
        int block = 4 + padded + (numbered ? 4 : 0);
        int payloadLength = src.payloadLength();
        int total = RtpPacket.FIXED_HEADER_LENGTH + block + payloadLength;
        if (elementLength < 1 || elementLength > 255 || id < 1 || id > 255 || off < 0 || off + total > dst.length
                || numbered && (transportCcId < 1 || transportCcId > (oneByte ? 14 : 255) || transportCcId == id)) {
            return -1;
        }
        writeHeader(dst, off, forceMarker || src.marker(), payloadType, seq, src.timestamp(), ssrc);
        dst[off] |= 0x10;
        int p = off + RtpPacket.FIXED_HEADER_LENGTH;
        dst[p] = (byte) (oneByte ? 0xBE : 0x10);
        dst[p + 1] = (byte) (oneByte ? 0xDE : 0x00);
        dst[p + 2] = 0;
        dst[p + 3] = (byte) ((block - 4) / 4);
        int q = p + 4;
        if (oneByte) {
            dst[q++] = (byte) ((id << 4) | (elementLength - 1));
        } else {
            dst[q++] = (byte) id;
            dst[q++] = (byte) elementLength;
        }
        System.arraycopy(src.buffer(), elementOffset, dst, q, elementLength);
        java.util.Arrays.fill(dst, q + elementLength, p + 4 + padded, (byte) 0);
        if (numbered) {
            int w = p + 4 + padded;                      // as TransportSequence.stamp appends it
            dst[w] = (byte) (oneByte ? (transportCcId << 4) | 1 : transportCcId);
            dst[w + 1] = (byte) (oneByte ? 0 : 2);
            dst[w + 2] = 0;
            dst[w + 3] = 0;
        }
        System.arraycopy(src.buffer(), src.payloadOffset(), dst, p + block, payloadLength);
        return total;
    }
}
