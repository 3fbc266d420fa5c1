package dev.parley.server.sfu;

import dev.parley.rtc.codec.PacketFlags;
import dev.parley.rtc.codec.VideoCodec;
import dev.parley.rtc.codec.Vp8Descriptor;
import dev.parley.rtc.rtp.RtpPacket;
import dev.parley.rtc.rtp.RtpWriter;
import dev.parley.server.estimator.LossBasedEstimator;
import dev.parley.server.estimator.RateMeter;
import dev.parley.server.layers.SpatialLayerFilter;
import dev.parley.server.layers.TemporalLayerFilter;
import dev.parley.server.packetcache.PacketCache;
import dev.parley.server.seqmap.SeqMap;

/**
 * One forwarded track of a receiver: our own SSRC, the fixed payload type (MD3, MD17), its own
 * sequence numbering kept contiguous when temporal layers are dropped (MD7, pitfall 2), and a
 * loss-based rate estimate that chooses how many temporal layers it gets. Runs on the media loop
 * of the receiver's transport, which may not be the presenter's: the up track hands packets over
 * ({@link Fanout}), and what needs the up track's state (its cache, keyframe requests) is asked
 * of the presenter's loop.
 */
public final class DownTrack {
    private final DownStream stream;
    private final UpTrack up;
    private final long ssrc;
    private final int payloadType;
    private final byte[] out = new byte[PacketCache.SLOT_SIZE];
    private final byte[] scratch = new byte[PacketCache.SLOT_SIZE];
    private final RtpPacket resent = new RtpPacket();
    private final RtpPacket plain = new RtpPacket();
    private final byte[] rtxOut = new byte[PacketCache.SLOT_SIZE + dev.parley.rtc.rtp.Rtx.OSN_LENGTH];
    /** RTX towards this receiver (RFC 4588): its SSRC, or 0 to resend plain packets as Galène does. */
    private long rtxSsrc;
    private final int rtxPayloadType;
    private int rtxSeq = java.util.concurrent.ThreadLocalRandom.current().nextInt(0x10000);
    private long retransmissions;
    private final LossBasedEstimator estimator;
    private final RateMeter rate = new RateMeter(1000);

    private final SeqMap seqMap = new SeqMap();
    private final VideoCodec layered;                  // VP8/VP9 get temporal-layer control, else null
    private final PacketFlags flags = new PacketFlags();
    private final TemporalLayerFilter layers = new TemporalLayerFilter();
    private final SpatialLayerFilter spatial = new SpatialLayerFilter();   // VP9 SVC (docs/svc.md)
    private boolean started;
    private int lastFractionLost;
    private long packetsSent;
    private long octetsSent;
    private long lastRtpTimestamp;

    DownTrack(DownStream stream, UpTrack up, long ssrc, long nowNanos) {
        this.stream = stream;
        this.up = up;
        this.ssrc = ssrc;
        this.payloadType = up.section().codec().payloadType();
        this.rtxPayloadType = up.section().codec().rtxPayloadType();
        this.estimator = new LossBasedEstimator();
        VideoCodec codec = up.kind().equals("video") ? VideoCodec.fromName(up.section().codec().encoding()) : null;
        this.layered = codec == VideoCodec.VP8 || codec == VideoCodec.VP9 ? codec : null;
    }

    public long ssrc() {
        return ssrc;
    }

    public UpTrack up() {
        return up;
    }

