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
    private static final int MASK = CAPACITY - 1;

    private final int[] sequence = new int[CAPACITY];
    private final long[] sentMicros = new long[CAPACITY];
    private final int[] size = new int[CAPACITY];
    private final int[] cluster = new int[CAPACITY];
    private final boolean[] acknowledged = new boolean[CAPACITY];
    private final boolean[] resent = new boolean[CAPACITY];
    private int next;

    public SendHistory() {
        java.util.Arrays.fill(sequence, -1);
    }

    /** Numbers the next packet: returns the transport-wide sequence number to stamp (16 bits). */
    public int nextSequence() {
        return next;
    }

    /** Records the packet just stamped with {@link #nextSequence()}; the next one gets the number after. */
    public void sent(int bytes, long nowMicros, int probeCluster) {
        int i = next & MASK;
        sequence[i] = next;
        sentMicros[i] = nowMicros;
        size[i] = bytes;
        cluster[i] = probeCluster;
        acknowledged[i] = false;
        resent[i] = false;
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
        int i = seq & MASK;
        if (sequence[i] == seq) {
            resent[i] = true;
        }
    }

    /**
     * The slot of {@code seq} when it is still remembered and was not acknowledged before (a
     * receiver may report a packet twice); marks it acknowledged. Returns -1 otherwise.
     */
    public int acknowledge(int seq) {
        int i = seq & MASK;
        if (sequence[i] != seq || acknowledged[i]) {
            return -1;
        }
        acknowledged[i] = true;
        return i;
    }

    public long sentMicros(int slot) {
        return sentMicros[slot];
    }

    public int size(int slot) {
        return size[slot];
    }

    public int cluster(int slot) {
        return cluster[slot];
    }

    /** Whether the packet in {@code slot} was sent again with its number ({@link #sentAgain}). */
    public boolean resent(int slot) {
        return resent[slot];
    }
}
