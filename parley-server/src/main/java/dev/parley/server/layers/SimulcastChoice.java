package dev.parley.server.layers;

/**
 * Chooses, for one receiver of a simulcast stream that asked for {@code video}, whether it
 * should get the low layer instead (issue #14): down fast, after two congested receiver
 * reports in a row; back up only after a hold without congestion, a hold that doubles each
 * time going up failed (the receiver's estimate cannot rise while it receives the small
 * layer, so going up is the probe). Congestion is loss above 10 % or a receiver estimate
 * (REMB, audio subtracted: audio is never what gives way) below 3/4 of the high layer's rate
 * (a clear shortfall), the latter only {@link #ESTIMATE_GRACE_MS} after the start or a switch:
 * a browser's estimate starts from what it received before and takes seconds to rise.
 *
 * <p>Time is passed in. Single-threaded (the receiver's media loop); {@link #low()} may be read
 * from any thread.
 */
public final class SimulcastChoice {
    public static final int CONGESTED_REPORTS = 2;
    public static final long FIRST_HOLD_MS = 8_000;
    public static final long MAX_HOLD_MS = 64_000;
    /** High this long without going down again: the next hold starts short again. */
    public static final long STABLE_MS = 30_000;
    public static final long ESTIMATE_GRACE_MS = 10_000;
    private static final int LOSS_THRESHOLD = 25;           // in 1/256: about 10 %

    private volatile boolean low;
    private int congestedReports;
    private long holdMs = FIRST_HOLD_MS;
    private long switchedAtMs = Long.MIN_VALUE;
    private long lastCongestionMs = Long.MIN_VALUE;
    private long firstReportMs = Long.MIN_VALUE;

    public boolean low() {
        return low;
    }

    /**
     * A receiver report about the video it gets.
     *
     * @param fractionLost   RR fraction lost, 0..255
     * @param videoBudgetBps the receiver's estimate minus its audio, or -1 when it sends none
     * @param highLayerBps   what the high layer costs (the presenter's rate for it)
     * @return true when the choice changed: the receiver's down track must move to the other
     *         layer (at its next keyframe, without renegotiation: docs/simulcast.md)
     */
    public boolean onReport(int fractionLost, long videoBudgetBps, long highLayerBps, long nowMs) {
        if (firstReportMs == Long.MIN_VALUE) {
            firstReportMs = nowMs;
        }
        long settledSince = switchedAtMs == Long.MIN_VALUE ? firstReportMs : switchedAtMs;
        boolean congested = fractionLost > LOSS_THRESHOLD
                || (!low && nowMs - settledSince >= ESTIMATE_GRACE_MS && videoBudgetBps >= 0 && highLayerBps > 0
                        && videoBudgetBps * 4 < highLayerBps * 3);
        if (congested) {
            lastCongestionMs = nowMs;
        }
        if (!low) {
            congestedReports = congested ? congestedReports + 1 : 0;
            if (congestedReports >= CONGESTED_REPORTS) {
                if (switchedAtMs != Long.MIN_VALUE && nowMs - switchedAtMs < STABLE_MS) {
                    holdMs = Math.min(MAX_HOLD_MS, holdMs * 2);      // going up did not last: wait longer
                } else {
                    holdMs = FIRST_HOLD_MS;
                }
                return switchTo(true, nowMs);
            }
            return false;
        }
        if (nowMs - Math.max(switchedAtMs, lastCongestionMs) >= holdMs) {
            return switchTo(false, nowMs);
        }
        return false;
    }

    private boolean switchTo(boolean toLow, long nowMs) {
        low = toLow;
        switchedAtMs = nowMs;
        congestedReports = 0;
        return true;
    }

    /** How long the receiver stays on the low layer without congestion before going up. */
    public long holdMs() {
        return holdMs;
    }
}
