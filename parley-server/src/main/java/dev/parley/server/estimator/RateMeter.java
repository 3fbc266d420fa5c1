package dev.parley.server.estimator;

/**
 * Byte and packet rate over fixed windows: the rate reported is that of the last completed
 * window, and a window closes on the first call after it has lasted {@code windowMs} (so after
 * an idle spell the first figure is the average over the whole spell). Time is
 * passed in (milliseconds, monotonic). Single-threaded; no allocation.
 */
public final class RateMeter {
    private final long windowMs;
    private long windowStart = Long.MIN_VALUE;
    private long bytes;
    private long packets;
    private long bitsPerSecond;
    private long packetsPerSecond;
    private long totalBytes;
    private long totalPackets;

    public RateMeter(long windowMs) {
        if (windowMs <= 0) {
            throw new IllegalArgumentException("window must be positive");
        }
        this.windowMs = windowMs;
    }

    /** Counts one packet of {@code size} bytes. */
    public void add(int size, long nowMs) {
        roll(nowMs);
        bytes += size;
        packets++;
        totalBytes += size;
        totalPackets++;
    }

    /** Bit rate of the last completed window. */
    public long bitsPerSecond(long nowMs) {
        roll(nowMs);
        return bitsPerSecond;
    }

    public long packetsPerSecond(long nowMs) {
        roll(nowMs);
        return packetsPerSecond;
    }

    public long totalBytes() {
        return totalBytes;
    }

    public long totalPackets() {
        return totalPackets;
    }

    private void roll(long nowMs) {
        if (windowStart == Long.MIN_VALUE) {
            windowStart = nowMs;
            return;
        }
        long elapsed = nowMs - windowStart;
        if (elapsed < 0) {
            // clock went backwards: start afresh rather than report nonsense
            windowStart = nowMs;
            bytes = 0;
            packets = 0;
            return;
        }
        if (elapsed >= windowMs) {
            bitsPerSecond = (bytes * 8 * 1000 + elapsed / 2) / elapsed;
            packetsPerSecond = (packets * 1000 + elapsed / 2) / elapsed;
            bytes = 0;
            packets = 0;
            windowStart = nowMs;
        }
    }
}
