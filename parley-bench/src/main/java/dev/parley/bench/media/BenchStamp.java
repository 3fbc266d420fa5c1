package dev.parley.bench.media;

/**
 * The last 12 bytes of every synthetic payload: a magic number and the sender's
 * {@link System#nanoTime()}, so a subscriber in the same machine measures one-way latency through
 * the server. The server forwards payloads untouched, and SRTP hides them on the wire.
 */
public final class BenchStamp {
    public static final int LENGTH = 12;
    static final int MAGIC = 0x50424E43; // "PBNC"

    private BenchStamp() {
    }

    /** Writes the stamp so that it ends at {@code end}. */
    public static void write(byte[] b, int end, long sendNanos) {
        int o = end - LENGTH;
        putInt(b, o, MAGIC);
        putInt(b, o + 4, (int) (sendNanos >>> 32));
        putInt(b, o + 8, (int) sendNanos);
    }

    /** True if the payload {@code [off, end)} ends with a stamp. */
    public static boolean present(byte[] b, int off, int end) {
        return end - off >= LENGTH && getInt(b, end - LENGTH) == MAGIC;
    }

    /** The send time of a stamped payload ending at {@code end}. */
    public static long sendNanos(byte[] b, int end) {
        return ((long) getInt(b, end - 8) << 32) | (getInt(b, end - 4) & 0xFFFFFFFFL);
    }

    static void putInt(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }

    static int getInt(byte[] b, int o) {
        return ((b[o] & 0xFF) << 24) | ((b[o + 1] & 0xFF) << 16) | ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
    }
}
