package dev.parley.server.sfu;

/**
 * The presenter's NTP ↔ RTP timestamp relation, learnt from its sender reports, extrapolated to
 * produce sender reports for subscribers (pitfall 6): no SR may be sent before
 * {@link #isKnown()}, and since timestamps are forwarded unchanged, the mapping is valid for every
 * down track of the same up track. Time is passed in (nanoseconds, monotonic). Single-threaded.
 */
public final class RtpClockMapping {
    private final int clockRate;
    private boolean known;
    private long ntp;
    private long rtpTimestamp;
    private long receivedAtNanos;

    public RtpClockMapping(int clockRate) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate must be positive");
        }
        this.clockRate = clockRate;
    }

    /** Records the presenter's SR (NTP time, RTP timestamp) that arrived at {@code nowNanos}. */
    public void onSenderReport(long ntpTimestamp, long rtpTimestamp, long nowNanos) {
        this.ntp = ntpTimestamp;
        this.rtpTimestamp = rtpTimestamp & 0xFFFF_FFFFL;
        this.receivedAtNanos = nowNanos;
        this.known = true;
    }

    public boolean isKnown() {
        return known;
    }

    /** The presenter's NTP time corresponding to {@code nowNanos}. */
    public long ntpAt(long nowNanos) {
        long elapsed = nowNanos - receivedAtNanos;
        long seconds = Math.floorDiv(elapsed, 1_000_000_000L);
        long nanos = Math.floorMod(elapsed, 1_000_000_000L);
        return ntp + (seconds << 32) + (nanos << 32) / 1_000_000_000L;
    }

    /** The RTP timestamp corresponding to {@code nowNanos} (32-bit, wrapped). */
    public long rtpTimestampAt(long nowNanos) {
        long elapsedMicros = (nowNanos - receivedAtNanos) / 1000;
        long ticks = Math.floorDiv(elapsedMicros * clockRate, 1_000_000L);
        return (rtpTimestamp + ticks) & 0xFFFF_FFFFL;
    }

    /** When the last SR arrived, for the LSR/DLSR fields of receiver reports. */
    public long lastReportNanos() {
        return receivedAtNanos;
    }

    /** The NTP time of the last SR itself. */
    public long lastReportNtp() {
        return ntp;
    }

    public int clockRate() {
        return clockRate;
    }
}
