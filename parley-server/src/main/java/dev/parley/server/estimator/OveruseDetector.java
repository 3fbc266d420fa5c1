package dev.parley.server.estimator;

/**
 * Turns the delay trend into over-use / under-use (draft-ietf-rmcat-gcc-02 §5.4) against an
 * adaptive threshold: the threshold follows the trend's magnitude, quickly up and slowly down,
 * so that a flow sharing a queue with loss-based TCP is not starved, and a single outlier far
 * above it does not move it. Over-use is signalled only once the trend has been above the
 * threshold for {@link #OVERUSE_TIME_MS} over at least two groups and is not falling.
 * Single-threaded.
 */
public final class OveruseDetector {
    public static final double INITIAL_THRESHOLD = 12.5;
    public static final double OVERUSE_TIME_MS = 10;
    private static final double K_UP = 0.0087;
    private static final double K_DOWN = 0.039;
    private static final double MIN_THRESHOLD = 6;
    private static final double MAX_THRESHOLD = 600;
    private static final double MAX_OUTLIER = 15;
    private static final long MAX_STEP_MS = 100;

    private double threshold = INITIAL_THRESHOLD;
    private long lastUpdateMs = Long.MIN_VALUE;
    private double timeOverusing = -1;
    private int overuseCount;
    private double previousTrend;
    private BandwidthUsage state = BandwidthUsage.NORMAL;

    /** Judges one modified trend, measured from a group sent {@code sendDeltaMs} after the previous. */
    public BandwidthUsage detect(double modifiedTrend, double sendDeltaMs, long nowMs) {
        if (modifiedTrend > threshold) {
            timeOverusing = timeOverusing < 0 ? sendDeltaMs / 2 : timeOverusing + sendDeltaMs;
            overuseCount++;
            if (timeOverusing > OVERUSE_TIME_MS && overuseCount > 1 && modifiedTrend >= previousTrend) {
                timeOverusing = 0;
                overuseCount = 0;
                state = BandwidthUsage.OVERUSING;
            }
        } else if (modifiedTrend < -threshold) {
            timeOverusing = -1;
            overuseCount = 0;
            state = BandwidthUsage.UNDERUSING;
        } else {
            timeOverusing = -1;
            overuseCount = 0;
            state = BandwidthUsage.NORMAL;
        }
        previousTrend = modifiedTrend;
        adapt(modifiedTrend, nowMs);
        return state;
    }

    private void adapt(double modifiedTrend, long nowMs) {
        if (lastUpdateMs == Long.MIN_VALUE) {
            lastUpdateMs = nowMs;
        }
        double magnitude = Math.abs(modifiedTrend);
        if (magnitude > threshold + MAX_OUTLIER) {
            lastUpdateMs = nowMs;                           // a spike: do not let it drag the threshold
            return;
        }
        double k = magnitude < threshold ? K_DOWN : K_UP;
        long step = Math.min(nowMs - lastUpdateMs, MAX_STEP_MS);
        threshold += k * (magnitude - threshold) * step;
        threshold = Math.max(MIN_THRESHOLD, Math.min(MAX_THRESHOLD, threshold));
        lastUpdateMs = nowMs;
    }

    public BandwidthUsage state() {
        return state;
    }

    public double threshold() {
        return threshold;
    }
}
