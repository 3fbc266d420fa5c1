package dev.parley.server.dependencydescriptor;

/**
 * Reads the descriptor's bit fields, most significant bit first. Reading past the end yields
 * zeros and clears {@link #ok()}: a truncated descriptor is found once, at the end of a parse,
 * instead of at every field. Reusable; allocation-free.
 */
final class BitReader {
    private byte[] buf;
    private int bitPos;
    private int bitEnd;
    private boolean ok;

    void reset(byte[] buf, int off, int len) {
        this.buf = buf;
        bitPos = off * 8;
        bitEnd = (off + len) * 8;
        ok = true;
    }

    /** {@code n} bits (0..32) as an unsigned value; 0 past the end. */
    int bits(int n) {
        if (n > bitEnd - bitPos) {
            ok = false;
            bitPos = bitEnd;
            return 0;
        }
        int v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 1) | (buf[bitPos >> 3] >> (7 - (bitPos & 7))) & 1;
            bitPos++;
        }
        return v;
    }

    boolean flag() {
        return bits(1) == 1;
    }

    /** A non-symmetric unsigned value below {@code n} (spec ns(n)). */
    int nonSymmetric(int n) {
        int w = 32 - Integer.numberOfLeadingZeros(n);
        int m = (1 << w) - n;
        int v = bits(w - 1);
        if (v < m) {
            return v;
        }
        return (v << 1) - m + bits(1);
    }

    /** Marks the input invalid: a value read was out of range. */
    void invalidate() {
        ok = false;
    }

    boolean ok() {
        return ok;
    }
}
