package dev.parley.server.sfu;

import dev.parley.rtc.rtp.TransportSequence;
import dev.parley.server.estimator.BandwidthUsage;
import dev.parley.server.estimator.ProbeController;
import dev.parley.server.estimator.ProbeMeter;
import dev.parley.server.estimator.SendHistory;
import dev.parley.server.estimator.SendSideEstimator;
import dev.parley.server.transportcc.SentNumbers;

import java.util.concurrent.TimeUnit;

/**
 * One receiver's send-side bandwidth estimate (issue #14, docs/congestion-control.md): numbers
 * every packet sent to it with a transport-wide sequence number when its answer kept the
 * extension, hands its transport feedback and receiver reports to a {@link SendSideEstimator},
 * and sends probe clusters when the estimate is below what the receiver could use: RTX copies
 * of the media it was sent in the last second where there are some, else RTX padding. Media loop only, except {@link #estimate()}. Allocation-free per packet; a probe cluster
 * schedules a handful of pacing steps on the loop (a few small objects per probe, seconds apart).
 */
final class ReceiverBandwidth {
    /** Pacing step within a probe cluster. */
    private static final long STEP_MS = 5;
    private static final int MAX_PADDING = 255;
    /** RTP header and the one-word extension block around the padding. */
    private static final int PROBE_OVERHEAD = 12 + 8;

    private final SendSideEstimator estimator = new SendSideEstimator();
    private final ProbeController probes = new ProbeController();
    /** Room for a padding packet or an RTX copy of a cached packet, numbered. */
    private final byte[] probeOut = new byte[Math.max(PROBE_OVERHEAD + MAX_PADDING,
            dev.parley.server.packetcache.PacketCache.SLOT_SIZE + dev.parley.rtc.rtp.Rtx.OSN_LENGTH
                    + TransportSequence.MAX_GROWTH)];
    private final Runnable probeStep = this::probeStep;
    private int extensionId = -1;
    private volatile long estimate = -1;
    private volatile long probeClusters;
    private volatile long probeRaises;

    // the probe cluster being sent
    private MediaTransport probeTransport;
    private DownTrack probeTrack;
    private int cluster;
    private int clusterPackets;
    private int clusterSent;
    private int padding;
    /** The cluster resends RTX copies of recent media ({@link DownTrack#writeProbeCopy}); padding fills in where one fails. */
    private boolean copies;
    private long clusterStartNanos;
    /** How long the cluster is paced over: its bytes at its rate. */
    private long clusterMs;

    /** The transport-wide sequence number extension id the receiver's answer kept, or -1 (none: REMB only). */
    void setExtensionId(int id) {
        extensionId = id;
    }

    /** The extension id packets to this receiver are numbered with, or -1. */
    int extensionId() {
        return extensionId;
    }

    /** Whether packets to this receiver carry transport-wide sequence numbers. */
    boolean numbered() {
        return extensionId > 0;
    }

    /**
     * Sends one RTP packet to the receiver, numbered when it takes transport feedback. Returns the
     * transport-wide number it carries, or {@link SentNumbers#NONE}.
     */
    int send(MediaTransport transport, byte[] buf, int off, int len) {
        int number = SentNumbers.NONE;
        if (extensionId > 0) {
            int seq = estimator.nextSequence();
            int n = TransportSequence.stamp(buf, off, len, extensionId, seq);
            if (n > 0) {
                // media sent while a cluster is paced belongs to it: the link carries both, and
                // the cluster's arrival rate alone would read the probe's share of the link
                estimator.sent(n, System.nanoTime() / 1000, probeTrack != null ? cluster : SendHistory.NO_CLUSTER);
                len = n;
                number = seq;
            }
        }
        transport.sendRtp(buf, off, len);
        return number;
    }

