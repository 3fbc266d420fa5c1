package dev.parley.server.rtptime;

/**
 * The presenter's NTP ↔ RTP timestamp relation, learnt from its sender reports, extrapolated to
 * produce sender reports for subscribers (pitfall 6): no SR may be sent before
 * {@link #isKnown()}, and since timestamps are forwarded unchanged, the mapping is valid for every
 * down track of the same up track. Time is passed in (nanoseconds, monotonic).
 *
 * <p>Written by the presenter's media loop, read by the loops of receivers (their sender
 * reports): each SR's values are published together as one immutable sample, so a reader never
 * mixes the NTP time of one report with the RTP timestamp of another.
 */
public final class RtpClockMapping {
    private final int clockRate;
    private volatile Sample last;

    private record Sample(long ntp, long rtpTimestamp, long receivedAtNanos) {
    }

    public RtpClockMapping(int clockRate) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate must be positive");
        }
        this.clockRate = clockRate;
    }

    /** Records the presenter's SR (NTP time, RTP timestamp) that arrived at {@code nowNanos}. */
    public void onSenderReport(long ntpTimestamp, long rtpTimestamp, long nowNanos) {
        last = new Sample(ntpTimestamp, rtpTimestamp & 0xFFFF_FFFFL, nowNanos);
    }

    public boolean isKnown() {
        return last != null;
    }

    private Sample sample() {
        Sample s = last;
        return s != null ? s : new Sample(0, 0, 0);
    }

    /** The presenter's NTP time corresponding to {@code nowNanos}. */
    public long ntpAt(long nowNanos) {
        Sample s = sample();
        long elapsed = nowNanos - s.receivedAtNanos();
        long seconds = Math.floorDiv(elapsed, 1_000_000_000L);
        long nanos = Math.floorMod(elapsed, 1_000_000_000L);
        return s.ntp() + (seconds << 32) + (nanos << 32) / 1_000_000_000L;
    }

    /** The RTP timestamp corresponding to {@code nowNanos} (32-bit, wrapped). */
    public long rtpTimestampAt(long nowNanos) {
        Sample s = sample();
        long elapsedMicros = (nowNanos - s.receivedAtNanos()) / 1000;
        long ticks = Math.floorDiv(elapsedMicros * clockRate, 1_000_000L);
        return (s.rtpTimestamp() + ticks) & 0xFFFF_FFFFL;
    }

    /** When the last SR arrived, for the LSR/DLSR fields of receiver reports. */
    public long lastReportNanos() {
        return sample().receivedAtNanos();
    }

    /** The NTP time of the last SR itself. */
    public long lastReportNtp() {
        return sample().ntp();
    }

    public int clockRate() {
        return clockRate;
    }
}
