package dev.parley.server.estimator;

/**
 * Measures what a probe cluster (packets sent at a chosen rate for some tens of ms) got
 * through: the rate it was sent at and the rate it arrived at, from the acknowledged packets
 * of the cluster. If it arrived at close to the rate it was sent, the link carries that rate;
 * if slower, the arrival rate is the link's capacity (a little less, since the probe itself
 * filled the queue).
 *
 * <p>The arrival rate is the lower of the whole cluster's and its later half's (by arrival): a
 * token-bucket shaper (tbf, an HTB class) lets its burst through at line rate and only then
 * paces at its rate, so the first packets of a cluster say nothing about the link. Over the
 * whole cluster a 300 kbit/s HTB class with its default burst (~1.6 KB) passed a 30 ms cluster
 * as if it carried 417 kbit/s (issue #14); its later half arrives at the bucket's rate once the
 * burst is spent (clusters are sized for that, {@link ProbeController#clusterBytes}).
 *
 * <p>One cluster at a time; single-threaded; no allocation.
 */
public final class ProbeMeter {
    /** Fewer acknowledged packets than this say nothing reliable. */
    public static final int MIN_PACKETS = 5;
    /** Packets of a cluster remembered; more are counted in the send rate only. */
    static final int MAX_PACKETS = 128;

    private int cluster = SendHistory.NO_CLUSTER;
    private int packets;
    private long bytes;
    private long firstSent, lastSent;
    private int lastSize;
    private int expected;
    private int sentInCluster;
    private boolean complete;
    /** Arrival time and size of each acknowledged packet, kept sorted by arrival. */
    private final long[] arrivals = new long[MAX_PACKETS];
    private final int[] sizes = new int[MAX_PACKETS];
    private int kept;

    /**
     * A new cluster of at least {@code packets} packets starts: what was measured of the previous
     * is dropped. Packets sent under its id ({@link #sent}) count as well: media sent while a
     * cluster is paced belongs to it, as libwebrtc's pacer tags it, since the link carries both.
     */
    public void start(int clusterId, int packetsInCluster) {
        cluster = clusterId;
        expected = packetsInCluster;
        sentInCluster = 0;
        complete = false;
        packets = 0;
        bytes = 0;
        kept = 0;
    }

    /**
     * The last packet of {@code clusterId} left: only now is its size known, and only now can it
     * be judged (feedback on its first packets, those a token bucket's burst let through at line
     * rate, may come while it is still being sent).
     */
    public void ended(int clusterId) {
        if (clusterId == cluster && clusterId != SendHistory.NO_CLUSTER) {
            complete = true;
        }
    }

    /** A packet of {@code clusterId} left (probe or media sent during the cluster). */
    public void sent(int clusterId) {
        if (clusterId == cluster && clusterId != SendHistory.NO_CLUSTER) {
            sentInCluster++;
        }
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
            lastSize = size;
        } else if (sentMicros > lastSent) {
            lastSent = sentMicros;
            lastSize = size;
        }
        keep(size, arrivalMicros);
        packets++;
        bytes += size;
        if (!complete || packets < Math.max(MIN_PACKETS, Math.max(expected, sentInCluster) * 4 / 5)) {
            return -1;
        }
        cluster = SendHistory.NO_CLUSTER;                       // measured: once only
        long sendSpan = lastSent - firstSent;
        if (sendSpan <= 0) {
            return -1;
        }
        // n packets span n-1 gaps: the last sent (first arrived) did not take time to send (arrive)
        long sendRate = (bytes - lastSize) * 8_000_000 / sendSpan;
        long arrivalRate = Math.min(arrivalRate(0), arrivalRate(kept / 2));
        if (arrivalRate <= 0) {
            return -1;
        }
        if (arrivalRate < sendRate * 9 / 10) {
            return arrivalRate * 95 / 100;                      // the link gave way: its capacity
        }
        return Math.min(sendRate, arrivalRate);
    }

    /** Inserts a packet in arrival order (clusters are small, and mostly arrive in order). */
    private void keep(int size, long arrivalMicros) {
        if (kept == MAX_PACKETS) {
            return;
        }
        int i = kept++;
        while (i > 0 && arrivals[i - 1] > arrivalMicros) {
            arrivals[i] = arrivals[i - 1];
            sizes[i] = sizes[i - 1];
            i--;
        }
        arrivals[i] = arrivalMicros;
        sizes[i] = size;
    }

    /**
     * The rate (bit/s) the kept packets from the {@code from}-th arrival on arrived at: the bytes
     * after that packet over the time from its arrival to the last one's; -1 when that is no time.
     */
    private long arrivalRate(int from) {
        long span = arrivals[kept - 1] - arrivals[from];
        if (span <= 0) {
            return -1;
        }
        long after = 0;
        for (int i = from + 1; i < kept; i++) {
            after += sizes[i];
        }
        return after * 8_000_000 / span;
    }
}