    /**
     * Forwards one packet. Video starts at a keyframe so that the receiver never has to
     * decode from the middle of a group of pictures. Frames above the temporal-layer limit
     * are dropped without leaving a gap in the receiver's sequence numbers or picture ids.
     */
    void forward(RtpPacket p, boolean keyframe, long nowNanos) {
        if (!started) {
            if (up.kind().equals("video") && !keyframe) {
                return;
            }
            started = true;
        }
        int pictureId = -1;
        boolean marker = false;
        if (layered != null && flags.parse(layered, p)) {
            pictureId = layered == VideoCodec.VP8 ? flags.pictureId() : -1;
            if (spatial.cap(stream.spatialLayerCap())) {
                up.requestKeyframeFromAnyLoop();                 // MD10 lifted: upper layers need a keyframe
            }
            boolean keep = layers.accept(flags, p.timestamp()) & spatial.accept(flags, p.timestamp());
            if (!keep && seqMap.drop(p.sequenceNumber(), pictureId)) {
                return;
            }
            marker = spatial.endsForwardedPicture(flags);
        }
        int n = rewrite(p, pictureId, marker);
        if (n < 0) {
            return;
        }
        packetsSent++;
        octetsSent += p.payloadLength();
        rate.add(n, nowNanos / 1_000_000);
        lastRtpTimestamp = p.timestamp();
        stream.counters().packet(n);
        stream.transport().sendRtp(out, 0, n);
    }

    /** A receiver's NACK for our sequence number {@code seq} (MD13): resent from the cache, else NACKed upstream. */
    void nacked(int seq) {
        nacked(seq, System.nanoTime());
    }

    void nacked(int seq, long nowNanos) {
        if (!started) {
            return;
        }
        stream.counters().add(StreamCounters.NACKS, 1);
        int upSeq = seqMap.reverse(seq);
        if (upSeq < 0) {
            return;                                        // never sent: dropped on purpose
        }
        if (Fanout.loopOf(transport()) != Fanout.loopOf(up.stream().transport())) {
            up.serveNackFromAnyLoop(this, upSeq);          // the cache is the presenter loop's
            return;
        }
        int n = up.cached(upSeq, scratch);
        if (n <= 0 || !resent.wrap(scratch, 0, n)) {
            up.nackUpstream(upSeq, nowNanos);
            return;
        }
        resendParsed();
    }

    /** A cached packet (the presenter's numbering) that a NACK asked for, back from the presenter's loop. */
    void resend(byte[] buf, int off, int len) {
        if (started && resent.wrap(buf, off, len)) {
            resendParsed();
        }
    }

    private void resendParsed() {
        boolean parsed = layered != null && flags.parse(layered, resent);
        int pictureId = parsed && layered == VideoCodec.VP8 ? flags.pictureId() : -1;
        // maps to the same number: resends are byte-identical (the marker unless the spatial limit moved since)
        int w = rewrite(resent, pictureId, parsed && spatial.endsForwardedPicture(flags));
        if (w <= 0) {
            return;
        }
        retransmissions++;
        stream.counters().add(StreamCounters.RETRANSMISSIONS, 1);
        if (rtxSsrc == 0 || !plain.wrap(out, 0, w)) {
            stream.transport().sendRtp(out, 0, w);
            return;
        }
        // own SSRC and sequence numbers: a plain resend would reuse an SRTP index (pitfall 4)
        int r = dev.parley.rtc.rtp.Rtx.wrap(plain, rtxOut, 0, rtxPayloadType, rtxSeq, rtxSsrc);
        if (r > 0) {
            rtxSeq = (rtxSeq + 1) & 0xFFFF;
            stream.transport().sendRtp(rtxOut, 0, r);
        }
    }

    /** Sends retransmissions as RTX on {@code ssrc} from now on, or plain when 0 (the answer decides). */
    void setRtxSsrc(long ssrc) {
        rtxSsrc = up.kind().equals("video") ? ssrc : 0;
    }

    /** Packets resent on NACKs, plain or RTX. */
    long retransmissions() {
        return retransmissions;
    }

