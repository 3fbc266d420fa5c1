package dev.parley.bench.metrics;

/**
 * Loss accounting for one received RTP stream: extends 16-bit sequence numbers, counts distinct
 * packets (a retransmission that fills a hole counts once, a duplicate not at all), and remembers
 * which of the last {@value #WINDOW} numbers are still missing so that a receiver can NACK them.
 * Loss over an interval is (expected - received) / expected, as in an RTCP receiver report.
 * One writer thread; the counters may be read from others.
 */
public final class SequenceTracker {
    static final int WINDOW = 1024;

    /** What {@link #onPacket} saw. */
    public enum Arrival { FIRST, IN_ORDER, GAP, RECOVERED, DUPLICATE, TOO_OLD }

    private final boolean[] seen = new boolean[WINDOW];
    private volatile long base = -1;         // first extended sequence number
    private volatile long highest = -1;      // highest extended sequence number
    private volatile long received;          // distinct packets
    private long lastGapStart, lastGapEnd;   // the most recent gap (exclusive range) for NACKs
    private long last;                       // extended number of the last packet offered
    private volatile long missedOnArrival;   // numbers that were skipped when a later one arrived

    public Arrival onPacket(int seq16) {
        if (highest < 0) {
            base = seq16;
            highest = seq16;
            seen[seq16 % WINDOW] = true;
            last = seq16;
            received++;
            return Arrival.FIRST;
        }
        long ext = extend(seq16);
        last = ext;
        if (ext > highest) {
            long gap = ext - highest - 1;
            if (gap >= WINDOW) {
                java.util.Arrays.fill(seen, false);
            } else {
                for (long s = highest + 1; s < ext; s++) {
                    seen[(int) (s % WINDOW)] = false;
                }
            }
            seen[(int) (ext % WINDOW)] = true;
            lastGapStart = highest + 1;
            lastGapEnd = ext;
            missedOnArrival += gap;
            highest = ext;
            received++;
            return gap == 0 ? Arrival.IN_ORDER : Arrival.GAP;
        }
        if (highest - ext >= WINDOW || ext < base) {
            return Arrival.TOO_OLD;
        }
        int i = (int) (ext % WINDOW);
        if (seen[i]) {
            return Arrival.DUPLICATE;
        }
        seen[i] = true;
        received++;
        return Arrival.RECOVERED;
    }

    /** The extended number closest to the highest seen. */
    private long extend(int seq16) {
        long cycle = highest & ~0xFFFFL;
        long candidate = cycle | seq16;
        if (candidate - highest > 0x8000) {
            candidate -= 0x10000;
        } else if (highest - candidate > 0x8000) {
            candidate += 0x10000;
        }
        return candidate;
    }

    /** Start (inclusive) and end (exclusive) of the last gap, as extended numbers. */
    public long lastGapStart() {
        return lastGapStart;
    }

    public long lastGapEnd() {
        return lastGapEnd;
    }

    /** The extended sequence number of the packet last passed to {@link #onPacket}. */
    public long lastExtended() {
        return last;
    }

    /**
     * Sequence numbers that were missing when a later one arrived: the loss before any repair
     * (on a link that does not reorder), where {@code expected - received} is the loss after it.
     */
    public long missedOnArrival() {
        return missedOnArrival;
    }

    /** Whether extended number {@code ext} (within the window) is still missing. */
    public boolean isMissing(long ext) {
        return ext <= highest && highest - ext < WINDOW && ext >= base && !seen[(int) (ext % WINDOW)];
    }

    /** Packets expected so far: highest - base + 1 (0 before the first packet). */
    public long expected() {
        long h = highest;
        return h < 0 ? 0 : h - base + 1;
    }

    public long received() {
        return received;
    }

    public long highest() {
        return highest;
    }
}
