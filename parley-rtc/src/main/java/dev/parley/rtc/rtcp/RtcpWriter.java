package dev.parley.rtc.rtcp;

/**
 * Writes RTCP packets into a caller-supplied buffer. Every method returns the number of bytes
 * written at {@code off}, or -1 if the buffer is too small (then the buffer content is undefined).
 * Concatenate the results to build a compound packet. Static and allocation-free.
 */
public final class RtcpWriter {
    private static final int REPORT_BLOCK_LENGTH = 24;

    private RtcpWriter() {
    }

    /** SR with no report blocks yet; add them with {@link #addReportBlock}. */
    public static int senderReport(byte[] buf, int off, long ssrc, long ntpTimestamp, long rtpTimestamp,
            long packetCount, long octetCount) {
        if (!fits(buf, off, 28)) {
            return -1;
        }
        header(buf, off, 0, RtcpReader.PT_SR, 28);
        put32(buf, off + 4, ssrc);
        put32(buf, off + 8, ntpTimestamp >>> 32);
        put32(buf, off + 12, ntpTimestamp);
        put32(buf, off + 16, rtpTimestamp);
        put32(buf, off + 20, packetCount);
        put32(buf, off + 24, octetCount);
        return 28;
    }

    /** RR with no report blocks yet; add them with {@link #addReportBlock}. */
    public static int receiverReport(byte[] buf, int off, long ssrc) {
        if (!fits(buf, off, 8)) {
            return -1;
        }
        header(buf, off, 0, RtcpReader.PT_RR, 8);
        put32(buf, off + 4, ssrc);
        return 8;
    }

    /**
     * Appends a report block to the SR or RR that starts at {@code packetOff}, updating its count
     * and length.
     *
     * @return the new length of that SR/RR, or -1 if it has 31 blocks already or there is no room
     */
    public static int addReportBlock(byte[] buf, int packetOff, long sourceSsrc, int fractionLost,
            int cumulativeLost, long extendedHighestSeq, long jitter, long lastSr, long delaySinceLastSr) {
        int count = buf[packetOff] & 0x1F;
        int length = (RtcpReader.u16(buf, packetOff + 2) + 1) * 4;
        if (count == 31 || !fits(buf, packetOff, length + REPORT_BLOCK_LENGTH)) {
            return -1;
        }
        int q = packetOff + length;
        put32(buf, q, sourceSsrc);
        int lost = Math.max(-0x800000, Math.min(0x7FFFFF, cumulativeLost));
        buf[q + 4] = (byte) fractionLost;
        buf[q + 5] = (byte) (lost >> 16);
        buf[q + 6] = (byte) (lost >> 8);
        buf[q + 7] = (byte) lost;
        put32(buf, q + 8, extendedHighestSeq);
        put32(buf, q + 12, jitter);
        put32(buf, q + 16, lastSr);
        put32(buf, q + 20, delaySinceLastSr);
        int newLength = length + REPORT_BLOCK_LENGTH;
        header(buf, packetOff, count + 1, buf[packetOff + 1] & 0xFF, newLength);
        return newLength;
    }

    /** SDES with one chunk holding one CNAME item ({@code cname} pre-encoded, at most 255 bytes). */
    public static int sdesCname(byte[] buf, int off, long ssrc, byte[] cname) {
        if (cname.length > 255) {
            return -1;
        }
        // header + ssrc + type + len + name + at least one null, padded to 32 bits
        int length = (4 + 4 + 2 + cname.length + 1 + 3) & ~3;
        if (!fits(buf, off, length)) {
            return -1;
        }
        header(buf, off, 1, RtcpReader.PT_SDES, length);
        put32(buf, off + 4, ssrc);
        buf[off + 8] = 1;
        buf[off + 9] = (byte) cname.length;
        System.arraycopy(cname, 0, buf, off + 10, cname.length);
        for (int i = off + 10 + cname.length; i < off + length; i++) {
            buf[i] = 0;
        }
        return length;
    }

    public static int bye(byte[] buf, int off, long ssrc) {
        if (!fits(buf, off, 8)) {
            return -1;
        }
        header(buf, off, 1, RtcpReader.PT_BYE, 8);
        put32(buf, off + 4, ssrc);
        return 8;
    }

    /** Generic NACK with a single FCI entry. */
    public static int nack(byte[] buf, int off, long senderSsrc, long mediaSsrc, int pid, int blp) {
        if (!fits(buf, off, 16)) {
            return -1;
        }
        header(buf, off, RtcpReader.FMT_NACK, RtcpReader.PT_RTPFB, 16);
        put32(buf, off + 4, senderSsrc);
        put32(buf, off + 8, mediaSsrc);
        put16(buf, off + 12, pid);
        put16(buf, off + 14, blp);
        return 16;
    }

