package dev.parley.server.sfu;

import dev.parley.rtc.codec.KeyframeDetector;
import dev.parley.rtc.codec.VideoCodec;
import dev.parley.rtc.rtcp.RtcpWriter;
import dev.parley.rtc.rtp.RtpPacket;
import dev.parley.server.estimator.RateMeter;
import dev.parley.server.jitter.Jitter;
import dev.parley.server.keyframe.KeyframeRequester;
import dev.parley.server.nack.NackGenerator;
import dev.parley.server.packetcache.PacketCache;
import dev.parley.server.rtptime.RtpClockMapping;

import java.util.Arrays;

/**
 * One track of a presenter (MD6: each simulcast rid is its own track): it receives the
 * decrypted packets of one SSRC, keeps them in its cache, and forwards each one to its
 * down tracks. Everything here runs on the media loop of the presenter's transport; down tracks
 * of receivers on other loops are served there ({@link Fanout}).
 */
public final class UpTrack {
    private static final int REPLAY_WINDOW = 40;                                // MD12
    /** MD13: a packet a receiver asks for and the cache lacks is NACKed upstream this much later. */
    static final long UPSTREAM_NACK_DELAY_MS = 50;
    /** Until a NACK round trip is measured (the reference's default too). */
    private static final long DEFAULT_RTT_MS = 100;

    private final UpStream stream;
    private final UpSection section;
    private final String rid;
    private final long ssrc;
    private final VideoCodec videoCodec;
    private final PacketCache cache;
    private final KeyframeDetector keyframes = new KeyframeDetector();
    private final RtpPacket view = new RtpPacket();
    private final Jitter jitter;
    private final RtpClockMapping clock;
    private final KeyframeRequester keyframeRequests = new KeyframeRequester();
    private DownTrack[] downTracks = new DownTrack[0];
    private final Fanout fanout;
    private final NackGenerator nacks = new NackGenerator();
    private final int[] nackSeqs = new int[32];

    private final byte[] rtcp = new byte[256];
    private final RateMeter received = new RateMeter(1000);
    private int lastFractionLost;
    /**
     * The highest rate this track arrived at lately, decaying by 1/16 a second; written once a
     * second on this loop, read by receivers' layer choices on theirs.
     */
    private volatile long peakBitrate;
    /**
     * The rate this track arrived at over the last few seconds (a mean of the 1 s figures, 1/4
     * weight each, so ~4 s), on the same loop and terms as {@link #peakBitrate}.
     */
    private volatile long averageBitrate;
    /**
     * What this track cost the last time it was sent (its average, or the 1 s rate when that is
     * higher, as when it resumes), kept while the presenter pauses it: the REMB share of a paused
     * layer a receiver waits for, and how far that receiver's link is probed (issue #14).
     */
    private volatile long lastSentBitrate;
    private final dev.parley.server.layers.RembShare rembShare = new dev.parley.server.layers.RembShare();
    /** Width of the last VP8 keyframe, 0 while unknown: it orders simulcast layers (UpStream). */
    private int frameWidth;
    /** AV1 with the dependency descriptor: read on keyframes for the width their structure gives. */
    private final dev.parley.server.dependencydescriptor.DependencyDescriptor keyframeDescriptor =
            new dev.parley.server.dependencydescriptor.DependencyDescriptor();
    private final dev.parley.rtc.codec.Vp8Descriptor vp8 = new dev.parley.rtc.codec.Vp8Descriptor();
    private long packetsReceived;            // media loop
    private long duplicates;                 // media loop
    private long packetsAtLastResize;
    private long lastResizeNanos = -1;
    private long rttMs = DEFAULT_RTT_MS;
    private boolean rttMeasured;

    UpTrack(UpStream stream, UpSection section, String rid, long ssrc) {
        this.stream = stream;
        this.section = section;
        this.rid = rid;
        this.ssrc = ssrc;
        this.videoCodec = section.kind().equals("video") ? VideoCodec.fromName(section.codec().encoding()) : null;
        this.cache = new PacketCache(videoCodec != null ? 512 : 64);
        this.jitter = new Jitter(section.codec().clockRate());
        this.clock = new RtpClockMapping(section.codec().clockRate());
        this.fanout = new Fanout(stream, this);
    }

    public String kind() {
        return section.kind();
    }

    public String rid() {
        return rid;
    }

    public long ssrc() {
        return ssrc;
    }

