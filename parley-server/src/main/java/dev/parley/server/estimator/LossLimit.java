package dev.parley.server.estimator;

/**
 * The loss-based bound that goes with a delay-based estimate (draft-ietf-rmcat-gcc-02 §6):
 * delay sees queues, loss sees what delay cannot (a shallow buffer that drops before it
 * delays, a lossy radio link). Above 10 % loss the bound falls to what was sent × (1 − loss/2);
 * below 2 % it rises 8 % a report and, once above what is sent, no longer binds; in between it
 * holds. Unlike {@link LossBasedEstimator} it starts unbounded: the delay-based part gives the
 * figure, this one only cuts it. Single-threaded; rates in bit/s.
 */
public final class LossLimit {
    private static final int HIGH_LOSS = 26;        // in 1/256: about 10 %
    private static final int LOW_LOSS = 5;          // about 2 %

    private long limit = Long.MAX_VALUE;

    /** A receiver report: {@code fractionLost} 0..255 while {@code sentBps} was being sent. */
    public void onReport(int fractionLost, long sentBps) {
        if (fractionLost > HIGH_LOSS && sentBps > 0) {
            long cut = sentBps * (512 - fractionLost) / 512;
            limit = Math.max(AimdRateController.MIN_BPS, Math.min(limit, cut));
        } else if (fractionLost < LOW_LOSS && limit != Long.MAX_VALUE) {
            limit = limit * 108 / 100;
            if (limit > sentBps * 2) {
                limit = Long.MAX_VALUE;
            }
        }
    }

    /** The bound, or {@link Long#MAX_VALUE} when loss does not limit. */
    public long limit() {
        return limit;
    }
}
