package dev.parley.rtc.srtp;

/**
 * Negative results of unprotect operations. Returned as ints rather than thrown: bad packets from the
 * network are routine and the hot path must not pay for exceptions.
 */
public final class SrtpStatus {
    private SrtpStatus() {}

    /** Too short, or the header does not fit the packet. */
    public static final int MALFORMED = -1;
    /** Authentication tag mismatch (tampered, wrong key or wrong rollover counter guess). */
    public static final int AUTH_FAILED = -2;
    /** Already received, or older than the 512-packet replay window. */
    public static final int REPLAYED = -3;

    /**
     * Protect refused: AEAD_AES_128_GCM was asked to protect an already-used SRTP index with
     * different bytes (say, a plain retransmission with a new transport-wide sequence number or
     * marker bit), which would reuse the GCM nonce and give away the authentication key; or an
     * index too old for {@link SrtpContext} to tell.
     */
    public static final int NONCE_REUSE = -4;

    public static String describe(int status) {
        return switch (status) {
            case MALFORMED -> "malformed";
            case AUTH_FAILED -> "authentication failed";
            case REPLAYED -> "replayed";
            case NONCE_REUSE -> "index reused with different bytes (GCM)";
            default -> status >= 0 ? "ok" : "unknown status " + status;
        };
    }
}
