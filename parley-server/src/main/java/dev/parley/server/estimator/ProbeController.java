package dev.parley.server.estimator;

/**
 * When to probe a receiver's link and how hard. The delay-based rate cannot rise above what is
 * actually sent (×1.5), and a receiver held on a low simulcast layer sends little: without
 * probes its estimate would never show that the high layer fits. So while the estimate is below
 * what the receiver could use ({@code neededBps}: the highest layers of what it receives), a
 * cluster of padding is sent at {@link #FACTOR} × the estimate — never above {@code neededBps},
 * which is the budget: probing past what the receiver could ever be sent only wastes its link.
 * After a probe that raised the estimate the next follows soon (ramping up);
 * after one that did not, the wait doubles up to {@link #MAX_INTERVAL_MS}, so a receiver whose
 * link really is small is probed rarely. Nor is a link probed for {@link #QUIET_AFTER_CUT_MS}
 * after it gave way (the estimate was cut on over-use or loss): its queue is full or filling,
 * and a cluster at twice the estimate only adds to it, ahead of the media (issue #14: the
 * 300 kbit/s receiver's picture froze while probes went out behind the limit). libwebrtc does
 * not probe after a drop either, except to recover from one that proved short-lived; once the
 * limit is lifted the cuts stop and probing resumes. Single-threaded; time in ms passed in.
 */
public final class ProbeController {
    public static final double FACTOR = 2.0;
    /**
     * A cluster lasts at least this long at its rate. 30 ms (~1.5 KB at the rates behind a
     * 300 kbit/s link) fitted in a token bucket's burst: an HTB class's default burst is its
     * rate's share of a timer tick plus an MTU, ~1.6 KB, and such a cluster arrived at line rate
     * whatever the bucket's rate (issue #14: 417 kbit/s read behind a 300 kbit/s link).
     */
    public static final long CLUSTER_MS = 60;
    /**
     * And carries at least this many bytes: enough for the burst of a shaper with a default or
     * modest burst to be spent within the cluster's first half, whose arrival {@link ProbeMeter}
     * does not trust; libwebrtc likewise sizes clusters by a minimum of packets and bytes.
     */
    public static final long MIN_CLUSTER_BYTES = 6_000;
    /**
     * A cluster of RTX copies of recent media (~1100 bytes each) has at least this many: a token
     * bucket with twice HTB's default burst (3.2 KB, three copies) has spent it before the
     * cluster's later half, which {@link ProbeMeter} judges. With six copies it had not always:
     * 374 kbit/s read behind 300 kbit/s in {@code ProbeWithMediaCopiesTest}; with eight or more,
     * at most 286k. Ten, because with eight a roomy link read as little as 76 % of the probe rate
     * (media frames sent meanwhile come in bursts a few packets do not average out), with ten
     * 85 %. Ten copies are ~11 KB, 150 ms at 600 kbit/s, fewer packets than a 30-packet queue.
     */
    public static final int MIN_COPIES = 10;
    public static final long FIRST_INTERVAL_MS = 1_000;
    /**
     * The longest wait after failed probes. Probes are the only way a receiver held on a small
     * layer learns that its link got better (its delay-based estimate stays within 1.5 × what it
     * is sent): with 32 s, after a limit had been lifted the three-layer receiver's estimate
     * stayed at 105 kbit/s for 15 s (no probe in between), and it was 27 s back on the largest
     * layer where the issue allows 15 (issue #14). libwebrtc probes an application-limited
     * link every 5 s too; a failed probe costs 30 ms at twice the estimate.
     */
    public static final long MAX_INTERVAL_MS = 5_000;
    /**
     * A probe less than this above the estimate would tell nothing worth its bytes. Small: an
     * estimate just under the high layer's cost must still be proven enough for it, and a probe
     * that fails costs 30 ms and doubles the wait.
     */
    private static final double MIN_GAIN = 1.05;
    /** No probe this long after the link gave way. */
    public static final long QUIET_AFTER_CUT_MS = 4_000;
    /**
     * No probe this long after the receiver moved to another layer; after a move that followed
     * the last cut, this long instead of {@link #QUIET_AFTER_CUT_MS}. Up: the new layer's
     * keyframe and rate load the link, and the acknowledged rate a cut would start from still
     * counts the smaller layer (issue #14: a probe 0.4 s after the three-layer receiver stepped up
     * to the middle layer cut its estimate to 132 kbit/s and sent it back down). Down after a
     * cut: the queue the cut was about drains once the large layer stops, and waiting the full
     * quiet time left the receiver on the smallest layer for 8 s behind 300 kbit/s, a link that
     * carries the middle one.
     */
    public static final long SETTLE_AFTER_SWITCH_MS = 1_000;
    /** {@code lastCutMs} when the link never gave way. */
    public static final long NO_CUT = Long.MIN_VALUE;

