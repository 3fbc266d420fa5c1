package dev.parley.rtc.rtcp;

/**
 * Zero-allocation reader for (compound) RTCP packets. The whole datagram is validated first:
 * if any packet in it is malformed, nothing is delivered and an error code is returned, so bad
 * input costs one pass and no exception. Valid packets are then delivered to an
 * {@link RtcpHandler} in order. Stateless; safe to call from any thread.
 */
public final class RtcpReader {
    public static final int PT_SR = 200;
    public static final int PT_RR = 201;
    public static final int PT_SDES = 202;
    public static final int PT_BYE = 203;
    public static final int PT_APP = 204;
    public static final int PT_RTPFB = 205;
    public static final int PT_PSFB = 206;
    public static final int PT_XR = 207;

    public static final int FMT_NACK = 1;
    public static final int FMT_PLI = 1;
    public static final int FMT_FIR = 4;
    public static final int FMT_AFB = 15;
    /** RTPFB transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01). */
    public static final int FMT_TRANSPORT_FEEDBACK = 15;

    /** Returned by {@link #read} when the datagram is not valid RTCP. */
    public static final int MALFORMED = -1;

    private RtcpReader() {
    }

    /**
     * Validates and dispatches a compound RTCP packet.
     *
     * @return the number of RTCP packets delivered, or {@link #MALFORMED}
     */
    public static int read(byte[] buf, int off, int len, RtcpHandler handler) {
        if (!isValid(buf, off, len)) {
            return MALFORMED;
        }
        int count = 0;
        int p = off;
        int end = off + len;
        while (p < end) {
            int size = (u16(buf, p + 2) + 1) * 4;
            dispatch(buf, p, contentLength(buf, p, size), handler);
            p += size;
            count++;
        }
        return count;
    }

    /** True if {@code buf[off, off+len)} is a well-formed compound RTCP packet. */
    public static boolean isValid(byte[] buf, int off, int len) {
        // len > buf.length - off rather than off + len > buf.length: the sum can overflow
        if (buf == null || off < 0 || len < 4 || len > buf.length - off) {
            return false;
        }
        int p = off;
        int end = off + len;
        while (p < end) {
            if (end - p < 4 || (buf[p] & 0xC0) != 0x80) {
                return false;
            }
            int size = (u16(buf, p + 2) + 1) * 4;
            if (size > end - p) {
                return false;
            }
            int content = contentLength(buf, p, size);
            if (content < 4 || !isValidPacket(buf, p, content)) {
                return false;
            }
            p += size;
        }
        return true;
    }

    /** Length of a packet without its padding, or -1 if the padding is inconsistent. */
    private static int contentLength(byte[] buf, int p, int size) {
        if ((buf[p] & 0x20) == 0) {
            return size;
        }
        int pad = buf[p + size - 1] & 0xFF;
        if (pad == 0 || pad > size - 4) {
            return -1;
        }
        return size - pad;
    }

    private static boolean isValidPacket(byte[] buf, int p, int len) {
        int count = buf[p] & 0x1F;
        int pt = buf[p + 1] & 0xFF;
        switch (pt) {
            case PT_SR:
                return len >= 28 + 24 * count;
            case PT_RR:
                return len >= 8 + 24 * count;
            case PT_SDES:
                return sdesEnd(buf, p, len, count, null) >= 0;
            case PT_BYE:
                return len >= 4 + 4 * count;
            case PT_RTPFB:
                if (len < 12) {
                    return false;
                }
                return count != FMT_NACK || (len - 12) % 4 == 0;
            case PT_PSFB:
                if (len < 12) {
                    return false;
                }
                if (count == FMT_FIR) {
                    return (len - 12) % 8 == 0;
                }
                if (count == FMT_AFB && isRemb(buf, p, len)) {
                    // the SSRC count and bitrate follow the identifier: 20 bytes before the SSRC list
                    return len >= 20 && len >= 20 + 4 * (buf[p + 16] & 0xFF);
                }
                return true;
            default:
                // RFC 3550 §6.1: types 200-204 defined; reject what cannot be RTCP at all (RFC 5761)
                return pt >= 192 && pt <= 223;
        }
    }

    private static boolean isRemb(byte[] buf, int p, int len) {
        return len >= 16 && buf[p + 12] == 'R' && buf[p + 13] == 'E' && buf[p + 14] == 'M' && buf[p + 15] == 'B';
    }