    public UpSection section() {
        return section;
    }

    public UpStream stream() {
        return stream;
    }

    /** The msid track id offered to receivers (S9): the presenter's, else the rid, else the kind. */
    public String trackId() {
        if (section.msid() != null && section.msid().trackId() != null && !section.msid().trackId().isEmpty()) {
            return rid == null ? section.msid().trackId() : section.msid().trackId() + "-" + rid;
        }
        return rid != null ? rid : section.kind();
    }

    /** A decrypted RTP packet of this track, handled as it arrives. */
    void receive(byte[] buf, int off, int len, long nowNanos) {
        receive(buf, off, len, nowNanos, nowNanos);
    }

    /**
     * A decrypted RTP packet of this track that arrived at the machine at {@code arrivalNanos},
     * handled at {@code nowNanos} (one clock, {@link System#nanoTime()}'s; see
     * {@link UpStream#receive}). Jitter and the NACK generator's view of gaps and answers measure
     * the network, so they take the arrival; rates, forwarding and due NACKs take now.
     */
    void receive(byte[] buf, int off, int len, long arrivalNanos, long nowNanos) {
        if (!view.wrap(buf, off, len)) {
            return;
        }
        int seq = view.sequenceNumber();
        if (cache.isReceived(seq)) {
            // libwebrtc pads (to probe its upload, or to keep its estimate up while a simulcast
            // layer is paused) with RTX copies of packets it sent a moment ago ("redundant
            // payload" padding). Forwarded, they cost every receiver of this layer several times
            // the layer's own rate, and they made the layer look that large to the layer choice.
            duplicates++;
            return;
        }
        boolean keyframe = videoCodec != null
                && keyframes.isKeyframe(videoCodec, buf, view.payloadOffset(), view.payloadLength());
        jitter.onPacket(view.timestamp(), arrivalNanos);
        received.add(len, nowNanos / 1_000_000);
        packetsReceived++;
        stream.counters().packet(len);
        if (section.nack()) {
            requestMissing(seq, arrivalNanos / 1_000_000, nowNanos / 1_000_000);     // MD13
        }
        cache.store(seq, view.timestamp(), keyframe, view.marker(), buf, off, len);
        if (keyframe) {
            SwitchTimeline.keyframeArrived(this, keyframeRequests.isNeeded());
            keyframeRequests.onKeyframe();
            if (videoCodec == VideoCodec.VP8) {
                noteVp8Width(buf, view.payloadOffset(), view.payloadLength());
            } else if (videoCodec == VideoCodec.AV1 && section.dependencyDescriptorExtensionId() > 0) {
                noteAv1Width();
            }
        }
        fanout.forward(view, buf, off, len, keyframe, nowNanos);
    }

    /**
     * A VP8 keyframe's width (RFC 6386 §9.1: after the 3-byte frame tag and the start code
     * 9d 01 2a, 14 bits little-endian).
     */
    private void noteVp8Width(byte[] buf, int off, int len) {
        if (!vp8.parse(buf, off, len)) {
            return;
        }
        int p = off + vp8.length();
        if (len - vp8.length() >= 10 && (buf[p + 3] & 0xFF) == 0x9d && buf[p + 4] == 0x01 && buf[p + 5] == 0x2a) {
            frameWidth = ((buf[p + 6] & 0xFF) | (buf[p + 7] & 0xFF) << 8) & 0x3FFF;
        }
    }

    /**
     * An AV1 keyframe's width from the structure its dependency descriptor attaches (libwebrtc
     * gives each spatial layer's resolution there): without it an AV1 simulcast stream's layers
     * were ordered by rate, and a large layer held down by the REMB once its receivers left
     * could swap with the small one, sending a {@code video-low} receiver back to it.
     */
    private void noteAv1Width() {
        if (keyframeDescriptor.parse(view, section.dependencyDescriptorExtensionId())
                && keyframeDescriptor.structureAttached() && keyframeDescriptor.width() > 0) {
            frameWidth = keyframeDescriptor.width();
        }
    }

    /** The width of this track's last VP8 or AV1 keyframe, or 0 when unknown (other codecs, none yet); media loop. */
    int frameWidth() {
        return frameWidth;
    }

