package dev.parley.server.layers;

/**
 * The REMB share of one simulcast video layer (MD9): what the presenter is told it may spend on
 * it, summed over its tracks into the one REMB of its connection.
 *
 * <p>MD9 (Galène): the minimum of the estimates of the receivers that get the layer, each
 * floored at {@link #FLOOR_BPS}; {@link #WITHOUT_RECEIVERS_BPS} when nobody gets it.
 *
 * <p>Where Parley does better (issue #14): a layer nobody gets but some receiver is waiting for
 * gets at least that receiver's estimate. libwebrtc reads the REMB as a cap on its whole
 * estimate (it negotiates transport-cc and goog-remb: its {@code availableOutgoingBitrate} was
 * exactly Parley's REMB), pauses its largest layer when the total cannot give the smaller layers
 * their targets plus that layer's minimum (600 kbit/s at 1280x720), and resumes it only with
 * more than that again (a hysteresis). Measured with Chromium's three layers after a receiver's
 * congestion: the receiver back on the middle layer held that layer's share at 204.8 kbit/s, so
 * the REMB was 102.4 + 204.8 + 512 kbit/s, the largest layer stayed paused, and the receiver,
 * waiting for it, held it at 204.8 kbit/s too (512 kbit/s in all): never back on the large layer.
 * A receiver <em>waits</em> for a layer when it is moving up to it, or when it asked for it,
 * gets a smaller one and its estimate would carry the layer's last known rate (with the
 * choice's 1/4 margin, {@link #wouldTake}).
 *
 * <p>Reset with {@link #start()} for each layer; one instance per up track, on its media loop;
 * no allocation.
 */
public final class RembShare {
    /** MD9: a receiver's estimate counts as at least this much. */
    public static final long FLOOR_BPS = 204_800;
    /** MD9: the share of a layer nobody gets. */
    public static final long WITHOUT_RECEIVERS_BPS = 512_000;

    private long limit;
    private long waiting;

    public RembShare() {
        start();
    }

    /** Starts a new share: nobody gets the layer, nobody waits for it. */
    public void start() {
        limit = -1;
        waiting = -1;
    }

    /** A receiver that gets the layer (or is moving down to it) with this estimate: it limits the share (MD9). */
    public void receiver(long estimateBps) {
        long e = Math.max(FLOOR_BPS, estimateBps);
        limit = limit < 0 ? e : Math.min(limit, e);
    }

    /** A receiver that waits for the layer with this estimate: any one of them would take it. */
    public void waiting(long estimateBps) {
        waiting = Math.max(waiting, Math.max(0, estimateBps));
    }

    /** The share: MD9's when a receiver gets the layer or nobody waits for it; else the best waiting estimate, at least MD9's. */
    public long share() {
        if (limit >= 0) {
            return limit;
        }
        return waiting >= 0 ? Math.max(WITHOUT_RECEIVERS_BPS, waiting) : WITHOUT_RECEIVERS_BPS;
    }

    /**
     * Whether an estimate would carry a layer whose last known rate (while it was sent) is
     * {@code layerBps}: not clearly short of it (3/4, as {@link SimulcastChoice} judges a layer
     * it gets). False for a layer never sent: its cost is unknown, and MD9's share applies.
     */
    public static boolean wouldTake(long estimateBps, long layerBps) {
        return layerBps > 0 && estimateBps > 0 && SimulcastChoice.covers(estimateBps, layerBps);
    }
}