    private static void dispatch(byte[] buf, int p, int len, RtcpHandler h) {
        int count = buf[p] & 0x1F;
        int pt = buf[p + 1] & 0xFF;
        switch (pt) {
            case PT_SR -> {
                long ssrc = u32(buf, p + 4);
                long ntp = (u32(buf, p + 8) << 32) | u32(buf, p + 12);
                h.onSenderReport(ssrc, ntp, u32(buf, p + 16), u32(buf, p + 20), u32(buf, p + 24));
                reportBlocks(buf, p + 28, count, ssrc, h);
            }
            case PT_RR -> {
                long ssrc = u32(buf, p + 4);
                h.onReceiverReport(ssrc);
                reportBlocks(buf, p + 8, count, ssrc, h);
            }
            case PT_SDES -> sdesEnd(buf, p, len, count, h);
            case PT_BYE -> {
                for (int i = 0; i < count; i++) {
                    h.onBye(u32(buf, p + 4 + 4 * i));
                }
            }
            case PT_RTPFB -> {
                if (count == FMT_NACK) {
                    long sender = u32(buf, p + 4);
                    long media = u32(buf, p + 8);
                    for (int q = p + 12; q < p + len; q += 4) {
                        h.onNack(sender, media, u16(buf, q), u16(buf, q + 2));
                    }
                } else if (count == FMT_TRANSPORT_FEEDBACK && len >= 20) {
                    h.onTransportFeedback(u32(buf, p + 4), u32(buf, p + 8), buf, p, len);
                } else {
                    h.onOther(pt, count, buf, p, len);
                }
            }
            case PT_PSFB -> {
                long sender = u32(buf, p + 4);
                if (count == FMT_PLI) {
                    h.onPli(sender, u32(buf, p + 8));
                } else if (count == FMT_FIR) {
                    for (int q = p + 12; q < p + len; q += 8) {
                        h.onFir(sender, u32(buf, q), buf[q + 4] & 0xFF);
                    }
                } else if (count == FMT_AFB && isRemb(buf, p, len)) {
                    int n = buf[p + 16] & 0xFF;
                    int exp = (buf[p + 17] & 0xFF) >> 2;
                    long mantissa = ((buf[p + 17] & 0x03L) << 16) | u16(buf, p + 18);
                    // exponents above 46 overflow a long; no real link is that fast
                    long bitrate = exp > 45 ? Long.MAX_VALUE : mantissa << exp;
                    h.onRemb(sender, bitrate, buf, p + 20, n);
                } else {
                    h.onOther(pt, count, buf, p, len);
                }
            }
            default -> h.onOther(pt, count, buf, p, len);
        }
    }

    private static void reportBlocks(byte[] buf, int q, int count, long reporter, RtcpHandler h) {
        for (int i = 0; i < count; i++, q += 24) {
            int cumulative = ((buf[q + 5] & 0xFF) << 16) | ((buf[q + 6] & 0xFF) << 8) | (buf[q + 7] & 0xFF);
            cumulative = (cumulative << 8) >> 8; // sign-extend 24 bits
            h.onReceptionReport(reporter, u32(buf, q), buf[q + 4] & 0xFF, cumulative, u32(buf, q + 8),
                    u32(buf, q + 12), u32(buf, q + 16), u32(buf, q + 20));
        }
    }

    /**
     * Walks SDES chunks, reporting CNAMEs if {@code h} is not null.
     *
     * @return offset after the last chunk, or -1 if the chunks overrun the packet
     */
    private static int sdesEnd(byte[] buf, int p, int len, int chunks, RtcpHandler h) {
        int q = p + 4;
        int end = p + len;
        for (int c = 0; c < chunks; c++) {
            if (q + 4 > end) {
                return -1;
            }
            long ssrc = u32(buf, q);
            q += 4;
            while (true) {
                if (q >= end) {
                    return -1;
                }
                int type = buf[q] & 0xFF;
                if (type == 0) {
                    // end of items: skip the null and pad the chunk to a 32-bit boundary
                    q = p + (((q - p) / 4) + 1) * 4;
                    break;
                }
                if (q + 2 > end) {
                    return -1;
                }
                int itemLen = buf[q + 1] & 0xFF;
                if (q + 2 + itemLen > end) {
                    return -1;
                }
                if (type == 1 && h != null) {
                    h.onSdesCname(ssrc, buf, q + 2, itemLen);
                }
                q += 2 + itemLen;
            }
        }
        return q <= end ? q : -1;
    }

    /** The i-th SSRC of a REMB's list (see {@link RtcpHandler#onRemb}). */
    public static long ssrcAt(byte[] buf, int ssrcOff, int i) {
        return u32(buf, ssrcOff + 4 * i);
    }

    static int u16(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    static long u32(byte[] b, int p) {
        return ((long) (b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }
}