    /** The server NACKs gaps upstream on its own (MD13), before any receiver notices them. */
    private void requestMissing(int seq, long arrivalMs, long nowMs) {
        if (seq >= 0) {
            nacks.onPacket(seq, arrivalMs);   // a gap is due 20 ms after the packet showing it arrived
        }
        int n = nacks.collect(nowMs, nackSeqs);
        if (n > 0) {
            int len = RtcpWriter.nack(rtcp, 0, stream.localSsrc(), ssrc, nackSeqs, n);
            if (len > 0) {
                stream.counters().add(StreamCounters.NACKS, n);
                stream.transport().sendRtcp(rtcp, 0, len);
            }
        }
    }

    /** {@link #attach} from any thread: on this track's loop. */
    void attachFromAnyLoop(DownTrack d) {
        Fanout.runOn(stream.transport(), () -> attach(d, System.nanoTime()));
    }

    /**
     * Attaches a receiver that gets another layer of this track's simulcast set for now
     * (issue #14): it sees our packets so that it can switch to us at a keyframe, but nothing is
     * replayed or requested on its behalf until it wants us.
     */
    void attachStandbyFromAnyLoop(DownTrack d) {
        Fanout.runOn(stream.transport(), () -> attach(d, System.nanoTime(), false));
    }

    /** Whether {@code other} is another simulcast layer of the same m-section of the same presenter stream. */
    boolean isLayerOf(UpTrack other) {
        return other != this && other.stream == stream && !section.rids().isEmpty()
                && other.section.mid().equals(section.mid());
    }

    /** {@link #detach} from any thread: on this track's loop. */
    void detachFromAnyLoop(DownTrack d) {
        Fanout.runOn(stream.transport(), () -> detach(d));
    }

    /** {@link #requestKeyframe} from any thread (a receiver's PLI on its loop): on this track's loop. */
    void requestKeyframeFromAnyLoop() {
        Fanout.runOn(stream.transport(), () -> requestKeyframe(System.nanoTime()));
    }

    /**
     * A receiver on another loop NACKed {@code upSeq} (our numbering): served from the cache,
     * which is this loop's, on this loop, and resent on the receiver's; else NACKed upstream.
     */
    void serveNackFromAnyLoop(DownTrack d, int upSeq, int epoch) {
        Fanout.runOn(stream.transport(), () -> {
            int n = cache.get(upSeq, nackScratch, 0);
            if (n > 0) {
                fanout.resendTo(d, nackScratch, 0, n, epoch);
            } else {
                nackUpstream(upSeq, System.nanoTime());
            }
        });
    }

    private final byte[] nackScratch = new byte[PacketCache.SLOT_SIZE];

    /** Attaches a receiver (MD12): replays from a recent cached keyframe, else asks for one. */
    void attach(DownTrack d, long nowNanos) {
        attach(d, nowNanos, true);
    }

    private void attach(DownTrack d, long nowNanos, boolean replay) {
        DownTrack[] next = Arrays.copyOf(downTracks, downTracks.length + 1);
        next[downTracks.length] = d;
        downTracks = next;
        if (videoCodec == null || !replay) {
            fanout.add(d);
            return;
        }
        if (cache.hasKeyframeWithin(REPLAY_WINDOW)) {
            byte[] tmp = new byte[PacketCache.SLOT_SIZE];
            RtpPacket p = new RtpPacket();
            int first = cache.lastKeyframe();
            int last = cache.lastSequenceNumber();
            for (int s = first; ; s = (s + 1) & 0xFFFF) {
                int n = cache.get(s, tmp, 0);
                if (n > 0 && p.wrap(tmp, 0, n)) {
                    fanout.forwardTo(d, p, tmp, 0, n, s == first, nowNanos);
                }
                if (s == last) {
                    break;
                }
            }
        } else {
            requestKeyframe(nowNanos);
        }
        fanout.add(d);                        // after the replay: live packets follow it in order
    }

    void detach(DownTrack d) {
        fanout.remove(d);
        int i = Arrays.asList(downTracks).indexOf(d);
        if (i < 0) {
            return;
        }
        DownTrack[] next = new DownTrack[downTracks.length - 1];
        System.arraycopy(downTracks, 0, next, 0, i);
        System.arraycopy(downTracks, i + 1, next, i, downTracks.length - i - 1);
        downTracks = next;
    }

    DownTrack[] downTracks() {
        return downTracks;
    }

    /** Asks the presenter for a keyframe with a PLI, at most every 500 ms (MD11). */
    void requestKeyframe(long nowNanos) {
        keyframeRequests.request();
        if (!sendPliIfDue(nowNanos)) {
            SwitchTimeline.keyframeAsked(this, false);
        }
    }

