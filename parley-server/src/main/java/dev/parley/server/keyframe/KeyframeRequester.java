package dev.parley.server.keyframe;

/**
 * Rate limit for keyframe requests towards a presenter (MD11): once a keyframe is wanted, a PLI
 * is due at once and then at most every {@value #INTERVAL_MS} ms until a keyframe arrives.
 * Time is passed in (milliseconds, monotonic). Single-threaded.
 */
public final class KeyframeRequester {
    public static final long INTERVAL_MS = 500;

    private boolean needed;
    private long lastSent = Long.MIN_VALUE;

    /** A subscriber sent PLI/FIR, a new subscriber has no cached keyframe, or a layer switch needs one. */
    public void request() {
        needed = true;
    }

    /** A keyframe arrived from the presenter. */
    public void onKeyframe() {
        needed = false;
    }

    public boolean isNeeded() {
        return needed;
    }

    /**
     * True if a PLI should be sent now; the caller then sends it (if the presenter negotiated
     * {@code nack pli}, otherwise it should call {@link #onKeyframe()} to give up, as the
     * reference server does).
     */
    public boolean pollPli(long nowMs) {
        if (!needed || (lastSent != Long.MIN_VALUE && nowMs - lastSent < INTERVAL_MS)) {
            return false;
        }
        lastSent = nowMs;
        return true;
    }
}