    private long intervalMs = FIRST_INTERVAL_MS;
    private long lastProbeMs = Long.MIN_VALUE;
    private long estimateAtProbe = -1;
    private long switchedMs = Long.MIN_VALUE;

    /**
     * Whether to probe now, and at what rate.
     *
     * @param estimateBps the current estimate (-1 unknown: no probe)
     * @param neededBps   what the receiver's highest layers cost (≤ 0: nothing to probe for)
     * @param overusing   whether the delay trend shows a queue now (never probe into it)
     * @return the rate to probe at in bit/s, or -1 for no probe now
     */
    public long probeRate(long estimateBps, long neededBps, boolean overusing, long nowMs) {
        return probeRate(estimateBps, neededBps, overusing, NO_CUT, nowMs);
    }

    /**
     * As {@link #probeRate(long, long, boolean, long)}, with {@code lastCutMs}: when the link last
     * gave way ({@link #NO_CUT}: never); no probe within {@link #QUIET_AFTER_CUT_MS} of it.
     */
    public long probeRate(long estimateBps, long neededBps, boolean overusing, long lastCutMs, long nowMs) {
        boolean switched = switchedMs != Long.MIN_VALUE;
        // a cut within a second after a move is still about the queue the old layer left
        boolean movedSinceCut = switched && (lastCutMs == NO_CUT || switchedMs >= lastCutMs - SETTLE_AFTER_SWITCH_MS);
        if (estimateBps <= 0 || neededBps <= 0 || overusing
                || (switched && nowMs - switchedMs < SETTLE_AFTER_SWITCH_MS)
                || (lastCutMs != NO_CUT && !movedSinceCut && nowMs - lastCutMs < QUIET_AFTER_CUT_MS)) {
            return -1;
        }
        if (lastProbeMs != Long.MIN_VALUE) {
            // judge the last probe by what the estimate did since: a rise is known as soon as the
            // probe's feedback came back, and the ramp goes on 1 s after the probe. Judged only
            // once the wait was over, a success after failures (the wait stretched to 5 s behind a
            // limit) was followed by 5 s without a probe just when the link had room again.
            boolean raised = estimateBps > estimateAtProbe * 11 / 10;
            if (raised) {
                intervalMs = FIRST_INTERVAL_MS;
            }
            if (nowMs - lastProbeMs < intervalMs) {
                return -1;
            }
            if (!raised) {
                intervalMs = Math.min(MAX_INTERVAL_MS, intervalMs * 2);
            }
        }
        long target = Math.min((long) (estimateBps * FACTOR), neededBps);
        if (target < estimateBps * MIN_GAIN) {
            return -1;                                          // at (or near) the budget already
        }
        lastProbeMs = nowMs;
        estimateAtProbe = estimateBps;
        return target;
    }

    /** The receiver moved to another simulcast layer (up or down) at {@code nowMs}. */
    public void layerChanged(long nowMs) {
        switchedMs = nowMs;
    }

    /** How many bytes a cluster at {@code rateBps} carries: {@link #CLUSTER_MS} of it, at least {@link #MIN_CLUSTER_BYTES}. */
    public static long clusterBytes(long rateBps) {
        return Math.max(MIN_CLUSTER_BYTES, rateBps * CLUSTER_MS / 8_000);
    }

    /** How long (ms) {@code bytes} take at {@code rateBps}: a cluster's pacing span. */
    public static long clusterMs(long bytes, long rateBps) {
        return Math.max(1, bytes * 8_000 / rateBps);
    }

    /** The wait before the next probe. */
    public long intervalMs() {
        return intervalMs;
    }
}
