package dev.parley.server.estimator;

/**
 * A subscriber's bandwidth estimate (MD8): loss-based AIMD on receiver-report fraction lost,
 * capped by the subscriber's REMB. Constants and thresholds are the reference server's:
 * fraction lost (in 1/256) below 5 (≈2 %) multiplies by 269/256 (≈1.05), but only if the track
 * actually sends at least 3/4 of the current estimate (otherwise the bottleneck is not being
 * probed); above 25 (≈10 %) multiplies by (1 − loss/2). The result stays in [9600, 2^30] bit/s.
 * A report or REMB older than 30 s is ignored: the loss part then falls back to 524288 bit/s.
 *
 * <p>Time is passed in (milliseconds, any monotonic origin). Single-threaded.
 */
public final class LossBasedEstimator {
    public static final long INITIAL_BPS = 512_000;
    public static final long MIN_BPS = 9_600;
    public static final long MAX_BPS = 1L << 30;
    public static final long NO_REPORTS_BPS = 512 * 1024;
    public static final long REPORT_TIMEOUT_MS = 30_000;

    private long lossRate;
    private long lossRateAt = Long.MIN_VALUE;
    private long remb;
    private long rembAt = Long.MIN_VALUE;

    /**
     * Updates the loss-based part from a receiver report about this track.
     *
     * @param fractionLost     RR fraction lost, 0..255
     * @param actualRateBps    what we currently send to this subscriber
     */
    public void onReceiverReport(int fractionLost, long actualRateBps, long nowMs) {
        long rate = fresh(lossRateAt, nowMs) ? lossRate : INITIAL_BPS;
        if (rate < MIN_BPS || rate > MAX_BPS) {
            rate = INITIAL_BPS;
        }
        if (fractionLost < 5) {
            if (actualRateBps >= rate * 3 / 4) {
                rate = Math.min(MAX_BPS, rate * 269 / 256);
            }
        } else if (fractionLost > 25) {
            rate = Math.max(MIN_BPS, rate * (512 - Math.min(255, fractionLost)) / 512);
        }
        // stored even when unchanged: the timestamp says the estimate is fresh
        lossRate = rate;
        lossRateAt = nowMs;
    }

    /** Records the subscriber's REMB for this track. */
    public void onRemb(long bitrateBps, long nowMs) {
        remb = bitrateBps;
        rembAt = nowMs;
    }

    /** min(loss-based estimate, REMB), each only if reported within the last 30 s. */
    public long estimate(long nowMs) {
        long r = lossBased(nowMs);
        if (fresh(rembAt, nowMs) && remb > 0 && remb < r) {
            r = remb;
        }
        return r;
    }

    /** The receiver's own estimate (REMB) if reported within the last 30 s, else -1. */
    public long remb(long nowMs) {
        return fresh(rembAt, nowMs) && remb > 0 ? remb : -1;
    }

    /** The loss-based part alone (524288 when there has been no recent report). */
    public long lossBased(long nowMs) {
        return fresh(lossRateAt, nowMs) ? lossRate : NO_REPORTS_BPS;
    }

    private static boolean fresh(long at, long nowMs) {
        return at != Long.MIN_VALUE && nowMs >= at && nowMs - at <= REPORT_TIMEOUT_MS;
    }
}
