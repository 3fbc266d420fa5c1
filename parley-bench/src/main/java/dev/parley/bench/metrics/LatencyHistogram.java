package dev.parley.bench.metrics;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in microseconds, log-linear buckets with 1/64 relative precision (exact below 128 µs),
 * so p99.9 of a few hundred thousand samples is cheap to keep. Counts are atomic: the generator's
 * reader threads record concurrently, and readers may run at the same time.
 */
public final class LatencyHistogram {
    private static final int SUB = 64;
    private static final int BUCKETS = 2 * SUB + 40 * SUB;
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    static int index(long micros) {
        if (micros < 0) {
            micros = 0;
        }
        if (micros < 2 * SUB) {
            return (int) micros;
        }
        int msb = 63 - Long.numberOfLeadingZeros(micros);
        int shift = msb - 6;
        int top = (int) (micros >>> shift);             // 64..127
        int i = 2 * SUB + (shift - 1) * SUB + (top - SUB);
        return Math.min(i, BUCKETS - 1);
    }

    /** The smallest value that falls into bucket {@code i}. */
    static long lowerBound(int i) {
        if (i < 2 * SUB) {
            return i;
        }
        int shift = (i - 2 * SUB) / SUB + 1;
        int top = (i - 2 * SUB) % SUB + SUB;
        return (long) top << shift;
    }

    public void record(long micros) {
        counts.incrementAndGet(index(micros));
    }

    public long count() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += counts.get(i);
        }
        return n;
    }

    /**
     * The value at quantile {@code q} (0..1), as the midpoint of its bucket; -1 when empty.
     */
    public long percentile(double q) {
        long total = count();
        if (total == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                long lo = lowerBound(i);
                long hi = i + 1 < BUCKETS ? lowerBound(i + 1) : lo;
                return (lo + hi - 1) / 2;
            }
        }
        return lowerBound(BUCKETS - 1);
    }

    public void reset() {
        for (int i = 0; i < BUCKETS; i++) {
            counts.set(i, 0);
        }
    }
}
