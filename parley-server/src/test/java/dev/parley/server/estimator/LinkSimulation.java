package dev.parley.server.estimator;

import dev.parley.rtc.rtcp.TransportFeedbackWriter;

/**
 * A sender, a bottleneck and a receiver in simulated time, feeding a {@link SendSideEstimator}
 * with real transport feedback bytes ({@link TransportFeedbackWriter}): the bottleneck is a FIFO
 * queue drained at {@link #capacityBps} after a fixed propagation delay, with a tail-drop
 * buffer; the receiver sends feedback every 50 ms about what arrived. Video is sent as frames
 * every 33 ms of up to 1200-byte packets at {@link #sendBps}. Deterministic.
 */
final class LinkSimulation {
    static final long FEEDBACK_INTERVAL_US = 50_000;
    static final long PROPAGATION_US = 20_000;
    private static final int PACKET = 1200;
    private static final long FRAME_US = 33_333;
    private static final long AUDIO_US = 20_000;
    private static final long BUFFER_US = 400_000;         // a deep buffer: delay grows before loss

    final SendSideEstimator estimator = new SendSideEstimator();
    long capacityBps;
    /**
     * A token bucket in front of the queue when positive (tbf, an HTB class): up to this many
     * bytes pass at line rate after a quiet spell, then packets leave at {@link #capacityBps}.
     * 0: a plain FIFO served at the capacity.
     */
    long burstBytes;
    long sendBps;
    long nowUs;
    boolean sawOveruse;
    /** Audio on top of {@link #sendBps}: a packet of this many bytes every 20 ms (0: none). */
    int audioBytes;
    /** The estimate right after the first cut (over-use or loss), and when (ms); -1 before. */
    long firstCutBps = -1;
    long firstCutMs = -1;

    private final TransportFeedbackWriter writer = new TransportFeedbackWriter(4096);
    private final long[] arrivals = new long[1 << 16];
    private final byte[] fb = new byte[1500];
    private long linkFreeAt;
    /** Tokens in the bucket when the last packet left ({@link #burstBytes} &gt; 0). */
    private double bucketTokens;
    private int firstUnreported = -1;
    private int lastSent = -1;
    private long nextFrameUs;
    private long nextAudioUs;
    private long nextFeedbackUs = FEEDBACK_INTERVAL_US;
    private int feedbackCount;
    // the probe cluster being sent
    private int probeCluster = SendHistory.NO_CLUSTER;
    private int probeLeft;
    private int probeSize;
    private long probeGapUs;
    private long nextProbeUs;

    LinkSimulation(long capacityBps, long sendBps) {
        this.capacityBps = capacityBps;
        this.sendBps = sendBps;
    }

    /** Runs for {@code us}; {@code follow} makes the sender send at the estimate (capped at {@code sendBps}). */
    void run(long us, boolean follow) {
        long end = nowUs + us;
        nextAudioUs = Math.max(nextAudioUs, nowUs);
        while (nowUs < end) {
            long next = Math.min(nextFrameUs, nextFeedbackUs);
            if (audioBytes > 0) {
                next = Math.min(next, nextAudioUs);
            }
            if (probeLeft > 0 && nextProbeUs <= next) {
                nowUs = nextProbeUs;
                send(probeSize, probeCluster);
                nextProbeUs += probeGapUs;
                if (--probeLeft == 0) {
                    estimator.probed(probeCluster);
                    probeCluster = SendHistory.NO_CLUSTER;
                }
                continue;
            }
            nowUs = next;
            if (audioBytes > 0 && next == nextAudioUs) {
                send(audioBytes, probeCluster);
                nextAudioUs += AUDIO_US;
            } else if (next == nextFrameUs) {
                long rate = sendBps;
                long e = estimator.estimate();
                if (follow && e > 0) {
                    rate = Math.min(rate, e);
                }
                int bytes = (int) (rate * FRAME_US / 8_000_000);
                for (int left = bytes; left > 0; left -= PACKET) {
                    send(Math.min(left, PACKET), probeCluster);
                }
                nextFrameUs += FRAME_US;
            } else {
                feedback();
                nextFeedbackUs += FEEDBACK_INTERVAL_US;
            }
        }
    }

    /**
     * A probe cluster: {@code packets} packets of {@code size} bytes paced at {@code rateBps},
     * sent as the next {@link #run} goes on; media frames sent meanwhile belong to the cluster
     * (as the server tags them).
     */
    void probe(int cluster, long rateBps, int packets, int size) {
        estimator.probing(cluster, packets);
        probeCluster = cluster;
        probeLeft = packets;
        probeSize = size;
        probeGapUs = size * 8_000_000L / rateBps;
        nextProbeUs = nowUs;
    }

    private void send(int size, int cluster) {
        int seq = estimator.nextSequence();
        estimator.sent(size, nowUs, cluster);
        long start = Math.max(nowUs + PROPAGATION_US, linkFreeAt);
        long leaves;
        double tokensLeft = 0;
        if (burstBytes > 0) {
            // the bucket refilled since the last packet left; a packet leaves once it holds its size
            double tokens = Math.min(burstBytes, tokens(start));
            leaves = tokens >= size ? start : start + (long) Math.ceil((size - tokens) * 8_000_000 / capacityBps);
            tokensLeft = Math.max(0, tokens - size);
        } else {
            leaves = start + size * 8_000_000L / capacityBps;
        }
        if (start - (nowUs + PROPAGATION_US) > BUFFER_US) {
            arrivals[seq] = TransportFeedbackWriter.NOT_RECEIVED;   // tail drop
        } else {
            linkFreeAt = leaves;
            bucketTokens = tokensLeft;
            arrivals[seq] = linkFreeAt + 1_000_000_000L;          // the receiver's clock has another origin
        }
        if (firstUnreported < 0) {
            firstUnreported = seq;
        }
        lastSent = seq;
    }

    /** The bucket's tokens (bytes) at {@code atUs}, not capped, from what the last packet left. */
    private double tokens(long atUs) {
        return bucketTokens + (double) (atUs - linkFreeAt) * capacityBps / 8_000_000;
    }

    private void feedback() {
        if (firstUnreported < 0) {
            return;
        }
        // report what has arrived by now (arrival on the receiver's clock)
        int last = firstUnreported;
        int count = 0;
        for (int s = firstUnreported; ; s = (s + 1) & 0xFFFF) {
            long a = arrivals[s];
            if (a != TransportFeedbackWriter.NOT_RECEIVED && a - 1_000_000_000L > nowUs) {
                break;
            }
            count++;
            last = s;
            if (s == lastSent) {
                break;
            }
        }
        if (count == 0) {
            return;
        }
        long[] window = new long[count];                           // test code: allocation is fine here
        for (int i = 0; i < count; i++) {
            window[i] = arrivals[(firstUnreported + i) & 0xFFFF];
        }
        int from = 0;
        while (from < count) {
            int n = writer.write(fb, 0, fb.length, 1, 2, firstUnreported + from, window, from, count - from,
                    feedbackCount++);
            if (n <= 0) {
                break;
            }
            estimator.onFeedback(fb, 0, n, nowUs / 1000);
            sawOveruse |= estimator.usage() == BandwidthUsage.OVERUSING;
            if (firstCutMs < 0 && estimator.lastCutMs() != SendSideEstimator.NEVER) {
                firstCutMs = estimator.lastCutMs();
                firstCutBps = estimator.estimate();
            }
            from += writer.covered();
        }
        firstUnreported = last == lastSent ? -1 : (last + 1) & 0xFFFF;
    }
}
