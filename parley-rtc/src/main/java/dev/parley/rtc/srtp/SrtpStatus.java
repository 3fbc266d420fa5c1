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

    public static String describe(int status) {
        return switch (status) {
            case MALFORMED -> "malformed";
            case AUTH_FAILED -> "authentication failed";
            case REPLAYED -> "replayed";
            default -> status >= 0 ? "ok" : "unknown status " + status;
        };
    }
}
