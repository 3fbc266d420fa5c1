package dev.parley.server.layers;

/**
 * Chooses, for one receiver of a simulcast stream that asked for {@code video}, the largest
 * layer its link carries (issue #14): the <em>cap</em>, an index into the stream's layers,
 * largest first (0: the layer it asked for; nothing is capped). Down fast, once congestion has
 * lasted {@link #CONGESTED_MS} (receiver reports with loss, or the send-side estimate staying
 * low, without a congestion-free {@link #CONGESTED_MS} in between: it is consulted at each
 * receiver report and transport feedback), and as many layers
 * at once as the budget requires: with three layers a 300 kbit/s link should not spend seconds
 * on the middle one on its way to the small one. Back up one layer at a time, after a hold
 * without congestion, a hold that doubles each time going up failed (without probing, the
 * receiver's estimate cannot rise much while it receives a smaller layer, so going up is the
 * probe; one layer at a time because each step up costs a keyframe and may not fit). When the
 * budget already carries the next layer with a quarter to spare (the send-side estimator's
 * probes showed it, docs/congestion-control.md), a quarter of the hold is enough (at most
 * {@link #SUPPORTED_WAIT_MAX_MS}): with an 8 s hold, three layers would take 16 s from the
 * smallest back to the largest, and the issue allows 15.
 *
 * <p>Congestion on the layer the receiver gets is loss above 10 % or a receiver estimate (audio
 * subtracted: audio is never what gives way) below 3/4 of that layer's recent rate (a clear
 * shortfall). A short estimate is not always news about the link, though: a fresh one starts
 * from what the receiver was sent and climbs (at most 8 %/s, to 1.5 × what is sent), and on a
 * roomy link it may stay under the layer for seconds. So a shortfall counts only when the
 * estimate is known to describe the link:
 * <ul>
 *   <li>the link gave way since the start or the last switch: the send-side estimator cut its
 *       rate on delay over-use or on loss ({@code linkCutMs}). A climbing estimate is never cut;
 *       a cut one is what the link carries. This is what moves a receiver whose link is limited
 *       in its first seconds, before its estimate ever covered the layer;</li>
 *   <li>the estimate covered the current layer since then and has fallen;</li>
 *   <li>or {@link #ESTIMATE_GRACE_MS} have passed (for REMB, which says nothing about why it
 *       is low, and for an estimate that never climbs).</li>
 * </ul>
 * On the smallest layer there is nowhere to go: only loss counts there, to restart the hold.
 *
 * <p>At once, without the congested second, when the link gave way and the budget is under
 * half the layer: that is no wobble of the estimate, and each second spent on the layer queues
 * more of it at the bottleneck, ahead of the smaller layer's keyframe. Also at once when the
 * link gives way <em>now</em> (a cut newer than the one seen at the last consultation) and
 * leaves the budget short of the layer: a cut sets the estimate to what the receiver
 * acknowledged, so a short budget right after one is the link's measure, not a wobble; waiting
 * a second more only fills the queue further (issue #14: the 300 kbit/s receiver moved a second
 * after its first loss cut, with its picture already frozen). A shortfall that persists without
 * a new cut still waits the second.
 *
 * <p>Where to go down to: the largest smaller layer whose rate the (trusted) budget covers,
 * and at least one layer down (loss alone, or an unknown budget, moves one step).
 *
 * <p>Time is passed in. Single-threaded (the receiver's media loop); {@link #cap()} may be read
 * from any thread.
 */
