package dev.parley.server.estimator;

/**
 * Measures what a probe cluster (padding sent at a chosen rate for a few tens of ms) got
 * through: the rate it was sent at and the rate it arrived at, from the acknowledged packets
 * of the cluster. If it arrived at close to the rate it was sent, the link carries that rate;
 * if slower, the arrival rate is the link's capacity (a little less, since the probe itself
 * filled the queue). One cluster at a time; single-threaded; no allocation.
 */
public final class ProbeMeter {
    /** Fewer acknowledged packets than this say nothing reliable. */
    public static final int MIN_PACKETS = 5;

    private int cluster = SendHistory.NO_CLUSTER;
    private int packets;
    private long bytes;
    private long firstSent, lastSent, firstArrival, lastArrival;
    private int firstSize, lastSize;
    private int expected;

    /** A new cluster of {@code packets} packets starts: what was measured of the previous is dropped. */
    public void start(int clusterId, int packetsInCluster) {
        cluster = clusterId;
        expected = packetsInCluster;
        packets = 0;
        bytes = 0;
    }

    /**
     * An acknowledged packet; returns the measured rate (bit/s) once enough of the cluster has
     * been acknowledged (once per cluster), else -1.
     */
    public long acknowledged(int clusterId, int size, long sentMicros, long arrivalMicros) {
        if (clusterId == SendHistory.NO_CLUSTER || clusterId != cluster) {
            return -1;
        }
        if (packets == 0) {
            firstSent = lastSent = sentMicros;
            firstArrival = lastArrival = arrivalMicros;
            firstSize = lastSize = size;
        } else {
            if (sentMicros > lastSent) {
                lastSent = sentMicros;
                lastSize = size;
            }
            if (arrivalMicros < firstArrival) {
                firstArrival = arrivalMicros;
                firstSize = size;
            }
            lastArrival = Math.max(lastArrival, arrivalMicros);
        }
        packets++;
        bytes += size;
        if (packets < Math.max(MIN_PACKETS, expected * 4 / 5)) {
            return -1;
        }
        cluster = SendHistory.NO_CLUSTER;                       // measured: once only
        long sendSpan = lastSent - firstSent;
        long arrivalSpan = lastArrival - firstArrival;
        if (sendSpan <= 0 || arrivalSpan <= 0) {
            return -1;
        }
        // n packets span n-1 gaps: the last sent (first arrived) did not take time to send (arrive)
        long sendRate = (bytes - lastSize) * 8_000_000 / sendSpan;
        long arrivalRate = (bytes - firstSize) * 8_000_000 / arrivalSpan;
        if (arrivalRate < sendRate * 9 / 10) {
            return arrivalRate * 95 / 100;                      // the link gave way: its capacity
        }
        return Math.min(sendRate, arrivalRate);
    }
}
