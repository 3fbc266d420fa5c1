package dev.parley.server.nack;

/**
 * Whether a packet a receiver NACKed may be resent now (MD13): not when it was resent less than
 * a round trip ago. A receiver asks again for a missing packet every retry interval of its own
 * (libwebrtc: about 100 ms when it knows no round trip, up to 10 times), so behind a congested
 * link, whose queue makes the real round trip a second, it asks many times for a packet whose
 * resend is still queued; each answer queued more of the same bytes, the retransmissions took
 * the whole link and the keyframe of a smaller layer waited behind them (issue #14: 491 RTX
 * packets received in 15 s at 300 kbit/s). libwebrtc's and mediasoup's senders also skip a
 * packet resent within the round trip.
 *
 * <p>A ring of {@link #CAPACITY} entries by sequence number (a newer packet takes an older one's
 * place), fixed arrays: no allocation per packet. Time in ms passed in; single-threaded.
 */
public final class ResendLimiter {
    public static final int CAPACITY = 1024;
    private static final int MASK = CAPACITY - 1;

    private final int[] seqs = new int[CAPACITY];
    private final long[] resentAt = new long[CAPACITY];

    public ResendLimiter() {
        java.util.Arrays.fill(seqs, -1);
    }

    /**
     * Whether sequence number {@code seq} (16 bits) may be resent at {@code nowMs} given the
     * round trip {@code rttMs}; if so, it counts as resent now.
     */
    public boolean tryResend(int seq, long nowMs, long rttMs) {
        int i = seq & MASK;
        if (seqs[i] == seq && nowMs - resentAt[i] < rttMs) {
            return false;
        }
        seqs[i] = seq;
        resentAt[i] = nowMs;
        return true;
    }
}