public final class SimulcastChoice {
    /** Congestion seen this long without a clear report in between: go down (two reports a second apart). */
    public static final long CONGESTED_MS = 1_000;
    public static final long FIRST_HOLD_MS = 8_000;
    public static final long MAX_HOLD_MS = 64_000;
    /** Up this long without going down again: the next hold starts short again. */
    public static final long STABLE_MS = 30_000;
    public static final long ESTIMATE_GRACE_MS = 10_000;
    /**
     * The longest wait before a step up the budget supports (it carries the next layer with a
     * quarter to spare): a quarter of the hold, but no more than this. After two failed blind
     * steps up the hold is 32 s and its quarter 8 s per layer, which alone took the three-layer
     * receiver past the 15 s from the smallest layer back to the largest; a supported
     * step rests on probes, and a failed one cuts the estimate, whose probes then back off.
     */
    public static final long SUPPORTED_WAIT_MAX_MS = 4_000;
    /** {@code linkCutMs} when the link never gave way (or the receiver sends no transport feedback). */
    public static final long NO_CUT = Long.MIN_VALUE;
    private static final int LOSS_THRESHOLD = 25;           // in 1/256: about 10 %
    private static final long NEVER = Long.MIN_VALUE;
    /**
     * A layer slower than this is not being sent: libwebrtc pauses its largest layer when its
     * estimate cannot give it its minimum (600 kbit/s at 1280x720), and a receiver moved to a
     * paused layer would wait for a keyframe that does not come. Not gone up (or down) to.
     */
    public static final long SENT_BPS = 20_000;

    private volatile int cap;
    private long congestedSinceMs = NEVER;
    private long holdMs = FIRST_HOLD_MS;
    private long switchedAtMs = NEVER;
    /** The last switch went up: a fall soon after it means going up failed. */
    private boolean lastSwitchUp;
    private long lastCongestionMs = NEVER;
    private long firstReportMs = NEVER;
    /**
     * The estimate has covered the current layer since the start or the last switch: a fall
     * below it now is the link, not an estimate still ramping up, and needs no grace.
     */
    private boolean estimateSufficed;
    /**
     * The receiver's link is probed (a send-side estimate with padding probes): its estimate
     * shows room for the next layer when there is some, so a blind try is made only after twice
     * the hold.
     */
    private boolean probed;
    /** The {@code linkCutMs} of the last consultation: a different one is a cut that just happened. */
    private long cutSeenMs = NO_CUT;

    /**
     * Whether the receiver's estimate is probed ({@code DownStream}: it takes transport feedback).
     * Then going up waits for the estimate to carry the next layer, or for twice the hold: a
     * blind try on a link still limited froze the receiver's picture for 0.8 s within the 10 s
     * after its move down (issue #14), while a probe that fails costs 30 ms of padding.
     */
    public void probed(boolean probed) {
        this.probed = probed;
    }

    /** The largest layer the receiver should get: an index into its layers, largest first; 0 caps nothing. */
    public int cap() {
        return cap;
    }

    /**
     * A receiver report about the video it gets.
     *
     * @param fractionLost   RR fraction lost, 0..255
     * @param videoBudgetBps the receiver's estimate minus its audio, or -1 when it sends none
     * @param layerBps       what each layer costs, largest first (the presenter's recent rate for
     *                       it; 0 when unknown); at least two layers
     * @param linkCutMs      when the send-side estimator last cut the estimate because the link
     *                       gave way (over-use or loss), or {@link #NO_CUT}
     * @return true when the cap changed: the receiver's down track must move to another layer
     *         (at its next keyframe, without renegotiation: docs/simulcast.md)
     */
    public boolean onReport(int fractionLost, long videoBudgetBps, long[] layerBps, long linkCutMs, long nowMs) {
        return decide(fractionLost, videoBudgetBps, layerBps, linkCutMs, nowMs, true);
    }

    /**
     * A new send-side estimate between receiver reports (with the last report's loss). It can
     * start or complete a congested second, but not end one: the estimate wobbles from one
     * feedback to the next, and a single high sample must not restart the wait; only receiver
     * reports without congestion for {@link #CONGESTED_MS} do. It never goes up: that is decided at reports.
     */
    public boolean onEstimate(int fractionLost, long videoBudgetBps, long[] layerBps, long linkCutMs, long nowMs) {
        return decide(fractionLost, videoBudgetBps, layerBps, linkCutMs, nowMs, false);
    }