    /**
     * Generic NACK for {@code seqs[0, count)}, which must be in increasing (modulo 2^16) order:
     * packed into as few PID+BLP entries as possible.
     */
    public static int nack(byte[] buf, int off, long senderSsrc, long mediaSsrc, int[] seqs, int count) {
        if (count <= 0 || !fits(buf, off, 16)) {
            return -1;
        }
        put32(buf, off + 4, senderSsrc);
        put32(buf, off + 8, mediaSsrc);
        int q = off + 12;
        int i = 0;
        while (i < count) {
            if (!fits(buf, q, 4)) {
                return -1;
            }
            int pid = seqs[i] & 0xFFFF;
            int blp = 0;
            i++;
            while (i < count) {
                int d = ((seqs[i] - pid) & 0xFFFF) - 1;
                if (d < 0 || d >= 16) {
                    break;
                }
                blp |= 1 << d;
                i++;
            }
            put16(buf, q, pid);
            put16(buf, q + 2, blp);
            q += 4;
        }
        header(buf, off, RtcpReader.FMT_NACK, RtcpReader.PT_RTPFB, q - off);
        return q - off;
    }

    public static int pli(byte[] buf, int off, long senderSsrc, long mediaSsrc) {
        if (!fits(buf, off, 12)) {
            return -1;
        }
        header(buf, off, RtcpReader.FMT_PLI, RtcpReader.PT_PSFB, 12);
        put32(buf, off + 4, senderSsrc);
        put32(buf, off + 8, mediaSsrc);
        return 12;
    }

    /** FIR (RFC 5104) with one entry; the media SSRC field of the common header is 0 as required. */
    public static int fir(byte[] buf, int off, long senderSsrc, long targetSsrc, int sequenceNumber) {
        if (!fits(buf, off, 20)) {
            return -1;
        }
        header(buf, off, RtcpReader.FMT_FIR, RtcpReader.PT_PSFB, 20);
        put32(buf, off + 4, senderSsrc);
        put32(buf, off + 8, 0);
        put32(buf, off + 12, targetSsrc);
        buf[off + 16] = (byte) sequenceNumber;
        buf[off + 17] = 0;
        buf[off + 18] = 0;
        buf[off + 19] = 0;
        return 20;
    }

    /** REMB for a single SSRC. */
    public static int remb(byte[] buf, int off, long senderSsrc, long bitrateBps, long ssrc) {
        if (!fits(buf, off, 24)) {
            return -1;
        }
        rembHeader(buf, off, senderSsrc, bitrateBps, 1);
        put32(buf, off + 20, ssrc);
        return 24;
    }

    /** REMB covering {@code ssrcs[0, count)} (at most 255). */
    public static int remb(byte[] buf, int off, long senderSsrc, long bitrateBps, long[] ssrcs, int count) {
        int length = 20 + 4 * count;
        if (count < 0 || count > 255 || !fits(buf, off, length)) {
            return -1;
        }
        rembHeader(buf, off, senderSsrc, bitrateBps, count);
        for (int i = 0; i < count; i++) {
            put32(buf, off + 20 + 4 * i, ssrcs[i]);
        }
        return length;
    }

    private static void rembHeader(byte[] buf, int off, long senderSsrc, long bitrateBps, int count) {
        header(buf, off, RtcpReader.FMT_AFB, RtcpReader.PT_PSFB, 20 + 4 * count);
        put32(buf, off + 4, senderSsrc);
        put32(buf, off + 8, 0);
        buf[off + 12] = 'R';
        buf[off + 13] = 'E';
        buf[off + 14] = 'M';
        buf[off + 15] = 'B';
        buf[off + 16] = (byte) count;
        long mantissa = Math.max(0, bitrateBps);
        int exp = 0;
        // 18-bit mantissa, 6-bit exponent; round down so we never announce more than asked
        while (mantissa > 0x3FFFF) {
            mantissa >>>= 1;
            exp++;
        }
        buf[off + 17] = (byte) ((exp << 2) | (int) (mantissa >>> 16));
        buf[off + 18] = (byte) (mantissa >>> 8);
        buf[off + 19] = (byte) mantissa;
    }

    private static void header(byte[] buf, int off, int count, int pt, int length) {
        buf[off] = (byte) (0x80 | count);
        buf[off + 1] = (byte) pt;
        put16(buf, off + 2, length / 4 - 1);
    }

    private static boolean fits(byte[] buf, int off, int n) {
        return off >= 0 && off + n <= buf.length;
    }

    static void put16(byte[] b, int p, int v) {
        b[p] = (byte) (v >> 8);
        b[p + 1] = (byte) v;
    }

    static void put32(byte[] b, int p, long v) {
        b[p] = (byte) (v >> 24);
        b[p + 1] = (byte) (v >> 16);
        b[p + 2] = (byte) (v >> 8);
        b[p + 3] = (byte) v;
    }
}
