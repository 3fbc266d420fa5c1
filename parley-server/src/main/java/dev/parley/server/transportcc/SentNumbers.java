package dev.parley.server.transportcc;

/**
 * The transport-wide sequence number each of a down track's recent packets went out with, by its
 * RTP sequence number, so that a plain (non-RTX) retransmission can carry the same number again.
 *
 * <p>Why: a plain resend reuses the packet's SRTP index. Under AEAD_AES_128_GCM the index is the
 * nonce, so the resend must be byte-identical to the first sending (media-path pitfall 4; the
 * SRTP context refuses anything else): with a new transport-wide number in its header it would not
 * be. The ring holds {@link #CAPACITY} packets, as many as the SRTP context remembers tags for per
 * SSRC: a resend older than that is refused there anyway. Fixed arrays, nothing allocated per
 * packet; single-threaded (the receiver's media loop).
 */
public final class SentNumbers {
    /** Packets remembered: the SRTP context's window of re-protectable indices ({@code SrtpContext.SENT_TAGS}). */
    public static final int CAPACITY = 1024;
    /** The packet went out without a transport-wide number (it could not be stamped). */
    public static final int NONE = -1;
    /** The packet is not remembered: never sent, or older than {@link #CAPACITY} packets. */
    public static final int UNKNOWN = -2;

    private static final int MASK = CAPACITY - 1;
    // an entry: PRESENT | the RTP sequence number's bits above the index | NUMBERED | the 16-bit number
    private static final int PRESENT = 1 << 31;
    private static final int NUMBERED = 1 << 16;
    private static final int HIGH_SHIFT = 17;
    private static final int HIGH_BITS = 16 - Integer.numberOfTrailingZeros(CAPACITY);

    private final int[] entries = new int[CAPACITY];

    /** The packet with RTP sequence number {@code rtpSeq} went out with {@code number} (16 bits), or {@link #NONE}. */
    public void record(int rtpSeq, int number) {
        entries[rtpSeq & MASK] = key(rtpSeq) | (number < 0 ? 0 : NUMBERED | number & 0xFFFF);
    }

    /** The number {@code rtpSeq} went out with, {@link #NONE}, or {@link #UNKNOWN}. */
    public int numberOf(int rtpSeq) {
        int e = entries[rtpSeq & MASK];
        if ((e & ~(NUMBERED | 0xFFFF)) != key(rtpSeq)) {
            return UNKNOWN;
        }
        return (e & NUMBERED) == 0 ? NONE : e & 0xFFFF;
    }

    private static int key(int rtpSeq) {
        return PRESENT | ((rtpSeq & 0xFFFF) >>> (16 - HIGH_BITS)) << HIGH_SHIFT;
    }
}
