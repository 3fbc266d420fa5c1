package dev.parley.server.estimator;

/**
 * What a receiver's transport feedback says arrived, as a rate over a window of <em>arrival</em>
 * time that ends at the latest arrival reported: the link's delivery just before now, not the
 * average of a fixed window that closed up to a window ago (issue #14: behind 300 kbit/s the
 * first cut on over-use read 121-179 kbit/s from 500 ms windows that still counted the time
 * before the queue formed, when the receiver was sent less).
 *
 * <p>A rate is the bytes that arrived after an anchor packet over the time from the anchor's
 * arrival to the latest one (or the time between their sending, when longer); the anchor is the
 * last packet that arrived at or before the window's start. So a link that paces arrivals (a
 * queue drained at its rate) reads its rate exactly, with no error of a packet more or less in the
 * window, a quiet spell inside the window is averaged in, and a burst reads no more than what was
 * sent. Single-threaded; a fixed ring of the last {@link #CAPACITY} packets, nothing allocated.
 */
public final class AcknowledgedRate {
    /** Packets remembered; a window holding more is measured over these (plenty for a rate). */
    static final int CAPACITY = 1 << 10;
    /** The long window: what the rate ceiling of the AIMD reads. */
    public static final long WINDOW_MS = 500;
    /**
     * Shorter windows for the rate a cut starts from, the first of which that holds at least
     * {@link #RECENT_MIN_BYTES} is used: over-use is detected a few hundred ms after the queue
     * began to grow, and only arrivals since then show the link's rate.
     */
    private static final long SHORT_MS = 150;
    private static final long MEDIUM_MS = 250;
    /** About five full packets: fewer read a burst's spacing rather than the link's. */
    static final long RECENT_MIN_BYTES = 6_000;
    /** An arrival this far before the latest is no reordering but a clock that moved: start afresh. */
    private static final long BACKWARDS_US = 1_000_000;
    private static final int MASK = CAPACITY - 1;

    // slot i: [3i] arrival (µs, receiver's clock), [3i+1] send time (µs, ours), [3i+2] bytes
    // acknowledged up to and including it
    private final long[] ring = new long[3 * CAPACITY];
    private long count;
    private long latest;
    private long totalBytes;

    /** One acknowledged packet of {@code bytes}, sent at {@code sentMicros}, that arrived at {@code arrivalMicros}. */
    public void add(int bytes, long sentMicros, long arrivalMicros) {
        if (count > 0 && arrivalMicros < latest) {
            if (latest - arrivalMicros > BACKWARDS_US) {
                count = 0;
            } else {
                arrivalMicros = latest;         // reordered on the way: its bytes are here now
            }
        }
        totalBytes += bytes;
        int i = 3 * (int) (count & MASK);
        ring[i] = arrivalMicros;
        ring[i + 1] = sentMicros;
        ring[i + 2] = totalBytes;
        latest = arrivalMicros;
        count++;
    }

    /** Bit/s over the last {@link #WINDOW_MS} of arrivals, or -1 while less has been seen. */
    public long bitsPerSecond() {
        return over(WINDOW_MS, 0);
    }

    /**
     * Bit/s over the shortest window (150, 250 or 500 ms of arrivals) holding enough bytes to
     * read a rate: what the link delivered just now, for a cut. -1 while nothing is known.
     */
    public long recentBitsPerSecond() {
        long r = over(SHORT_MS, RECENT_MIN_BYTES);
        if (r < 0) {
            r = over(MEDIUM_MS, RECENT_MIN_BYTES);
        }
        return r < 0 ? over(WINDOW_MS, 0) : r;
    }

    private long over(long windowMs, long minBytes) {
        if (count < 2) {
            return -1;
        }
        long from = latest - windowMs * 1000;
        long lo = Math.max(0, count - CAPACITY);
        long hi = count - 1;
        long anchor;
        if (arrival(lo) > from) {
            if (lo == 0) {
                return -1;                      // not a whole window seen yet
            }
            anchor = lo;                        // a full ring inside the window: enough to measure
        } else {
            // the last packet at or before the window's start (arrivals never decrease in the ring)
            while (lo < hi) {
                long mid = (lo + hi + 1) >>> 1;
                if (arrival(mid) <= from) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            anchor = lo;
        }
        int a = 3 * (int) (anchor & MASK);
        long bytes = totalBytes - ring[a + 2];
        // over the longer of the arrival and the send span: packets that were sent over 300 ms and
        // arrive within 100 ms (a burst after a stall on the way) were not delivered at 3 × the rate
        long span = Math.max(latest - ring[a], ring[3 * (int) ((count - 1) & MASK) + 1] - ring[a + 1]);
        if (latest - ring[a] <= 0 || bytes < minBytes) {
            return -1;
        }
        return bytes * 8_000_000 / span;
    }

    private long arrival(long k) {
        return ring[3 * (int) (k & MASK)];
    }
}
