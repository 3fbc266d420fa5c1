package dev.parley.server.layers;

/**
 * Chooses, for one receiver of a simulcast stream that asked for {@code video}, whether it
 * should get the low layer instead (issue #14): down fast, once congestion has lasted
 * {@link #CONGESTED_MS} (two receiver reports in a row, or the send-side estimate staying low
 * that long between them: it is consulted at each transport feedback); back up only after a
 * hold without congestion, a hold that doubles each time going up failed (the receiver's
 * estimate cannot rise while it receives the small layer, so going up is the probe).
 *
 * <p>Congestion is loss above 10 % or a receiver estimate (audio subtracted: audio is never
 * what gives way) below 3/4 of the high layer's recent rate (a clear shortfall). A short
 * estimate is not always news about the link, though: a fresh one starts from what the
 * receiver was sent and climbs (at most 8 %/s, to 1.5 × what is sent), and on a roomy link it
 * may stay under the layer for seconds. So a shortfall counts only when the estimate is known
 * to describe the link:
 * <ul>
 *   <li>the link gave way since the start or the last switch: the send-side estimator cut its
 *       rate on delay over-use or on loss ({@code linkCutMs}). A climbing estimate is never cut;
 *       a cut one is what the link carries. This is what moves a receiver whose link is limited
 *       in its first seconds, before its estimate ever covered the layer;</li>
 *   <li>the estimate covered the high layer since then and has fallen;</li>
 *   <li>or {@link #ESTIMATE_GRACE_MS} have passed (for REMB, which says nothing about why it
 *       is low, and for an estimate that never climbs).</li>
 * </ul>
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
    /** {@code linkCutMs} when the link never gave way (or the receiver sends no transport feedback). */
    public static final long NO_CUT = Long.MIN_VALUE;
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
     * @param highLayerBps   what the high layer costs (the presenter's recent rate for it)
     * @param linkCutMs      when the send-side estimator last cut the estimate because the link
     *                       gave way (over-use or loss), or {@link #NO_CUT}
     * @return true when the choice changed: the receiver's down track must move to the other
     *         layer (at its next keyframe, without renegotiation: docs/simulcast.md)
     */
    public boolean onReport(int fractionLost, long videoBudgetBps, long highLayerBps, long linkCutMs, long nowMs) {
        return decide(fractionLost, videoBudgetBps, highLayerBps, linkCutMs, nowMs, true);
    }

    /**
     * A new send-side estimate between receiver reports (with the last report's loss). It can
     * start or complete a congested second, but not end one: the estimate wobbles from one
     * feedback to the next, and a single high sample must not restart the wait; only a receiver
     * report without congestion does.
     */
    public boolean onEstimate(int fractionLost, long videoBudgetBps, long highLayerBps, long linkCutMs, long nowMs) {
        return decide(fractionLost, videoBudgetBps, highLayerBps, linkCutMs, nowMs, false);
    }

    private boolean decide(int fractionLost, long videoBudgetBps, long highLayerBps, long linkCutMs, long nowMs,
                           boolean report) {
        if (firstReportMs == Long.MIN_VALUE) {
            firstReportMs = nowMs;
        }
        long settledSince = switchedAtMs == Long.MIN_VALUE ? firstReportMs : switchedAtMs;
        boolean known = videoBudgetBps >= 0 && highLayerBps > 0;
        if (known && videoBudgetBps * 4 >= highLayerBps * 3) {
            estimateSufficed = true;
        }
        // a cut from before the last switch was about the other layer's traffic
        boolean linkGaveWay = linkCutMs != NO_CUT && linkCutMs >= settledSince;
        boolean congested = fractionLost > LOSS_THRESHOLD
                || (!low && known && videoBudgetBps * 4 < highLayerBps * 3
                        && (linkGaveWay || estimateSufficed || nowMs - settledSince >= ESTIMATE_GRACE_MS));
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
