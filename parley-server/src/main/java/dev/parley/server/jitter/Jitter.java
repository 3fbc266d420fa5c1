package dev.parley.server.jitter;

/**
 * RFC 3550 §6.4.1 / A.8 interarrival jitter of an up track, in RTP timestamp units (what a
 * receiver report carries). Arrival times are passed in as nanoseconds from any monotonic origin:
 * when each packet reached the machine (the kernel's receive time, {@code UpStream.receive}), not
 * when the media loop handled it, or a busy loop's bursts would count as network jitter (issue #14).
 * Single-threaded; no allocation.
 */
public final class Jitter {
    private final int clockRate;
    private boolean started;
    private long lastArrivalNanos;
    private long lastTimestamp;
    private long jitterQ4; // jitter scaled by 16, as in RFC 3550 A.8

    public Jitter(int clockRate) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate must be positive");
        }
        this.clockRate = clockRate;
    }

    public void onPacket(long rtpTimestamp, long arrivalNanos) {
        if (!started) {
            started = true;
            lastArrivalNanos = arrivalNanos;
            lastTimestamp = rtpTimestamp;
            return;
        }
        // microsecond precision keeps the product in range for gaps of years
        long arrivalDelta = (arrivalNanos - lastArrivalNanos) / 1000 * clockRate / 1_000_000L;
        long timestampDelta = (int) (rtpTimestamp - lastTimestamp); // 32-bit wrap
        long d = Math.abs(arrivalDelta - timestampDelta);
        jitterQ4 += d - ((jitterQ4 + 8) >> 4);
        lastArrivalNanos = arrivalNanos;
        lastTimestamp = rtpTimestamp;
    }

    /** Current jitter in timestamp units. */
    public long jitter() {
        return jitterQ4 >> 4;
    }

    /** Current jitter in seconds (for sizing the cache). */
    public double jitterSeconds() {
        return (double) jitter() / clockRate;
    }

    public int clockRate() {
        return clockRate;
    }
}
