package dev.parley.server.estimator;

/**
 * Delay variation between packet groups (GCC, draft-ietf-rmcat-gcc-02 §5.2): packets sent
 * within {@link #GROUP_MS} of a group's first packet form one group (a video frame, a burst of
 * padding); when a group is complete, how much later it arrived after the previous one than it
 * was sent after it is the queueing delay that built up in between. A group that arrives within
 * {@link #GROUP_MS} of the previous one while it was sent later is merged into it: such bursts
 * are the network catching up, not the queue shrinking. Packets sent before the current group
 * (reordered) are ignored. Times in microseconds, each side on its own clock. Single-threaded.
 */
public final class InterGroupDelay {
    public static final long GROUP_MS = 5;
    /** A merged burst ends here: a steady trickle of late packets must not become one endless group. */
    public static final long MAX_BURST_MS = 100;
    private static final long GROUP_US = GROUP_MS * 1000;

    private long firstSent = Long.MIN_VALUE;    // current group
    private long lastSent;
    private long lastArrival;
    private long firstArrival;
    private long prevLastSent = Long.MIN_VALUE; // previous complete group
    private long prevLastArrival;
    private double sendDeltaMs;
    private double arrivalDeltaMs;
    private long completedArrival;

    /**
     * Adds one acknowledged packet, in send order.
     *
     * @return true when it completed a group and there was one before it: then
     *         {@link #sendDeltaMs()}, {@link #arrivalDeltaMs()} and {@link #arrivalMicros()} describe it
     */
    public boolean add(long sentMicros, long arrivalMicros) {
        if (firstSent == Long.MIN_VALUE) {
            startGroup(sentMicros, arrivalMicros);
            return false;
        }
        if (sentMicros < firstSent) {
            return false;                                   // reordered on our side of the feedback
        }
        if (sentMicros - firstSent <= GROUP_US || isBurst(sentMicros, arrivalMicros)) {
            lastSent = Math.max(lastSent, sentMicros);
            lastArrival = Math.max(lastArrival, arrivalMicros);
            return false;
        }
        boolean measured = prevLastSent != Long.MIN_VALUE;
        if (measured) {
            sendDeltaMs = (lastSent - prevLastSent) / 1000.0;
            arrivalDeltaMs = (lastArrival - prevLastArrival) / 1000.0;
            completedArrival = lastArrival;
        }
        prevLastSent = lastSent;
        prevLastArrival = lastArrival;
        startGroup(sentMicros, arrivalMicros);
        return measured;
    }

    private boolean isBurst(long sentMicros, long arrivalMicros) {
        long arrivalDelta = arrivalMicros - lastArrival;
        long sendDelta = sentMicros - lastSent;
        return arrivalDelta >= 0 && arrivalDelta <= GROUP_US && arrivalDelta - sendDelta < 0
                && arrivalMicros - firstArrival < MAX_BURST_MS * 1000;
    }

    private void startGroup(long sentMicros, long arrivalMicros) {
        firstSent = sentMicros;
        lastSent = sentMicros;
        lastArrival = arrivalMicros;
        firstArrival = arrivalMicros;
    }

    public double sendDeltaMs() {
        return sendDeltaMs;
    }

    public double arrivalDeltaMs() {
        return arrivalDeltaMs;
    }

    /** When the completed group's last packet arrived (receiver's clock, µs). */
    public long arrivalMicros() {
        return completedArrival;
    }
}
