package dev.parley.bench.media;

/**
 * The arithmetic of libwebrtc's pacer for one publisher (its {@code PacingController}'s media
 * debt), in the caller's clock: no thread, no allocation, so a test can drive it in synthetic
 * time. Each packet sent adds its size to the debt, capped at 500 ms of the rate as libwebrtc
 * caps it; time drains the debt at the pacing rate, never below zero (idle time earns no credit).
 * A packet may be sent while the debt is zero or would drain in less than the burst interval;
 * when it would not, libwebrtc's next send time is when the debt has drained entirely, so a
 * long queue leaves in bursts of one interval's worth, one interval apart.
 */
public final class PacingBudget {
    private static final double MAX_DEBT_SECONDS = 0.5;
    private final double bytesPerNano;
    private final double burstBytes;
    private final double maxDebt;
    private double debt;
    private long last;

    /**
     * @param bitsPerSecond the pacing rate (factor × target bitrate)
     * @param burstMillis   the send burst interval; 0 paces every packet
     */
    public PacingBudget(double bitsPerSecond, double burstMillis, long nowNanos) {
        if (!(bitsPerSecond > 0)) {
            throw new IllegalArgumentException("pacing rate must be positive: " + bitsPerSecond);
        }
        this.bytesPerNano = bitsPerSecond / 8 / 1e9;
        this.burstBytes = Math.min(Pacing.MAX_BURST_BYTES, bitsPerSecond / 8 * burstMillis / 1000);
        this.maxDebt = bitsPerSecond / 8 * MAX_DEBT_SECONDS;
        this.last = nowNanos;
    }

    /** True if a packet may leave at {@code nowNanos}. */
    public boolean maySend(long nowNanos) {
        if (nowNanos - last > 0) {
            debt = Math.max(0, debt - (nowNanos - last) * bytesPerNano);
            last = nowNanos;
        }
        return debt <= 0 || debt < burstBytes;
    }

    /** A packet of {@code bytes} left. */
    public void sent(int bytes) {
        debt = Math.min(maxDebt, debt + bytes);
    }

    /** After {@link #maySend} said no: when the debt will have drained to zero. */
    public long nextSendNanos() {
        return last + (long) Math.ceil(debt / bytesPerNano);
    }

    /** Bytes of debt now (for tests). */
    double debt() {
        return debt;
    }
}
