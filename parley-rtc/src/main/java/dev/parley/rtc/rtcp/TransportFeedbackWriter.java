package dev.parley.rtc.rtcp;

/**
 * Writes RTCP transport feedback (RTPFB FMT=15) of draft-holmer-rmcat-transport-wide-cc-extensions-01
 * §3.1: for a run of transport-wide sequence numbers, which arrived and when, so that the
 * sender's own congestion controller (libwebrtc's delay-based estimator) can see queues build.
 *
 * <p>Arrival deltas are in 250 µs units: one unsigned byte when 0–63.75 ms after the previous
 * arrival (status "small delta"), two signed bytes otherwise ("large or negative delta"). A
 * delta that fits in neither ends the packet early; {@link #covered()} tells the caller where
 * the next packet must start. Reuses its arrays: no allocation per packet. Not thread-safe.
 */
public final class TransportFeedbackWriter {
    /** Marks a sequence number that did not arrive in the {@code arrivalMicros} array. */
    public static final long NOT_RECEIVED = Long.MIN_VALUE;
    /** Header (12), base seq/count (4), reference time/fb count (4). */
    private static final int FIXED_LENGTH = 20;
    private static final int DELTA_UNIT_US = 250;
    private static final int REFERENCE_UNIT_US = 64_000;
    private static final int NOT_RECEIVED_SYMBOL = 0;
    private static final int SMALL_DELTA = 1;
    private static final int LARGE_DELTA = 2;
    private static final int MAX_RUN = 0x1FFF;

    private final int[] symbols;
    private final int[] deltas;
    private int covered;

    /** @param maxStatuses the most sequence numbers one packet may describe */
    public TransportFeedbackWriter(int maxStatuses) {
        symbols = new int[maxStatuses];
        deltas = new int[maxStatuses];
    }

    /** How many sequence numbers, from the base, the last {@link #write} described. */
    public int covered() {
        return covered;
    }

    /**
     * Writes one feedback packet about {@code count} sequence numbers starting at {@code baseSeq};
     * {@code arrivalMicros[from + i]} is the arrival time of {@code baseSeq + i} in microseconds
     * on any monotonic clock, or {@link #NOT_RECEIVED}. The first arrival sets the reference
     * time; fewer than {@code count} may be described when deltas overflow or room runs out.
     *
     * @return bytes written, or 0 when nothing was received in the range, or -1 when there is no room
     */
    public int write(byte[] buf, int off, int maxLen, long senderSsrc, long mediaSsrc, int baseSeq,
                     long[] arrivalMicros, int from, int count, int feedbackCount) {
        covered = 0;
        // worst case per status: 2 delta bytes plus a 2-bit symbol (a chunk of 7 per 2 bytes)
        int limit = Math.min(Math.min(count, symbols.length), Math.max(0, (maxLen - FIXED_LENGTH - 5) * 7 / 16));
        int firstReceived = -1;
        for (int i = 0; i < limit; i++) {
            if (arrivalMicros[from + i] != NOT_RECEIVED) {
                firstReceived = i;
                break;
            }
        }
        if (firstReceived < 0) {
            return limit == 0 && count > 0 ? -1 : 0;
        }
        long reference = Math.floorDiv(arrivalMicros[from + firstReceived], REFERENCE_UNIT_US);
        long last = reference * REFERENCE_UNIT_US;
        int n = 0;
        for (; n < limit; n++) {
            long arrival = arrivalMicros[from + n];
            if (arrival == NOT_RECEIVED) {
                symbols[n] = NOT_RECEIVED_SYMBOL;
                continue;
            }
            long delta = Math.floorDiv(arrival - last + DELTA_UNIT_US / 2, DELTA_UNIT_US);
            if (delta >= 0 && delta <= 0xFF) {
                symbols[n] = SMALL_DELTA;
            } else if (delta >= Short.MIN_VALUE && delta <= Short.MAX_VALUE) {
                symbols[n] = LARGE_DELTA;
            } else {
                break;                                          // the next packet starts here
            }
            deltas[n] = (int) delta;
            last += delta * DELTA_UNIT_US;                       // quantised: no drift over many deltas
        }
        // trailing losses say nothing the next packet will not say better
        while (n > 0 && symbols[n - 1] == NOT_RECEIVED_SYMBOL) {
            n--;
        }
        int q = off + FIXED_LENGTH;
        for (int i = 0; i < n; ) {
            int chunk;
            int run = runLength(i, n);
            if (run >= 14) {
                chunk = Math.min(run, MAX_RUN);
                RtcpWriter.put16(buf, q, (symbols[i] << 13) | chunk);
            } else if (allOneBit(i, Math.min(n, i + 14))) {
                chunk = Math.min(14, n - i);
                int v = 0x8000;
                for (int k = 0; k < chunk; k++) {
                    v |= symbols[i + k] << (13 - k);
                }
                RtcpWriter.put16(buf, q, v);
            } else if (run >= 7) {
                chunk = run;
                RtcpWriter.put16(buf, q, (symbols[i] << 13) | chunk);
            } else {
                chunk = Math.min(7, n - i);
                int v = 0xC000;
                for (int k = 0; k < chunk; k++) {
                    v |= symbols[i + k] << (12 - 2 * k);
                }
                RtcpWriter.put16(buf, q, v);
            }
            q += 2;
            i += chunk;
        }
        for (int i = 0; i < n; i++) {
            if (symbols[i] == SMALL_DELTA) {
                buf[q++] = (byte) deltas[i];
            } else if (symbols[i] == LARGE_DELTA) {
                RtcpWriter.put16(buf, q, deltas[i]);
                q += 2;
            }
        }
        int padding = (4 - (q - off) % 4) % 4;
        for (int i = 0; i < padding; i++) {
            buf[q++] = 0;
        }
        if (padding > 0) {
            buf[q - 1] = (byte) padding;
        }
        int length = q - off;
        buf[off] = (byte) (0x80 | (padding > 0 ? 0x20 : 0) | 15);
        buf[off + 1] = (byte) RtcpReader.PT_RTPFB;
        RtcpWriter.put16(buf, off + 2, length / 4 - 1);
        RtcpWriter.put32(buf, off + 4, senderSsrc);
        RtcpWriter.put32(buf, off + 8, mediaSsrc);
        RtcpWriter.put16(buf, off + 12, baseSeq & 0xFFFF);
        RtcpWriter.put16(buf, off + 14, n);
        RtcpWriter.put32(buf, off + 16, ((reference & 0xFFFFFF) << 8) | (feedbackCount & 0xFF));
        covered = n;
        return length;
    }

    private int runLength(int i, int n) {
        int j = i + 1;
        while (j < n && symbols[j] == symbols[i]) {
            j++;
        }
        return j - i;
    }

    private boolean allOneBit(int from, int to) {
        for (int i = from; i < to; i++) {
            if (symbols[i] > SMALL_DELTA) {
                return false;
            }
        }
        return true;
    }
}
