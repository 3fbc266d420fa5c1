package dev.parley.bench.metrics;

/**
 * A freeze proxy for one received video stream: a "frame" is the packets of one RTP timestamp,
 * complete once its first packet (the payload's start of frame), its last (marker bit) and every
 * sequence number between them have arrived, retransmissions included. A freeze is a gap of more
 * than {@value #FREEZE_MILLIS} ms between two frames completing in timestamp order (frames that
 * complete after a later one are too late to show), or since the stream's first packet when no
 * frame completed yet. A freeze still going on counts as one, and its time so far as frozen, so
 * a window that sees no frame at all shows as frozen throughout. No decoder is run, so a frame that arrives
 * whole but references a lost one still counts as shown. One writer thread; counters may be read
 * from others. Allocation-free.
 */
public final class FrameTracker {
    public static final long FREEZE_MILLIS = 500;
    private static final int SLOTS = 32;

    private final long[] timestamps = new long[SLOTS];
    private final long[] first = new long[SLOTS];
    private final long[] last = new long[SLOTS];
    private final int[] count = new int[SLOTS];
    private final boolean[] done = new boolean[SLOTS];
    private int nextSlot;
    private long lastShownTimestamp = -1;
    private volatile long lastShownNanos = -1;   // or the first packet's arrival, before any frame
    private volatile long framesShown;
    private volatile long freezes;
    private volatile long frozenNanos;

    public FrameTracker() {
        java.util.Arrays.fill(timestamps, -1);
    }

    /**
     * One distinct (not duplicate) packet: its extended sequence number, RTP timestamp, whether it
     * starts a frame and whether it carries the marker bit.
     */
    public void onPacket(long extSeq, long timestamp, boolean frameStart, boolean marker, long nowNanos) {
        if (lastShownNanos < 0) {
            lastShownNanos = nowNanos;
        }
        int i = slot(timestamp);
        if (done[i]) {
            return;
        }
        count[i]++;
        if (frameStart) {
            first[i] = extSeq;
        }
        if (marker) {
            last[i] = extSeq;
        }
        if (first[i] >= 0 && last[i] >= first[i] && count[i] == last[i] - first[i] + 1) {
            done[i] = true;
            shown(timestamp, nowNanos);
        }
    }

    private void shown(long timestamp, long now) {
        if (lastShownTimestamp >= 0 && !newer(timestamp, lastShownTimestamp)) {
            return;                                   // completed after a later frame: never displayed
        }
        if (now - lastShownNanos > FREEZE_MILLIS * 1_000_000L) {
            freezes++;
            frozenNanos += now - lastShownNanos;
        }
        lastShownTimestamp = timestamp;
        lastShownNanos = now;
        framesShown++;
    }

    /** RTP timestamps are 32-bit and wrap: {@code a} is newer if it is less than half the range ahead. */
    private static boolean newer(long a, long b) {
        return ((a - b) & 0xFFFF_FFFFL) != 0 && ((a - b) & 0xFFFF_FFFFL) < 0x8000_0000L;
    }

    private int slot(long timestamp) {
        for (int i = 0; i < SLOTS; i++) {
            if (timestamps[i] == timestamp) {
                return i;
            }
        }
        int i = nextSlot;                             // the oldest frame's slot goes to the new one
        nextSlot = (nextSlot + 1) % SLOTS;
        timestamps[i] = timestamp;
        first[i] = -1;
        last[i] = -1;
        count[i] = 0;
        done[i] = false;
        return i;
    }

    public long framesShown() {
        return framesShown;
    }

    /** Freezes that ended by {@code now}, plus one if a freeze is going on at {@code now}. */
    public long freezes(long now) {
        return freezes + (ongoingNanos(now) > 0 ? 1 : 0);
    }

    /** Time frozen by {@code now}, including a freeze still going on. */
    public long frozenNanos(long now) {
        return frozenNanos + ongoingNanos(now);
    }

    private long ongoingNanos(long now) {
        long since = lastShownNanos;
        return since >= 0 && now - since > FREEZE_MILLIS * 1_000_000L ? now - since : 0;
    }
}