    /** Whether a keyframe was asked for and has not arrived yet. */
    boolean keyframeRequested() {
        return keyframeRequests.isNeeded();
    }

    /** Sends a PLI when one is due; true when it did (or the presenter cannot be asked). */
    private boolean sendPliIfDue(long nowNanos) {
        if (!keyframeRequests.pollPli(nowNanos / 1_000_000)) {
            return false;
        }
        if (!section.pli()) {
            keyframeRequests.onKeyframe();       // the presenter cannot be asked: give up (MD11)
            return true;
        }
        int n = RtcpWriter.pli(rtcp, 0, stream.localSsrc(), ssrc);
        stream.counters().add(StreamCounters.PLIS, 1);
        stream.transport().sendRtcp(rtcp, 0, n);
        if (videoCodec != null) {
            SwitchTimeline.keyframeAsked(this, true);
        }
        return true;
    }

    /** Copies a cached packet into {@code dst}; returns its length or -1 (NACK service, MD13). */
    int cached(int seq, byte[] dst) {
        return cache.get(seq, dst, 0);
    }

    /**
     * A receiver asked for a packet the cache lacks (MD13): it is NACKed upstream if it has not
     * arrived 50 ms from now, when the presenter negotiated {@code nack}, and never when it is
     * older than the cached keyframe (a decoder starting there does not need it).
     */
    void nackUpstream(int seq, long nowNanos) {
        if (!section.nack()) {
            return;
        }
        int keyframe = cache.lastKeyframe();
        if (keyframe >= 0 && dev.parley.rtc.rtp.Seq16.delta(keyframe, seq) < 0) {
            return;
        }
        nacks.request(seq, nowNanos / 1_000_000, UPSTREAM_NACK_DELAY_MS);
    }

    /** Periodic RTCP towards the presenter (MD9): keyframe retry, RR, REMB; and the cache's size (MD13). */
    void tick(long nowNanos) {
        long rate = receivedBitrate(nowNanos);
        peakBitrate = Math.max(rate, peakBitrate - peakBitrate / 16);
        averageBitrate = averageBitrate == 0 ? rate : averageBitrate + (rate - averageBitrate) / 4;
        if (rate >= dev.parley.server.layers.SimulcastChoice.SENT_BPS) {
            lastSentBitrate = Math.max(averageBitrate, rate);
        }
        if (downTracks.length > 0) {
            sendPliIfDue(nowNanos);
        }
        if (section.nack()) {
            requestMissing(-1, nowMs(nowNanos), nowMs(nowNanos));           // due NACKs even when no packet arrives
        }
        resizeCache(nowNanos);
    }

    private static long nowMs(long nowNanos) {
        return nowNanos / 1_000_000;
    }

    /**
     * MD13: the cache holds rate × (RTT + 4·jitter) × 4 packets (video at least 128, audio 24,
     * at most 1024). The RTT is the last NACK round trip, smoothed; it also paces NACK retries.
     * Resizing allocates, so it happens at most once a second and only for a change of a quarter.
     */
    private void resizeCache(long nowNanos) {
        if (lastResizeNanos < 0) {
            lastResizeNanos = nowNanos;
            packetsAtLastResize = packetsReceived;
            return;
        }
        double seconds = (nowNanos - lastResizeNanos) / 1e9;
        if (seconds < 1) {
            return;
        }
        long sample = nacks.roundTripMs();
        if (sample >= 0) {
            rttMeasured = true;
            rttMs = (7 * rttMs + sample) / 8;
            nacks.setRetryIntervalMs(rttMs);
        }
        double rate = (packetsReceived - packetsAtLastResize) / seconds;
        lastResizeNanos = nowNanos;
        packetsAtLastResize = packetsReceived;
        int wanted = PacketCache.recommendedCapacity(videoCodec != null, rate, rttMs / 1000.0, jitter.jitterSeconds());
        int current = cache.capacity();
        if (Math.abs(wanted - current) * 4 > current) {
            cache.resize(wanted);
        }
    }

    int cacheCapacity() {
        return cache.capacity();
    }

