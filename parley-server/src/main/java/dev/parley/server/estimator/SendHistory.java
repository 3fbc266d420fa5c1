package dev.parley.server.estimator;

/**
 * What was sent to one receiver, by transport-wide sequence number: send time, size and probe
 * cluster, kept in a fixed ring so that transport feedback arriving later can be matched to it
 * without allocating per packet. The ring holds the last {@link #CAPACITY} packets (seconds of
 * media at any realistic rate); feedback about older ones finds nothing. Single-threaded.
 */
public final class SendHistory {
    public static final int CAPACITY = 1 << 13;
    /** Probe cluster of a packet that is not a probe. */
    public static final int NO_CLUSTER = -1;
    /** Sizes are kept up to this (larger never leave: the MTU is far below). */
    static final int MAX_SIZE = (1 << 13) - 1;
    private static final int MASK = CAPACITY - 1;

    // Two longs per packet, side by side: recording one packet touches one cache line, not six
    // arrays' worth. A server keeps one history per receiver and writes them in turn for every
    // forwarded packet, so separate arrays were a cache miss per field per copy (measured: see
    // docs/congestion-control.md). Slot i: [2i] the send time (µs), [2i+1] the rest:
    // bits 0-15 sequence, 16 present, 17 acknowledged, 18 resent, 19-31 size, 32-63 cluster.
    private static final long PRESENT = 1L << 16;
    private static final long ACKNOWLEDGED = 1L << 17;
    private static final long RESENT = 1L << 18;
    private static final int SIZE_SHIFT = 19;
    private final long[] slots = new long[2 * CAPACITY];
    private int next;

    /** Numbers the next packet: returns the transport-wide sequence number to stamp (16 bits). */
    public int nextSequence() {
        return next;
    }

    /** Records the packet just stamped with {@link #nextSequence()}; the next one gets the number after. */
    public void sent(int bytes, long nowMicros, int probeCluster) {
        int i = 2 * (next & MASK);
        slots[i] = nowMicros;
        slots[i + 1] = next | PRESENT | (long) Math.min(Math.max(bytes, 0), MAX_SIZE) << SIZE_SHIFT
                | (long) probeCluster << 32;
        next = (next + 1) & 0xFFFF;
    }

    /**
     * The packet numbered {@code seq} went out again with the same number (a plain retransmission,
     * which must be byte-identical to the first sending: {@code transportcc.SentNumbers}). It is no
     * new send: nothing is numbered or counted for it. But whichever copy the receiver reports, its
     * arrival no longer goes with the recorded send time, so {@link #resent(int)} tells the
     * estimator to keep it out of the delay measurement. Forgotten numbers are ignored.
     */
    public void sentAgain(int seq) {
        int i = 2 * (seq & MASK) + 1;
        if (remembers(slots[i], seq)) {
            slots[i] |= RESENT;
        }
    }

    private static boolean remembers(long info, int seq) {
        return (info & (PRESENT | 0xFFFF)) == (PRESENT | seq);
    }

    /**
     * The slot of {@code seq} when it is still remembered and was not acknowledged before (a
     * receiver may report a packet twice); marks it acknowledged. Returns -1 otherwise.
     */
    public int acknowledge(int seq) {
        int slot = seq & MASK;
        long info = slots[2 * slot + 1];
        if (!remembers(info, seq) || (info & ACKNOWLEDGED) != 0) {
            return -1;
        }
        slots[2 * slot + 1] = info | ACKNOWLEDGED;
        return slot;
    }

    public long sentMicros(int slot) {
        return slots[2 * slot];
    }

    public int size(int slot) {
        return (int) (slots[2 * slot + 1] >>> SIZE_SHIFT) & MAX_SIZE;
    }

    public int cluster(int slot) {
        return (int) (slots[2 * slot + 1] >> 32);
    }

    /** Whether the packet in {@code slot} was sent again with its number ({@link #sentAgain}). */
    public boolean resent(int slot) {
        return (slots[2 * slot + 1] & RESENT) != 0;
    }
}
