package dev.parley.rtc.rtp;

/**
 * Puts a transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2,
 * a two-byte RFC 8285 header extension) into an outgoing packet just before it is sent, so that
 * the receiver's transport feedback can name every packet of the transport. The packet is
 * changed in place: the value is overwritten where the packet already carries the extension,
 * appended to its extension block otherwise (one-byte or two-byte form, RFC 8285 §4.2, §4.3),
 * or a block is inserted in front of the payload (moving it 8 bytes on). Also writes padding-only packets, the bandwidth probes.
 * Static and allocation-free.
 */
public final class TransportSequence {
    /** What stamping may add to a packet: the room its buffer needs beyond the packet. */
    public static final int MAX_GROWTH = 8;
    private static final int ONE_BYTE_PROFILE = 0xBEDE;
    private static final int TWO_BYTE_PROFILE = 0x1000;
    private static final int VALUE_LENGTH = 2;

    private TransportSequence() {
    }

    /**
     * Stamps {@code seq} with extension id {@code id} (1..14) into the packet at
     * {@code buf[off, off+len)}, whose buffer may be used up to {@code buf.length}.
     *
     * @return the packet's new length, or -1 when it cannot be stamped (not RTP, an extension
     *         block of another profile, or no room): it is then unchanged
     */
    public static int stamp(byte[] buf, int off, int len, int id, int seq) {
        if (len < RtpPacket.FIXED_HEADER_LENGTH || off < 0 || len > buf.length - off || (buf[off] & 0xC0) != 0x80) {
            return -1;
        }
        int header = RtpPacket.FIXED_HEADER_LENGTH + (buf[off] & 0x0F) * 4;
        if (header > len) {
            return -1;
        }
        if ((buf[off] & 0x10) == 0) {
            if (len + 8 > buf.length - off) {
                return -1;
            }
            int p = off + header;
            System.arraycopy(buf, p, buf, p + 8, len - header);
            writeBlock(buf, off, p, id, seq);
            return len + 8;
        }
        if (header + 4 > len) {
            return -1;
        }
        int profile = u16(buf, off + header);
        boolean twoByte = (profile & 0xFFF0) == TWO_BYTE_PROFILE;
        if (profile != ONE_BYTE_PROFILE && !twoByte) {
            return -1;
        }
        int words = u16(buf, off + header + 2);
        int data = off + header + 4;
        int end = data + words * 4;
        if (end > off + len) {
            return -1;
        }
        for (int q = data; q < end; ) {
            int b = buf[q] & 0xFF;
            if (b == 0) {
                q++;                                              // padding between elements
                continue;
            }
            int elementId = twoByte ? b : b >> 4;
            if (!twoByte && elementId == 15) {
                return -1;                                        // RFC 8285: readers stop here
            }
            if (twoByte && q + 1 >= end) {
                return -1;
            }
            int length = twoByte ? buf[q + 1] & 0xFF : (b & 0x0F) + 1;
            int value = q + (twoByte ? 2 : 1);
            if (elementId == id && length == VALUE_LENGTH && value + length <= end) {
                buf[value] = (byte) (seq >> 8);
                buf[value + 1] = (byte) seq;
                return len;
            }
            q = value + length;
        }
        // not there: one more word at the end of the block (a trailing zero is padding)
        if (len + 4 > buf.length - off) {
            return -1;
        }
        System.arraycopy(buf, end, buf, end + 4, off + len - end);
        if (twoByte) {
            buf[end] = (byte) id;
            buf[end + 1] = VALUE_LENGTH;
            buf[end + 2] = (byte) (seq >> 8);
            buf[end + 3] = (byte) seq;
        } else {
            writeElement(buf, end, id, seq);
            buf[end + 3] = 0;
        }
        words++;
        buf[off + header + 2] = (byte) (words >> 8);
        buf[off + header + 3] = (byte) words;
        return len + 4;
    }

    /**
     * Writes a padding-only packet (RFC 3550 §5.1: no payload, the P bit, the last byte counting
     * the padding) carrying transport-wide sequence number {@code seq}: a probe that the receiver
     * acknowledges in its transport feedback and otherwise drops.
     *
     * @param padding padding bytes, 1..255
     * @return bytes written, or -1 when {@code dst} has no room
     */
    public static int writePadding(byte[] dst, int off, int payloadType, int rtpSeq, long timestamp, long ssrc,
                                   int id, int seq, int padding) {
        int total = RtpPacket.FIXED_HEADER_LENGTH + 8 + padding;
        if (padding < 1 || padding > 255 || off < 0 || off + total > dst.length) {
            return -1;
        }
        RtpWriter.writeHeader(dst, off, false, payloadType, rtpSeq & 0xFFFF, timestamp, ssrc);
        dst[off] = (byte) 0xA0;                                   // version 2, padding
        int p = off + RtpPacket.FIXED_HEADER_LENGTH;
        writeBlock(dst, off, p, id, seq);
        java.util.Arrays.fill(dst, p + 8, off + total - 1, (byte) 0);
        dst[off + total - 1] = (byte) padding;
        return total;
    }

    /**
     * Writes at {@code p} a one-word one-byte-form extension block holding only the number
     * ({@link #MAX_GROWTH} bytes) and sets the X bit of the packet at {@code off}, whose header
     * (without extension) ends at {@code p}.
     */
    static void writeBlock(byte[] buf, int off, int p, int id, int seq) {
        buf[off] |= 0x10;
        buf[p] = (byte) (ONE_BYTE_PROFILE >> 8);
        buf[p + 1] = (byte) ONE_BYTE_PROFILE;
        buf[p + 2] = 0;
        buf[p + 3] = 1;
        writeElement(buf, p + 4, id, seq);
        buf[p + 7] = 0;
    }

    private static void writeElement(byte[] buf, int p, int id, int seq) {
        buf[p] = (byte) ((id << 4) | (VALUE_LENGTH - 1));
        buf[p + 1] = (byte) (seq >> 8);
        buf[p + 2] = (byte) seq;
    }

    private static int u16(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }
}
