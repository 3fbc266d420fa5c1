package dev.parley.server.estimator;

/**
 * The trend of the queueing delay (libwebrtc's trendline estimator, replacing the Kalman filter
 * of draft-ietf-rmcat-gcc-02 §5.3): the delay variations of packet groups are accumulated,
 * smoothed, and a least-squares line is fitted through the last {@link #WINDOW} points against
 * arrival time. A positive slope means a queue is building. The slope is scaled by how many
 * deltas it rests on (up to 60) and a gain, so that the detector's threshold, in ms, compares
 * with it. Fixed arrays; single-threaded.
 */
public final class TrendlineFilter {
    public static final int WINDOW = 20;
    private static final double SMOOTHING = 0.9;
    private static final double GAIN = 4.0;
    private static final int MAX_DELTAS = 60;

    private final double[] x = new double[WINDOW];
    private final double[] y = new double[WINDOW];
    private int count;
    private int head;
    private int deltas;
    private double accumulated;
    private double smoothed;
    private long firstArrivalMicros = Long.MIN_VALUE;
    private double trend;

    /**
     * Adds one group's delay variation and returns the modified trend (slope × deltas × gain).
     */
    public double update(double sendDeltaMs, double arrivalDeltaMs, long arrivalMicros) {
        if (firstArrivalMicros == Long.MIN_VALUE) {
            firstArrivalMicros = arrivalMicros;
        }
        deltas = Math.min(deltas + 1, MAX_DELTAS);
        accumulated += arrivalDeltaMs - sendDeltaMs;
        smoothed = SMOOTHING * smoothed + (1 - SMOOTHING) * accumulated;
        x[head] = (arrivalMicros - firstArrivalMicros) / 1000.0;
        y[head] = smoothed;
        head = (head + 1) % WINDOW;
        count = Math.min(count + 1, WINDOW);
        if (count == WINDOW) {
            trend = slope();
        }
        return modifiedTrend();
    }

    /** The last trend scaled for the detector. */
    public double modifiedTrend() {
        return trend * deltas * GAIN;
    }

    private double slope() {
        double mx = 0, my = 0;
        for (int i = 0; i < count; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= count;
        my /= count;
        double num = 0, den = 0;
        for (int i = 0; i < count; i++) {
            num += (x[i] - mx) * (y[i] - my);
            den += (x[i] - mx) * (x[i] - mx);
        }
        return den == 0 ? trend : num / den;
    }
}