    /**
     * Sends a packet again exactly as it first went out (a plain retransmission: same SRTP index,
     * so under GCM it must be the same bytes), with the transport-wide number it carried then,
     * {@code number} ({@link SentNumbers}), which is not counted as a new send. Returns false when
     * it was not sent because it could not be made identical: its number is forgotten, or the
     * transport refused it (other bytes under an index already sent, {@link MediaTransport#resendRtp}).
     */
    boolean resend(MediaTransport transport, byte[] buf, int off, int len, int number) {
        if (extensionId > 0 && number != SentNumbers.NONE) {
            if (number == SentNumbers.UNKNOWN) {
                return false;
            }
            int n = TransportSequence.stamp(buf, off, len, extensionId, number);
            if (n < 0) {
                return false;
            }
            estimator.sentAgain(number);
            len = n;
        }
        return transport.resendRtp(buf, off, len);
    }

    void onFeedback(byte[] buf, int off, int len, long nowNanos) {
        long cutBefore = estimator.lastCutMs();
        long before = estimate;
        if (estimator.onFeedback(buf, off, len, nowNanos / 1_000_000)) {
            estimate = estimator.estimate();
            if (estimator.lastCutMs() != cutBefore) {
                SwitchTimeline.overuse(before, estimate, estimator.lastCutBasisBps());
            }
            probeRaises = estimator.probeRaises();
        }
    }

    void onReceiverReport(int fractionLost, long nowNanos) {
        long cutBefore = estimator.lastCutMs();
        long before = estimate;
        estimator.onReceiverReport(fractionLost, nowNanos / 1_000_000);
        estimate = estimator.estimate();
        if (estimator.lastCutMs() != cutBefore) {
            SwitchTimeline.lossCut(fractionLost, before, estimate);
        }
    }

    /** The send-side estimate in bit/s, or -1 while transport feedback has not given one; any thread. */
    long estimate() {
        return estimate;
    }

    /**
     * When (ms of {@code System.nanoTime()}) the receiver's link last gave way (over-use or loss
     * cut the estimate), or {@link SendSideEstimator#NEVER}; media loop.
     */
    long lastCutMs() {
        return estimator.lastCutMs();
    }

    /** Probe clusters started, and probe results that raised the estimate; any thread. */
    long[] probeCounts() {
        return new long[]{probeClusters, probeRaises};
    }

    /**
     * Whether the receiver's link showed a growing queue (delay over-use) within the last
     * {@code withinMs}: its losses are congestion then, not a lossy radio; media loop.
     */
    boolean queueing(long nowNanos, long withinMs) {
        long at = estimator.lastOveruseMs();
        return at != SendSideEstimator.NEVER && nowNanos / 1_000_000 - at < withinMs;
    }

    /**
     * The receiver moved to another simulcast layer: probes wait a little (up: the new layer
     * loads the link; down after a cut: the queue drains, and probing need not wait out the
     * whole quiet time after the cut, {@link ProbeController#SETTLE_AFTER_SWITCH_MS}); media loop.
     */
    void layerChanged(long nowNanos) {
        probes.layerChanged(nowNanos / 1_000_000);
    }

    /** The estimator itself, for tests that feed it packets and feedback in synthetic time. */
    SendSideEstimator estimator() {
        return estimator;
    }

    /** The acknowledged rate in bit/s, or -1. */
    long acknowledged() {
        return estimator.ackedBps();
    }

    /**
     * Starts a probe cluster when the estimate is below {@code neededBps} (what the receiver's
     * highest layers cost) and the controller says it is time; the padding goes on
     * {@code video}'s RTX stream.
     */
    void maybeProbe(MediaTransport transport, DownTrack video, long neededBps, long nowNanos) {
        maybeProbe(transport, video, neededBps, 0, nowNanos);
    }

