package dev.parley.rtc.transport;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One media loop's histogram of the delay the server adds to forwarded media: from the kernel's
 * receive timestamp of an RTP datagram to the {@code sendmmsg} that hands a copy of it to the
 * kernel, one observation per copy sent ({@link DatagramBatch}). Fixed buckets, 10 per decade from 10 µs to 1 s
 * (the R10 series: 1, 1.25, 1.6, 2, 2.5, 3.15, 4, 5, 6.3, 8), and one above.
 *
 * <p>Written by its loop only, read by any thread ({@link #snapshot}, merged over the loops with
 * {@link Snapshot#plus}): a single writer needs no CAS, only release stores, so that a scrape sees
 * whole counts; recording allocates nothing. A reader may see a count before the matching sum (or
 * the reverse) by one sample: harmless for a histogram scraped every few seconds.
 */
public final class ForwardingDelay {
    private static final long[] BOUNDS_NANOS = bounds();

    private final AtomicLongArray counts = new AtomicLongArray(BOUNDS_NANOS.length + 1);   // last: above 1 s
    private final AtomicLong sumNanos = new AtomicLong();

    private static long[] bounds() {
        long[] r10 = {10_000, 12_500, 16_000, 20_000, 25_000, 31_500, 40_000, 50_000, 63_000, 80_000};
        long[] b = new long[51];
        long scale = 1;
        for (int decade = 0; decade < 5; decade++, scale *= 10) {
            for (int i = 0; i < 10; i++) {
                b[decade * 10 + i] = r10[i] * scale;
            }
        }
        b[50] = 1_000_000_000L;
        return b;
    }

    /** The buckets' upper bounds in seconds, ascending (the last bucket, above them all, is +Inf). */
    public static double[] upperBoundsSeconds() {
        return Arrays.stream(BOUNDS_NANOS).mapToDouble(n -> n / 1e9).toArray();
    }

    /**
     * Counts one delay. Negative ones (the realtime clock stepped back between receive and send)
     * count as 0; a step forward lands in the top buckets: rare, and visible as such.
     */
    void record(long nanos) {
        record(nanos, 1);
    }

    /** Counts {@code times} observations of one delay (the copies of one packet in one send). */
    void record(long nanos, long times) {
        long d = Math.max(0, nanos);
        int i = bucket(d);
        counts.setRelease(i, counts.getPlain(i) + times);
        sumNanos.setRelease(sumNanos.getPlain() + d * times);
    }

    /** Index of the first bound {@code >= nanos} (Prometheus's {@code le}), or the overflow bucket. */
    static int bucket(long nanos) {
        int lo = 0, hi = BOUNDS_NANOS.length;     // answer in [lo, hi]
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (BOUNDS_NANOS[mid] >= nanos) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** The counts so far. Any thread. */
    public Snapshot snapshot() {
        long[] c = new long[counts.length()];
        for (int i = 0; i < c.length; i++) {
            c[i] = counts.getAcquire(i);
        }
        return new Snapshot(c, sumNanos.getAcquire() / 1e9);
    }

    /** The sum of several loops' histograms. */
    public static Snapshot merge(List<ForwardingDelay> loops) {
        Snapshot s = Snapshot.empty();
        for (ForwardingDelay d : loops) {
            s = s.plus(d.snapshot());
        }
        return s;
    }

    /**
     * Counts per bucket (not cumulative; the last is above 1 s) and the sum of the delays in seconds.
     * Also what a reader builds from two scrapes' difference ({@link #minus}) to get one step's
     * percentiles.
     */
    public record Snapshot(long[] counts, double sumSeconds) {
        public Snapshot {
            if (counts.length != BOUNDS_NANOS.length + 1) {
                throw new IllegalArgumentException("expected " + (BOUNDS_NANOS.length + 1) + " buckets, got " + counts.length);
            }
            counts = counts.clone();
        }

        public static Snapshot empty() {
            return new Snapshot(new long[BOUNDS_NANOS.length + 1], 0);
        }

        @Override
        public long[] counts() {
            return counts.clone();
        }

        public long count() {
            long n = 0;
            for (long c : counts) {
                n += c;
            }
            return n;
        }

        /** Counts at or below each upper bound ({@link #upperBoundsSeconds}), then the total (+Inf). */
        public long[] cumulative() {
            long[] c = new long[counts.length];
            long n = 0;
            for (int i = 0; i < counts.length; i++) {
                n += counts[i];
                c[i] = n;
            }
            return c;
        }

        public Snapshot plus(Snapshot o) {
            long[] c = new long[counts.length];
            for (int i = 0; i < c.length; i++) {
                c[i] = counts[i] + o.counts[i];
            }
            return new Snapshot(c, sumSeconds + o.sumSeconds);
        }

        public Snapshot minus(Snapshot earlier) {
            long[] c = new long[counts.length];
            for (int i = 0; i < c.length; i++) {
                c[i] = counts[i] - earlier.counts[i];
            }
            return new Snapshot(c, sumSeconds - earlier.sumSeconds);
        }

        /**
         * The {@code q} quantile (0..1) in seconds, interpolated linearly inside its bucket (from 0 in the
         * first): as exact as the buckets are fine, within 25% here. NaN when empty; a quantile above
         * 1 s reads as 1 s (the top bucket has no upper bound).
         */
        public double quantile(double q) {
            long n = count();
            if (n == 0) {
                return Double.NaN;
            }
            double rank = q * n;
            long below = 0;
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0 && below + counts[i] >= rank) {
                    if (i == BOUNDS_NANOS.length) {
                        return BOUNDS_NANOS[i - 1] / 1e9;
                    }
                    double lo = i == 0 ? 0 : BOUNDS_NANOS[i - 1];
                    double hi = BOUNDS_NANOS[i];
                    double within = Math.max(0, rank - below) / counts[i];
                    return (lo + (hi - lo) * within) / 1e9;
                }
                below += counts[i];
            }
            return BOUNDS_NANOS[BOUNDS_NANOS.length - 1] / 1e9;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Snapshot s && Arrays.equals(counts, s.counts) && sumSeconds == s.sumSeconds;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(counts) * 31 + Double.hashCode(sumSeconds);
        }

        @Override
        public String toString() {
            return "Snapshot[count=" + count() + ", sum=" + sumSeconds + "s]";
        }
    }
}
