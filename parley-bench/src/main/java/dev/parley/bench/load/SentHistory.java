package dev.parley.bench.load;

/**
 * The plaintext of the last packets sent on one SSRC, by sequence number, so that a NACK can be
 * answered with the original packet (RFC 4585 generic NACK without RTX, as the server asks).
 */
final class SentHistory {
    private static final int SLOTS = 512;
    private static final int SLOT = 1500;
    private final byte[] data = new byte[SLOTS * SLOT];
    private final int[] lengths = new int[SLOTS];
    private final int[] seqs = new int[SLOTS];

    SentHistory() {
        java.util.Arrays.fill(seqs, -1);
    }

    synchronized void store(int seq, byte[] buf, int len) {
        int i = seq % SLOTS;
        int n = Math.min(len, SLOT);
        System.arraycopy(buf, 0, data, i * SLOT, n);
        lengths[i] = n;
        seqs[i] = seq;
    }

    /** Copies the packet with {@code seq} into {@code dst}; returns its length or -1. */
    synchronized int get(int seq, byte[] dst) {
        int i = seq % SLOTS;
        if (seqs[i] != seq) {
            return -1;
        }
        System.arraycopy(data, i * SLOT, dst, 0, lengths[i]);
        return lengths[i];
    }
}