    /**
     * Writes {@code p} into {@code out} as this receiver sees it: our SSRC and payload type, its
     * sequence number and VP8 picture id in our numbering, with the marker forced on where it
     * ends the forwarded part of a VP9 picture. Returns the length, or -1 when the packet must
     * not be sent.
     */
    private int rewrite(RtpPacket p, int pictureId, boolean forceMarker) {
        int seq = seqMap.map(p.sequenceNumber(), pictureId);
        if (seq < 0) {
            return -1;
        }
        int n = RtpWriter.writeForwarded(p, out, 0, payloadType, seq, ssrc, forceMarker);
        int pidDelta = seqMap.pictureIdDelta();
        if (n > 0 && pidDelta != 0 && pictureId >= 0) {
            Vp8Descriptor.addToPictureId(out, RtpPacket.FIXED_HEADER_LENGTH, n - RtpPacket.FIXED_HEADER_LENGTH, -pidDelta);
        }
        return n;
    }

    /**
     * A receiver report: updates the estimate, then moves one layer down when we send more
     * than 3/2 of it, or up when we send less than 7/8 of it (MD7, MD8). Layers are steps of
     * (spatial, temporal) in that order: temporal layers go first, and a spatial layer only
     * when the base temporal layer is all that is left of it.
     */
    void receiverReport(int fractionLost, long nowNanos) {
        long nowMs = nowNanos / 1_000_000;
        lastFractionLost = fractionLost;
        long sent = rate.bitsPerSecond(nowMs);
        estimator.onReceiverReport(fractionLost, sent, nowMs);
        if (layered == null) {
            return;
        }
        long estimate = estimator.estimate(nowMs);
        if (sent * 2 > estimate * 3) {
            if (!layers.down() && spatial.down()) {
                layers.wantAll();
            }
        } else if (sent * 8 < estimate * 7) {
            if (!layers.up() && spatial.up()) {
                layers.wantBase();
            }
        }
        if (spatial.awaitsKeyframe()) {
            up.requestKeyframeFromAnyLoop();           // again each report, until one gets through
        }
    }

    /** This track's line of {@code .stats} (H48); media loop only. */
    com.fasterxml.jackson.databind.node.ObjectNode statistics(long nowNanos) {
        var o = dev.parley.protocol.Json.object();
        o.put("bitrate", rate.bitsPerSecond(nowNanos / 1_000_000));
        o.put("maxBitrate", estimate(nowNanos));
        o.put("loss", lastFractionLost / 256.0);
        o.put("sid", spatial.limit());
        o.put("maxSid", spatial.highest());
        o.put("tid", layers.limit());
        o.put("maxTid", layers.highest());
        return o;
    }

    /** The temporal-layer limit in force (7 = all). */
    int temporalLimit() {
        return layers.limit();
    }

    /** The highest spatial layer forwarded now. */
    int spatialLimit() {
        return spatial.limit();
    }

    void remb(long bitrate, long nowNanos) {
        estimator.onRemb(bitrate, nowNanos / 1_000_000);
    }

    /** The receiver's REMB for this track, or -1 (none recent). */
    long remb(long nowNanos) {
        return estimator.remb(nowNanos / 1_000_000);
    }

    /** What we currently send on this track. */
    long sentBitrate(long nowNanos) {
        return rate.bitsPerSecond(nowNanos / 1_000_000);
    }

    /** Whether this receiver's estimate limits the presenter's REMB: not for recorders. */
    boolean limitsPresenter() {
        return stream.limitsPresenter();
    }

    /** min(loss-based estimate, REMB) (MD8). */
    long estimate(long nowNanos) {
        return estimator.estimate(nowNanos / 1_000_000);
    }

    /** The fraction lost (0..255) of the receiver's last report. */
    int lastFractionLost() {
        return lastFractionLost;
    }

    boolean started() {
        return started;
    }

    long packetsSent() {
        return packetsSent;
    }

    long octetsSent() {
        return octetsSent;
    }

    long lastRtpTimestamp() {
        return lastRtpTimestamp;
    }

    /** The receiver's transport: its loop runs this track. */
    MediaTransport transport() {
        return stream.transport();
    }
}
