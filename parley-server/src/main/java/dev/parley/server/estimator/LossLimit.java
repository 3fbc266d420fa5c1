package dev.parley.server.estimator;

/**
 * The loss-based bound that goes with a delay-based estimate (draft-ietf-rmcat-gcc-02 §6):
 * delay sees queues, loss sees what delay cannot (a shallow buffer that drops before it
 * delays, a lossy radio link). Above 10 % loss the bound falls to the current estimate ×
 * (1 − loss/2) — the estimate, not what was measured sent, which is near zero in the first
 * second and after a pause; below 2 % it rises 8 % a report and, once it reaches the
 * delay-based rate, no longer binds; in between it holds. A probe that got through lifts it
 * at once ({@link #raiseTo}). Unlike {@link LossBasedEstimator} it starts unbounded: the
 * delay-based part gives the figure, this one only cuts it.
 *
 * <p>It moves at most once per {@link #INTERVAL_MS}, whatever the number of reports: the rule
 * assumes a report a second (the draft's RTCP interval), but Chromium puts a receiver report
 * into every compound packet it sends, and under loss it sends one per NACK, tens a second,
 * each about a handful of packets. Cut at each of those, the bound halved many times a second
 * and fell to almost nothing (measured: ~1 kbit/s within a second of a 200 kbit/s limit), so the
 * estimate took many probes and seconds to climb back once the limit was lifted.
 * Single-threaded; rates in bit/s, time in ms passed in.
 */
public final class LossLimit {
    private static final int HIGH_LOSS = 26;        // in 1/256: about 10 %
    private static final int LOW_LOSS = 5;          // about 2 %

    /** The bound changes at most this often (a report a second is what the rule was made for). */
    public static final long INTERVAL_MS = 1_000;

    private long limit = Long.MAX_VALUE;
    private long lastChangeMs = Long.MIN_VALUE;

    /**
     * A receiver report at {@code nowMs}: {@code fractionLost} 0..255 while the delay-based rate
     * was {@code delayBasedBps}.
     */
    public void onReport(int fractionLost, long delayBasedBps, long nowMs) {
        if (delayBasedBps <= 0 || (lastChangeMs != Long.MIN_VALUE && nowMs - lastChangeMs < INTERVAL_MS)) {
            return;
        }
        long current = Math.min(limit, delayBasedBps);
        if (fractionLost > HIGH_LOSS) {
            limit = Math.max(AimdRateController.MIN_BPS, current * (512 - fractionLost) / 512);
            lastChangeMs = nowMs;
        } else if (fractionLost < LOW_LOSS && limit != Long.MAX_VALUE) {
            limit = limit * 108 / 100;
            if (limit >= delayBasedBps) {
                limit = Long.MAX_VALUE;
            }
            lastChangeMs = nowMs;
        }
    }

    /** A probe showed the link carries {@code bps}. */
    public void raiseTo(long bps) {
        if (bps > limit) {
            limit = bps;
        }
    }

    /** The bound, or {@link Long#MAX_VALUE} when loss does not limit. */
    public long limit() {
        return limit;
    }
}