    /** Appends this track's report block to the RR being built at {@code packetOff}; returns its new length. */
    int addReportBlock(byte[] buf, int packetOff, long nowNanos) {
        if (cache.lastSequenceNumber() < 0) {
            return -1;
        }
        long lsr = clock.isKnown() ? (clock.lastReportNtp() >>> 16) & 0xFFFFFFFFL : 0;
        long dlsr = clock.isKnown() ? (nowNanos - clock.lastReportNanos()) * 65536 / 1_000_000_000L : 0;
        lastFractionLost = cache.intervalFractionLost();
        int n = RtcpWriter.addReportBlock(buf, packetOff, ssrc, lastFractionLost, cache.cumulativeLost(),
                cache.extendedHighestSequenceNumber() & 0xFFFFFFFFL, jitter.jitter(), lsr, dlsr);
        cache.resetInterval();
        return n;
    }

    /** The fraction lost (0..255) of our last receiver report; media loop. */
    int lastFractionLost() {
        return lastFractionLost;
    }

    /** The smoothed NACK round trip in ms, or -1 before one was measured; media loop. */
    long measuredRttMs() {
        return rttMeasured ? rttMs : -1;
    }

    /**
     * What this track costs when nobody holds it down: its recent peak rate. A receiver whose
     * estimate limits the presenter (MD9) lowers the current rate of the layer it gets, so
     * comparing its estimate with the current rate would always find that it fits (issue #14).
     */
    long peakBitrate() {
        return peakBitrate;
    }

    /**
     * What this track has cost over the last few seconds: the simulcast choice's measure of the
     * high layer (issue #14). Not the peak: one keyframe lifts a 1 s window by as much as the
     * layer's whole rate, and the peak keeps that for many seconds (it halves in 11 s), so an
     * estimate that carries the layer well looked short of it. Not the current rate either:
     * a receiver holding the presenter down (MD9) lowers it within seconds, while this follows
     * over ~4 s, by which time a congested receiver has long been moved (it takes ~1 s).
     */
    long averageBitrate() {
        return averageBitrate;
    }

    /** What this track cost when it was last sent, kept while it is paused; 0 if never. Any thread. */
    long lastSentBitrate() {
        return lastSentBitrate;
    }

    /** Packets that arrived again after this track had them (media loop): dropped, not forwarded. */
    long duplicatesDropped() {
        return duplicates;
    }

    /** The bit rate at which the presenter sends this track. */
    long receivedBitrate(long nowNanos) {
        return received.bitsPerSecond(nowNanos / 1_000_000);
    }

    /** This track's line of {@code .stats} (H48); media loop only. */
    com.fasterxml.jackson.databind.node.ObjectNode statistics(long nowNanos) {
        var o = dev.parley.protocol.Json.object();
        o.put("bitrate", receivedBitrate(nowNanos));
        o.put("maxBitrate", rembBitrate(nowNanos));
        o.put("loss", lastFractionLost / 256.0);
        double jitterMs = jitter.jitterSeconds() * 1000;
        if (jitterMs > 0) {
            o.put("jitter", jitterMs);
        }
        return o;
    }

    /**
     * The bitrate to announce with REMB (MD9): limited by the receivers that get this layer;
     * beyond MD9, a layer nobody gets but a receiver waits for gets that receiver's estimate
     * ({@link dev.parley.server.layers.RembShare} says why: otherwise libwebrtc never resumes
     * a paused large layer).
     */
    long rembBitrate(long nowNanos) {
        if (section.kind().equals("audio") || "l".equals(rid)) {
            return 102400;
        }
        rembShare.start();
        for (DownTrack d : downTracks) {
            if (d.limitsPresenter(this)) {
                rembShare.receiver(d.presenterEstimate(nowNanos));
            } else if (d.waitsFor(this, lastSentBitrate, nowNanos)) {
                rembShare.waiting(d.presenterEstimate(nowNanos));
            }
        }
        return rembShare.share();
    }

    /** MD9's REMB for a video track that no receiver limits: 512 kbit/s, 100 kbit/s for rid {@code l}. */
    static long rembWithoutReceivers(String rid) {
        return "l".equals(rid) ? 102400 : dev.parley.server.layers.RembShare.WITHOUT_RECEIVERS_BPS;
    }

    void senderReport(long ntp, long rtp, long nowNanos) {
        clock.onSenderReport(ntp, rtp, nowNanos);
    }

    /**
     * The presenter's NTP/RTP mapping, extrapolated to now, which SRs to receivers relay
     * (MD9, pitfall 6); unknown until the presenter's first SR.
     */
    RtpClockMapping clock() {
        return clock;
    }
}
