package dev.parley.server.estimator;

/**
 * The delay-based rate (draft-ietf-rmcat-gcc-02 §5.5): on over-use, at once to
 * {@link #BETA} × the rate the receiver acknowledged (what actually got through just then, not
 * what we hoped; also when the rate had lagged below it); under-use holds (the queue is draining, the rate is right); otherwise up —
 * multiplicatively ({@link #MULTIPLICATIVE_PER_SECOND} a second) while far from the rate at
 * which the link last gave way, additively (about one packet per response time) near it, so
 * the next over-use comes slowly. It never rises above 1.5 × the acknowledged rate: what was
 * never sent is not known to fit (a probe proves more, {@link #raiseTo}). Single-threaded;
 * rates in bit/s, time in ms passed in.
 */
public final class AimdRateController {
    public static final double BETA = 0.85;
    public static final double MULTIPLICATIVE_PER_SECOND = 1.08;
    public static final long MIN_BPS = 10_000;
    /** A packet of ~1200 bytes every response time (~200 ms): about 48 kbit/s per second. */
    private static final double ADDITIVE_BPS_PER_SECOND = 1200 * 8 * 1000 / 200.0;
    private static final long MAX_STEP_MS = 1_000;

    private long rate = -1;
    private long lastChangeMs = Long.MIN_VALUE;
    /** The acknowledged rate at over-use, averaged: the link's capacity as far as we know. */
    private double capacity = -1;
    private double capacityVariance = 0.4;
    private boolean holding;
    private long decreases;

    /** The rate, or -1 before the first acknowledged rate is known. */
    public long rate() {
        return rate;
    }

    /**
     * One detector verdict with the current acknowledged rate ({@code ackedBps}, -1 unknown).
     *
     * @return the new rate (-1 while unknown)
     */
    public long update(BandwidthUsage usage, long ackedBps, long nowMs) {
        if (rate < 0) {
            if (ackedBps <= 0) {
                return -1;
            }
            rate = Math.max(MIN_BPS, ackedBps);
            lastChangeMs = nowMs;
        }
        long step = Math.max(0, Math.min(MAX_STEP_MS, nowMs - lastChangeMs));
        switch (usage) {
            case OVERUSING -> {
                if (!holding || nowMs - lastChangeMs >= 200) {     // one cut per response time
                    decrease(ackedBps);
                    holding = true;
                }
                lastChangeMs = nowMs;
                return rate;
            }
            case UNDERUSING -> holding = true;
            case NORMAL -> {
                holding = false;
                increase(step, ackedBps);
            }
        }
        lastChangeMs = nowMs;
        return rate;
    }

    private void decrease(long ackedBps) {
        // from what got through, even when the rate lagged below it (it rose at most to 1.5 × what
        // was sent while less was sent): the link just carried that much. The caller measures it
        // over recent arrivals (SendSideEstimator.cutBasis), so a burst does not raise it.
        long basis = ackedBps > 0 ? ackedBps : rate;
        rate = Math.max(MIN_BPS, (long) (BETA * basis));
        decreases++;
        if (ackedBps > 0) {
            if (capacity < 0) {
                capacity = ackedBps;
            } else {
                double error = (ackedBps - capacity) / capacity;
                capacityVariance = 0.95 * capacityVariance + 0.05 * error * error;
                capacity = 0.95 * capacity + 0.05 * ackedBps;
            }
        }
    }

    private void increase(long stepMs, long ackedBps) {
        if (ackedBps > 0 && capacity > 0 && ackedBps > capacity * (1 + 3 * Math.sqrt(capacityVariance))) {
            capacity = -1;                                  // well above the old capacity: it has changed
        }
        boolean nearCapacity = capacity > 0 && rate > capacity * (1 - 3 * Math.sqrt(capacityVariance));
        long raised = nearCapacity
                ? rate + (long) (ADDITIVE_BPS_PER_SECOND * stepMs / 1000.0)
                : (long) (rate * Math.pow(MULTIPLICATIVE_PER_SECOND, stepMs / 1000.0));
        long ceiling = ackedBps > 0 ? ackedBps * 3 / 2 + 10_000 : rate;
        rate = Math.max(rate, Math.min(raised, ceiling));
    }

    /** How many cuts on over-use were made (each sets the rate from what got through). */
    public long decreases() {
        return decreases;
    }

    /** A probe showed the link carries {@code bps}: the rate jumps there if it is below. */
    public void raiseTo(long bps, long nowMs) {
        if (bps > rate) {
            rate = bps;
            lastChangeMs = nowMs;
            holding = false;
        }
    }
}
