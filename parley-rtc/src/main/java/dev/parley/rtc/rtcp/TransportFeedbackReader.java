package dev.parley.rtc.rtcp;

/**
 * Reads RTCP transport feedback (RTPFB FMT=15, draft-holmer-rmcat-transport-wide-cc-extensions-01
 * §3.1): which transport-wide sequence numbers a receiver got and when. The sender's delay-based
 * estimator needs those arrival times on one continuous clock, so the 24-bit reference time
 * (64 ms units: it wraps after 2^24 × 64 ms, about 12.4 days) is unwrapped against the previous
 * feedback's, which also places feedback reordered on the way correctly: one reader per
 * receiver transport.
 *
 * <p>Packet status chunks are run-length (a symbol repeated up to 8191 times) or status vectors
 * (14 one-bit or 7 two-bit symbols). Symbol 0 is "not received", 1 "received, small delta"
 * (one unsigned byte of 250 µs), 2 "received, large or negative delta" (two signed bytes);
 * 3 is reserved and makes the packet malformed. Nothing is allocated: packets are delivered
 * one by one to a {@link Listener}. The whole packet is checked before anything is delivered.
 * Not thread-safe.
 */
public final class TransportFeedbackReader {
    /** The arrival time given for a sequence number that did not arrive. */
    public static final long NOT_RECEIVED = Long.MIN_VALUE;
    public static final int DELTA_UNIT_US = 250;
    public static final long REFERENCE_UNIT_US = 64_000;
    /** Returned by {@link #read} for a packet that is not valid transport feedback. */
    public static final int MALFORMED = -1;
    private static final int FIXED_LENGTH = 20;
    private static final int REFERENCE_WRAP = 1 << 24;

    /** Receives the statuses of one feedback packet in sequence-number order. */
    public interface Listener {
        /**
         * @param sequence       transport-wide sequence number, 0..65535
         * @param arrivalMicros  arrival on the receiver's clock (µs, unwrapped across packets), or
         *                       {@link #NOT_RECEIVED}
         */
        void onStatus(int sequence, long arrivalMicros);
    }

    private long lastReference = Long.MIN_VALUE;

    /**
     * Checks and delivers one transport feedback packet {@code buf[off, off+len)} (the RTCP
     * header included, padding excluded, as {@link RtcpHandler#onTransportFeedback} gives it).
     *
     * @return the feedback packet count (0..255), or {@link #MALFORMED} (then nothing was delivered)
     */
    public int read(byte[] buf, int off, int len, Listener listener) {
        if (!isValid(buf, off, len)) {
            return MALFORMED;
        }
        int base = RtcpReader.u16(buf, off + 12);
        int count = RtcpReader.u16(buf, off + 14);
        int reference = (int) (RtcpReader.u32(buf, off + 16) >>> 8);
        long arrival = unwrap(reference) * REFERENCE_UNIT_US;
        int chunk = off + FIXED_LENGTH;
        int delta = off + FIXED_LENGTH + 2 * chunkCount(buf, off, count);
        int done = 0;
        while (done < count) {
            int c = RtcpReader.u16(buf, chunk);
            chunk += 2;
            int n = Math.min(symbolsIn(c), count - done);
            for (int k = 0; k < n; k++, done++) {
                int symbol = symbolAt(c, k);
                int seq = (base + done) & 0xFFFF;
                if (symbol == 0) {
                    listener.onStatus(seq, NOT_RECEIVED);
                    continue;
                }
                if (symbol == 1) {
                    arrival += (buf[delta] & 0xFF) * (long) DELTA_UNIT_US;
                    delta += 1;
                } else {
                    arrival += (short) RtcpReader.u16(buf, delta) * (long) DELTA_UNIT_US;
                    delta += 2;
                }
                listener.onStatus(seq, arrival);
            }
        }
        return buf[off + 19] & 0xFF;
    }

    /** The reference time (64 ms units) made continuous with the previous packet's. */
    private long unwrap(int reference) {
        if (lastReference == Long.MIN_VALUE) {
            lastReference = reference;
            return reference;
        }
        long diff = Math.floorMod(reference - lastReference, REFERENCE_WRAP);
        if (diff >= REFERENCE_WRAP / 2) {
            diff -= REFERENCE_WRAP;                       // feedback reordered on the way: older
        }
        lastReference += diff;
        return lastReference;
    }

    /** True when {@code buf[off, off+len)} is transport feedback whose chunks and deltas fit. */
    public static boolean isValid(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < FIXED_LENGTH || len > buf.length - off
                || (buf[off] & 0x1F) != RtcpReader.FMT_TRANSPORT_FEEDBACK || (buf[off + 1] & 0xFF) != RtcpReader.PT_RTPFB) {
            return false;
        }
        int count = RtcpReader.u16(buf, off + 14);
        int end = off + len;
        int chunk = off + FIXED_LENGTH;
        int deltaBytes = 0;
        int done = 0;
        while (done < count) {
            if (chunk + 2 > end) {
                return false;
            }
            int c = RtcpReader.u16(buf, chunk);
            chunk += 2;
            int n = Math.min(symbolsIn(c), count - done);
            if (n == 0) {
                return false;                             // a run of length 0 describes nothing
            }
            if ((c & 0x8000) == 0) {
                int symbol = symbolAt(c, 0);
                if (symbol == 3) {
                    return false;
                }
                deltaBytes += symbol * n;
            } else {
                for (int k = 0; k < n; k++) {
                    int symbol = symbolAt(c, k);
                    if (symbol == 3) {
                        return false;
                    }
                    deltaBytes += symbol;
                }
            }
            done += n;
        }
        return chunk + deltaBytes <= end;
    }

    private static int chunkCount(byte[] buf, int off, int count) {
        int chunk = off + FIXED_LENGTH;
        int done = 0;
        int chunks = 0;
        while (done < count) {
            done += symbolsIn(RtcpReader.u16(buf, chunk));
            chunk += 2;
            chunks++;
        }
        return chunks;
    }

    /** How many statuses a chunk holds. */
    private static int symbolsIn(int chunk) {
        if ((chunk & 0x8000) == 0) {
            return chunk & 0x1FFF;                        // run length
        }
        return (chunk & 0x4000) == 0 ? 14 : 7;           // one-bit or two-bit status vector
    }

    /** The k-th status symbol of a chunk. */
    private static int symbolAt(int chunk, int k) {
        if ((chunk & 0x8000) == 0) {
            return (chunk >> 13) & 0x3;
        }
        if ((chunk & 0x4000) == 0) {
            return (chunk >> (13 - k)) & 0x1;
        }
        return (chunk >> (12 - 2 * k)) & 0x3;
    }
}