    /**
     * As {@link #maybeProbe(MediaTransport, DownTrack, long, long)}, with {@code mediaBps}, what
     * the receiver is sent now: the cluster's padding tops the media up to the probe rate (the
     * media sent meanwhile belongs to the cluster), as libwebrtc's pacer does, instead of adding
     * the whole rate on top. Padding at twice the estimate over the media of a link that was
     * nearly full overloaded it by the media's rate: each such probe behind 300 kbit/s (media
     * ~90 kbit/s) ended in delay over-use and a cut, never in a raise (issue #14).
     */
    void maybeProbe(MediaTransport transport, DownTrack video, long neededBps, long mediaBps, long nowNanos) {
        if (extensionId <= 0 || video == null || !video.canProbe() || probeTrack != null) {
            return;
        }
        long cut = estimator.lastCutMs();
        long rate = probes.probeRate(estimator.estimate(), neededBps, estimator.usage() == BandwidthUsage.OVERUSING,
                cut == SendSideEstimator.NEVER ? ProbeController.NO_CUT : cut, nowNanos / 1_000_000);
        if (rate <= 0) {
            return;
        }
        long total = ProbeController.clusterBytes(rate);
        clusterMs = ProbeController.clusterMs(total, rate);
        // at least a quarter of the rate in padding: media alone may not have enough packets
        long paddingBps = Math.max(rate - Math.max(0, mediaBps), rate / 4);
        long bytes = paddingBps * clusterMs / 8_000;
        int size = (int) Math.max(PROBE_OVERHEAD + 40, Math.min(PROBE_OVERHEAD + MAX_PADDING, bytes / 10));
        padding = size - PROBE_OVERHEAD;
        int copy = video.readyProbeCopies(nowNanos);
        copies = copy > 0;
        if (copies) {
            // RTX copies of recent media, as libwebrtc probes with when RTX is negotiated: a few
            // large packets spend a token bucket's burst early in the cluster, where small padding
            // packets needed more than a bottleneck's queue holds (issue #14)
            size = copy + dev.parley.rtc.rtp.Rtx.OSN_LENGTH;
            clusterPackets = (int) Math.max(ProbeController.MIN_COPIES, (bytes + size - 1) / size);
        } else {
            clusterPackets = (int) Math.max(ProbeMeter.MIN_PACKETS + 1, (bytes + size - 1) / size);
        }
        // more packets than the rate's bytes (the minimum count) take longer, not a higher rate
        clusterMs = Math.max(clusterMs, ProbeController.clusterMs((long) clusterPackets * size, paddingBps));
        SwitchTimeline.probe(rate, estimator.estimate(), clusterPackets, copies);
        clusterSent = 0;
        cluster++;
        probeClusters++;
        probeTransport = transport;
        probeTrack = video;
        clusterStartNanos = nowNanos;
        estimator.probing(cluster, clusterPackets);
        probeStep();
    }

    /** Sends the packets of the cluster that are due by now, and schedules the next step. */
    private void probeStep() {
        MediaTransport transport = probeTransport;
        if (transport == null || !transport.isConnected()) {
            probeTrack = null;
            return;
        }
        var loop = transport.loop();
        long elapsedMs = (System.nanoTime() - clusterStartNanos) / 1_000_000;
        int due = loop == null ? clusterPackets
                : (int) Math.min(clusterPackets, (clusterPackets * (elapsedMs + STEP_MS)) / clusterMs);
        while (clusterSent < due) {
            int seq = estimator.nextSequence();
            int n = copies ? probeTrack.writeProbeCopy(probeOut) : -1;
            if (n > 0) {
                n = TransportSequence.stamp(probeOut, 0, n, extensionId, seq);
            }
            if (n <= 0) {
                n = probeTrack.writeProbe(probeOut, padding, extensionId, seq);
            }
            if (n <= 0) {
                clusterSent = clusterPackets;
                break;
            }
            estimator.sent(n, System.nanoTime() / 1000, cluster);
            transport.sendRtp(probeOut, 0, n);
            clusterSent++;
        }
        if (clusterSent >= clusterPackets) {
            estimator.probed(cluster);
            probeTrack = null;
            probeTransport = null;
            return;
        }
        loop.eventLoop().schedule(probeStep, STEP_MS, TimeUnit.MILLISECONDS);
    }
}
