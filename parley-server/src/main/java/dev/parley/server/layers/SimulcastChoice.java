package dev.parley.server.layers;

/**
 * Chooses, for one receiver of a simulcast stream that asked for {@code video}, whether it
 * should get the low layer instead (issue #14): down fast, once congestion has lasted
 * {@link #CONGESTED_MS} (two receiver reports in a row, or the send-side estimate staying low
 * that long between them: it is consulted at each transport feedback); back up only after a hold without congestion, a hold that doubles each
 * time going up failed (the receiver's estimate cannot rise while it receives the small
 * layer, so going up is the probe). Congestion is loss above 10 % or a receiver estimate
 * (REMB, audio subtracted: audio is never what gives way) below 3/4 of the high layer's rate
 * (a clear shortfall), the latter once the estimate has covered the high layer, or
 * {@link #ESTIMATE_GRACE_MS} after the start or a switch: an estimate starts from what the
 * receiver got before and takes seconds to rise, but one that fell after covering the layer
 * is news about the link.
 *
 * <p>Time is passed in. Single-threaded (the receiver's media loop); {@link #low()} may be read
 * from any thread.
 */
public final class SimulcastChoice {
    /** Congestion seen this long without a clear report in between: go down (two reports a second apart). */
    public static final long CONGESTED_MS = 1_000;
    public static final long FIRST_HOLD_MS = 8_000;
    public static final long MAX_HOLD_MS = 64_000;
    /** High this long without going down again: the next hold starts short again. */
    public static final long STABLE_MS = 30_000;
    public static final long ESTIMATE_GRACE_MS = 10_000;
    private static final int LOSS_THRESHOLD = 25;           // in 1/256: about 10 %

    private volatile boolean low;
    private long congestedSinceMs = Long.MIN_VALUE;
    private long holdMs = FIRST_HOLD_MS;
    private long switchedAtMs = Long.MIN_VALUE;
    private long lastCongestionMs = Long.MIN_VALUE;
    private long firstReportMs = Long.MIN_VALUE;
    /**
     * The estimate has covered the high layer since the start or the last switch: a fall below
     * it now is the link, not an estimate still ramping up, and needs no grace.
     */
    private boolean estimateSufficed;

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
        return decide(fractionLost, videoBudgetBps, highLayerBps, nowMs, true);
    }

    /**
     * A new send-side estimate between receiver reports (with the last report's loss). It can
     * start or complete a congested second, but not end one: the estimate wobbles from one
     * feedback to the next, and a single high sample must not restart the wait; only a receiver
     * report without congestion does.
     */
    public boolean onEstimate(int fractionLost, long videoBudgetBps, long highLayerBps, long nowMs) {
        return decide(fractionLost, videoBudgetBps, highLayerBps, nowMs, false);
    }

    private boolean decide(int fractionLost, long videoBudgetBps, long highLayerBps, long nowMs, boolean report) {
        if (firstReportMs == Long.MIN_VALUE) {
            firstReportMs = nowMs;
        }
        long settledSince = switchedAtMs == Long.MIN_VALUE ? firstReportMs : switchedAtMs;
        boolean known = videoBudgetBps >= 0 && highLayerBps > 0;
        if (known && videoBudgetBps * 4 >= highLayerBps * 3) {
            estimateSufficed = true;
        }
        boolean congested = fractionLost > LOSS_THRESHOLD
                || (!low && known && videoBudgetBps * 4 < highLayerBps * 3
                        && (estimateSufficed || nowMs - settledSince >= ESTIMATE_GRACE_MS));
        if (congested) {
            lastCongestionMs = nowMs;
        }
        if (!low) {
            if (!congested) {
                if (report) {
                    congestedSinceMs = Long.MIN_VALUE;
                }
                return false;
            }
            if (congestedSinceMs == Long.MIN_VALUE) {
                congestedSinceMs = nowMs;
            }
            if (nowMs - congestedSinceMs >= CONGESTED_MS) {
                if (switchedAtMs != Long.MIN_VALUE && nowMs - switchedAtMs < STABLE_MS) {
                    holdMs = Math.min(MAX_HOLD_MS, holdMs * 2);      // going up did not last: wait longer
                } else {
                    holdMs = FIRST_HOLD_MS;
                }
                return switchTo(true, nowMs);
            }
            return false;
        }
        if (report && nowMs - Math.max(switchedAtMs, lastCongestionMs) >= holdMs) {
            return switchTo(false, nowMs);
        }
        return false;
    }

    private boolean switchTo(boolean toLow, long nowMs) {
        low = toLow;
        switchedAtMs = nowMs;
        congestedSinceMs = Long.MIN_VALUE;
        estimateSufficed = false;
        return true;
    }

    /** How long the receiver stays on the low layer without congestion before going up. */
    public long holdMs() {
        return holdMs;
    }
}
