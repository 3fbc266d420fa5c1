package dev.parley.server.estimator;

/**
 * The loss-based bound that goes with a delay-based estimate (draft-ietf-rmcat-gcc-02 §6):
 * delay sees queues, loss sees what delay cannot (a shallow buffer that drops before it
 * delays, a lossy radio link). Above 10 % loss the bound falls to the current estimate ×
 * (1 − loss/2) — the estimate, not what was measured sent, which is near zero in the first
 * second and after a pause; below 2 % it rises 8 % a report and, once it reaches the
 * delay-based rate, no longer binds; in between it holds. A probe that got through lifts it
 * at once ({@link #raiseTo}). Unlike {@link LossBasedEstimator} it starts unbounded: the
 * delay-based part gives the figure, this one only cuts it. Single-threaded; rates in bit/s.
 */
public final class LossLimit {
    private static final int HIGH_LOSS = 26;        // in 1/256: about 10 %
    private static final int LOW_LOSS = 5;          // about 2 %

    private long limit = Long.MAX_VALUE;

    /** A receiver report: {@code fractionLost} 0..255 while the delay-based rate was {@code delayBasedBps}. */
    public void onReport(int fractionLost, long delayBasedBps) {
        if (delayBasedBps <= 0) {
            return;
        }
        long current = Math.min(limit, delayBasedBps);
        if (fractionLost > HIGH_LOSS) {
            limit = Math.max(AimdRateController.MIN_BPS, current * (512 - fractionLost) / 512);
        } else if (fractionLost < LOW_LOSS && limit != Long.MAX_VALUE) {
            limit = limit * 108 / 100;
            if (limit >= delayBasedBps) {
                limit = Long.MAX_VALUE;
            }
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
