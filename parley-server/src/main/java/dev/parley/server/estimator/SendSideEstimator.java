package dev.parley.server.estimator;

import dev.parley.rtc.rtcp.TransportFeedbackReader;

/**
 * A receiver's bandwidth estimate from its own transport feedback (GCC,
 * draft-ietf-rmcat-gcc-02, send-side as libwebrtc does it): every packet sent to the receiver
 * is numbered and remembered ({@link SendHistory}); each feedback packet tells which arrived
 * when; arrivals feed the delay chain ({@link InterGroupDelay} → {@link TrendlineFilter} →
 * {@link OveruseDetector} → {@link AimdRateController}), the acknowledged-bitrate meter, and
 * the probe measurement ({@link ProbeMeter}); receiver reports feed the {@link LossLimit}.
 * The estimate is the minimum of the delay-based rate and the loss bound.
 *
 * <p>Runs on the receiver's media loop. Time in µs on our clock for sending, the receiver's
 * clock for arrivals (only differences of each are used). No allocation per packet.
 */
public final class SendSideEstimator implements TransportFeedbackReader.Listener {
    /** {@link #lastCutMs()} before the link has given way once. */
    public static final long NEVER = Long.MIN_VALUE;

    private final SendHistory history = new SendHistory();
    private final TransportFeedbackReader reader = new TransportFeedbackReader();
    private final InterGroupDelay groups = new InterGroupDelay();
    private final TrendlineFilter trend = new TrendlineFilter();
    private final OveruseDetector detector = new OveruseDetector();
    private final AimdRateController rate = new AimdRateController();
    private final AcknowledgedRate acked = new AcknowledgedRate();
    private final ProbeMeter probe = new ProbeMeter();
    private final LossLimit loss = new LossLimit();
    private long lastCutBasisBps = -1;
    private long probeResult = -1;
    private long feedbackPackets;
    private long probeRaises;
    private long lastCutMs = NEVER;
    private long lastOveruseMs = NEVER;
    /** The last probe result and when it came: what the link delivered, for an over-use soon after it. */
    private long lastProbeBps;
    private long lastProbeMs = NEVER;
    /** How long after a probe's result an over-use is taken for the probe's own queue. */
    private static final long PROBE_QUEUE_MS = 1_000;

    /** The transport-wide sequence number to stamp into the next packet. */
    public int nextSequence() {
        return history.nextSequence();
    }

    /** The packet stamped with {@link #nextSequence()} left, {@code bytes} long; {@code cluster} for probes. */
    public void sent(int bytes, long nowMicros, int cluster) {
        history.sent(bytes, nowMicros, cluster);
        probe.sent(cluster);
    }

    /**
     * The packet numbered {@code seq} went out again under the same number (a plain
     * retransmission): not a new send; its acknowledgement counts towards the acknowledged rate
     * (the bytes did arrive) but not as a delay sample (which copy arrived is unknown).
     */
    public void sentAgain(int seq) {
        history.sentAgain(seq);
    }

    /** A probe cluster of {@code packets} packets starts now: its result raises the estimate. */
    public void probing(int cluster, int packets) {
        probe.start(cluster, packets);
    }

    /** The probe cluster's last packet left: it is judged once enough of it is acknowledged. */
    public void probed(int cluster) {
        probe.ended(cluster);
    }

    /**
     * One transport feedback packet from the receiver (as {@link dev.parley.rtc.rtcp.RtcpHandler}
     * gives it), received at {@code nowMs} on our clock.
     *
     * @return false when it was malformed and nothing was learnt
     */
    public boolean onFeedback(byte[] buf, int off, int len, long nowMs) {
        if (reader.read(buf, off, len, this) < 0) {
            return false;
        }
        feedbackPackets++;
        if (probeResult > 0) {
            lastProbeBps = probeResult;
            lastProbeMs = nowMs;
            long before = estimate();
            rate.raiseTo(probeResult, nowMs);
            loss.raiseTo(probeResult);
            if (before > 0 && estimate() > before) {
                probeRaises++;
            }
            probeResult = -1;
        }
        long before = rate.rate();
        if (detector.state() == BandwidthUsage.OVERUSING) {
            lastOveruseMs = nowMs;
        }
        // An over-use right after a probe is the probe's own queue, which drains when the cluster
        // ends: the probe measured what the link delivers (its result is at most that), so the
        // rate does not fall below it. Cut from the acknowledged rate, whose 500 ms windows still
        // counted the time before the probe, it fell to 0.85 x the media alone behind 300 kbit/s
        // (~75 kbit/s); cut from 0.85 x the result, it always fell short of the 5/4 the simulcast
        // choice wants for a step up (issue #14). An over-use that outlasts the window cuts as usual.
        boolean probeQueue = detector.state() == BandwidthUsage.OVERUSING && lastProbeMs != NEVER
                && nowMs - lastProbeMs < PROBE_QUEUE_MS;
        long acknowledged = detector.state() == BandwidthUsage.OVERUSING ? recentAckedBps() : ackedBps();
        long cutsBefore = rate.decreases();
        rate.update(detector.state(), probeQueue ? Math.max(acknowledged, lastProbeBps) : acknowledged, nowMs);
        if (probeQueue) {
            rate.raiseTo(Math.min(before, lastProbeBps), nowMs);
        }
        if (before > 0 && (rate.rate() < before || !probeQueue && rate.decreases() > cutsBefore)) {
            lastCutMs = nowMs;                  // the link gave way (a cut may leave a lagging rate higher)
            lastCutBasisBps = acknowledged;
        }
        return true;
    }

