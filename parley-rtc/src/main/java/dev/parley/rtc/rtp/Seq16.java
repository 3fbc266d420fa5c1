package dev.parley.rtc.rtp;

/** Arithmetic on 16-bit RTP sequence numbers (RFC 3550 wrap-around). */
public final class Seq16 {
    private Seq16() {
    }

    /** Signed distance from {@code from} to {@code to} in [-32768, 32767]. */
    public static int delta(int from, int to) {
        return (short) (to - from);
    }

    /** True if {@code a} comes after {@code b} modulo 2^16. */
    public static boolean isNewer(int a, int b) {
        return delta(b, a) > 0;
    }

    public static int add(int seq, int n) {
        return (seq + n) & 0xFFFF;
    }
}
