package dev.parley.rtc.srtp;

/**
 * A sliding window of the last 512 packet indices (RFC 3711 §3.3.2). Bit {@code i & 511} marks index
 * {@code i}; advancing the window clears the bits it slides over.
 */
final class ReplayWindow {
    static final int SIZE = 512;
    private final long[] bits = new long[SIZE / 64];
    private long highest = -1;

    /** True if {@code index} is new and inside the window. Does not record it. */
    boolean accepts(long index) {
        if (index > highest) return true;
        if (highest - index >= SIZE) return false;
        int b = (int) (index & (SIZE - 1));
        return (bits[b >>> 6] & (1L << (b & 63))) == 0;
    }

    /** Records {@code index} as received; call only after authentication succeeded. */
    void record(long index) {
        if (index > highest) {
            long advance = highest < 0 ? SIZE : index - highest;
            if (advance >= SIZE) {
                java.util.Arrays.fill(bits, 0);
            } else {
                for (long i = highest + 1; i < index; i++) clear((int) (i & (SIZE - 1)));
            }
            highest = index;
        }
        int b = (int) (index & (SIZE - 1));
        bits[b >>> 6] |= 1L << (b & 63);
    }

    private void clear(int b) {
        bits[b >>> 6] &= ~(1L << (b & 63));
    }
}