    @Override
    public void onStatus(int sequence, long arrivalMicros) {
        if (arrivalMicros == TransportFeedbackReader.NOT_RECEIVED) {
            return;
        }
        int slot = history.acknowledge(sequence);
        if (slot < 0) {
            return;
        }
        long sent = history.sentMicros(slot);
        int size = history.size(slot);
        acked.add(size, sent, arrivalMicros);
        if (history.resent(slot)) {
            return;                     // its send time is the first copy's, its arrival maybe the second's
        }
        long measured = probe.acknowledged(history.cluster(slot), size, sent, arrivalMicros);
        if (measured > 0) {
            probeResult = Math.max(probeResult, measured);
        }
        if (groups.add(sent, arrivalMicros)) {
            double modified = trend.update(groups.sendDeltaMs(), groups.arrivalDeltaMs(), groups.arrivalMicros());
            detector.detect(modified, groups.sendDeltaMs(), groups.arrivalMicros() / 1000);
        }
    }

    /** A receiver report's fraction lost (0..255) about what we send it, received at {@code nowMs}. */
    public void onReceiverReport(int fractionLost, long nowMs) {
        long before = loss.limit();
        loss.onReport(fractionLost, rate.rate(), nowMs);
        if (loss.limit() < before) {
            lastCutMs = nowMs;
        }
    }

    /**
     * When (ms, the clock of {@link #onFeedback}) the link last gave way: the delay-based rate was
     * cut on over-use, or the loss bound fell; {@link #NEVER} before that happened. This is what
     * tells an estimate that is low because the link is full from one that is low because it is
     * still climbing from what the receiver was sent (it rises at most 8 %/s, and only to 1.5 ×
     * what is sent): only the former ever cuts. The simulcast choice uses it to skip its
     * start-up grace (docs/simulcast.md).
     */
    public long lastCutMs() {
        return lastCutMs;
    }

    /**
     * When (ms, the clock of {@link #onFeedback}) a feedback last found the delay trend over-using
     * (a queue growing at the bottleneck), whether or not the rate was cut then; {@link #NEVER}
     * before. Unlike {@link #lastCutMs()} loss does not set it: random loss on a radio link
     * leaves the queue alone.
     */
    public long lastOveruseMs() {
        return lastOveruseMs;
    }

    /**
     * The acknowledged rate (bit/s) over the last {@link AcknowledgedRate#WINDOW_MS} of arrivals,
     * or -1 before that much was seen: what the rate may not rise far above.
     */
    public long ackedBps() {
        long r = acked.bitsPerSecond();
        return r > 0 ? r : -1;
    }

    /**
     * What a cut on over-use starts from: what the link delivered just before it was seen, over
     * the shortest window of arrivals (150, 250, 500 ms) that holds enough to read a rate. The
     * queue has been growing for a few hundred ms by then, and only arrivals since show the
     * link's rate; a 500 ms window still counts the time before, when the receiver may have been
     * sent less (a smaller layer). -1 while nothing is known.
     */
    public long recentAckedBps() {
        long r = acked.recentBitsPerSecond();
        return r > 0 ? r : -1;
    }

    /** The acknowledged rate (bit/s) the last over-use cut started from, -1 before one. */
    public long lastCutBasisBps() {
        return lastCutBasisBps;
    }

    /** min(delay-based, loss bound) in bit/s, or -1 while no feedback has given one. */
    public long estimate() {
        long r = rate.rate();
        return r < 0 ? -1 : Math.min(r, loss.limit());
    }

    /** What the delay trend says now. */
    public BandwidthUsage usage() {
        return detector.state();
    }

    /** The last probe cluster's measured rate (bit/s), or 0 before one was measured. */
    public long lastProbeResult() {
        return lastProbeBps;
    }

    /** How many probe results raised the estimate. */
    public long probeRaises() {
        return probeRaises;
    }

    /** Transport feedback packets understood so far. */
    public long feedbackPackets() {
        return feedbackPackets;
    }
}
