package dev.parley.rtc.turn;

/** A byte-rate limiter with a one-second burst. Loop-confined, allocation-free. */
final class TokenBucket {
    private final long bytesPerSecond;
    private long tokens;
    private long lastNanos;

    TokenBucket(long bytesPerSecond, long nowNanos) {
        this.bytesPerSecond = bytesPerSecond;
        this.tokens = bytesPerSecond;
        this.lastNanos = nowNanos;
    }

    /** Takes {@code bytes} if available; false means the datagram is over the cap and is dropped. */
    boolean take(int bytes, long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            long refill = elapsed >= 1_000_000_000L ? bytesPerSecond : elapsed * bytesPerSecond / 1_000_000_000L;
            if (refill > 0) {
                tokens = Math.min(bytesPerSecond, tokens + refill);
                lastNanos = nowNanos;
            }
        }
        if (tokens < bytes) return false;
        tokens -= bytes;
        return true;
    }
}