    private boolean decide(int fractionLost, long budget, long[] layerBps, long linkCutMs, long nowMs,
                           boolean report) {
        if (firstReportMs == NEVER) {
            firstReportMs = nowMs;
        }
        int last = layerBps.length - 1;
        int current = Math.min(cap, last);                   // the stream may have lost a layer
        long settledSince = switchedAtMs == NEVER ? firstReportMs : switchedAtMs;
        long rate = layerBps[current];
        boolean known = budget >= 0 && rate > 0;
        if (known && covers(budget, rate)) {
            estimateSufficed = true;
        }
        // a cut from before the last switch was about the other layer's traffic
        boolean linkGaveWay = linkCutMs != NO_CUT && linkCutMs >= settledSince;
        boolean cutNow = linkGaveWay && linkCutMs != cutSeenMs;
        cutSeenMs = linkCutMs;
        boolean trusted = known && (linkGaveWay || estimateSufficed || nowMs - settledSince >= ESTIMATE_GRACE_MS);
        boolean lossy = fractionLost > LOSS_THRESHOLD;
        boolean congested = lossy || (current < last && trusted && !covers(budget, rate));
        if (congested) {
            lastCongestionMs = nowMs;
        }
        if (congested && current < last) {
            if (congestedSinceMs == NEVER) {
                congestedSinceMs = nowMs;
            }
            // the link gave way and what it carries now is not half the layer, or it gave way just
            // now and is short of it: the queue at the bottleneck grows by the difference every
            // second, waiting only adds to the freeze
            boolean clearlyShort = linkGaveWay && known && (budget * 2 < rate || (cutNow && !covers(budget, rate)));
            if (nowMs - congestedSinceMs >= CONGESTED_MS || clearlyShort) {
                return goDown(downTo(current, budget, layerBps, trusted), nowMs);
            }
            return false;
        }
        // an episode ends after a congestion-free second, not at the first clean report:
        // Chromium reports every 100-300 ms when it loses packets, and a queue that drops in
        // bursts gives clean intervals between lossy ones (issue #14: a 300 kbit/s receiver
        // reported 33-85 % loss for 1.3 s, each time restarting the wait, and stayed on the
        // large layer 4 s more)
        if (!congested && report && nowMs - lastCongestionMs >= CONGESTED_MS) {
            congestedSinceMs = NEVER;
        }
        if (report && current > 0 && layerBps[current - 1] >= SENT_BPS) {
            long quietMs = nowMs - Math.max(switchedAtMs, lastCongestionMs);
            // headroom over the layer's average: packet overhead, its keyframes, audio's bursts
            boolean nextFits = budget >= 0 && budget * 4 >= layerBps[current - 1] * 5;
            long blindMs = probed ? 2 * holdMs : holdMs;
            if (quietMs >= blindMs || (nextFits && quietMs >= Math.min(holdMs / 4, SUPPORTED_WAIT_MAX_MS))) {
                return switchTo(current - 1, true, nowMs);
            }
        }
        return false;
    }

    /** The budget carries the layer without a clear shortfall (the 1/4 margin is the hysteresis). */
    static boolean covers(long budget, long rate) {
        return budget * 4 >= rate * 3;
    }

    /**
     * The largest layer below {@code current} that the budget carries in full (no margin: going
     * back up takes a hold, so land where the link is not short), the smallest when none does;
     * one step when the budget is not to be trusted.
     */
    private static int downTo(int current, long budget, long[] layerBps, boolean trusted) {
        int last = layerBps.length - 1;
        if (!trusted) {
            return current + 1;
        }
        for (int i = current + 1; i < last; i++) {
            if (layerBps[i] >= SENT_BPS && budget >= layerBps[i]) {
                return i;
            }
        }
        return last;
    }

    private boolean goDown(int to, long nowMs) {
        if (lastSwitchUp && nowMs - switchedAtMs < STABLE_MS) {
            holdMs = Math.min(MAX_HOLD_MS, holdMs * 2);      // going up did not last: wait longer
        } else if (lastSwitchUp || switchedAtMs == NEVER) {
            holdMs = FIRST_HOLD_MS;
        }                                                    // a further step down: the hold stands
        return switchTo(to, false, nowMs);
    }

    private boolean switchTo(int to, boolean up, long nowMs) {
        cap = to;
        lastSwitchUp = up;
        switchedAtMs = nowMs;
        congestedSinceMs = NEVER;
        estimateSufficed = false;
        return true;
    }

    /** How long the receiver stays on a smaller layer without congestion before going up one. */
    public long holdMs() {
        return holdMs;
    }
}
