package dev.parley.server.sfu;

import dev.parley.rtc.codec.PacketFlags;
import dev.parley.rtc.codec.VideoCodec;
import dev.parley.rtc.codec.Vp8Descriptor;
import dev.parley.rtc.codec.Vp9Descriptor;
import dev.parley.rtc.rtp.RtpPacket;
import dev.parley.rtc.rtp.RtpWriter;
import dev.parley.rtc.rtp.TransportSequence;
import dev.parley.server.dependencydescriptor.DependencyDescriptor;
import dev.parley.server.dependencydescriptor.FrameNumbering;
import dev.parley.server.estimator.LossBasedEstimator;
import dev.parley.server.estimator.RateMeter;
import dev.parley.server.layers.SpatialLayerFilter;
import dev.parley.server.layers.TemporalLayerFilter;
import dev.parley.server.packetcache.PacketCache;
import dev.parley.server.rtptime.RtpClockMapping;
import dev.parley.server.seqmap.PictureIndices;
import dev.parley.server.seqmap.SeqMap;
import dev.parley.server.transportcc.SentNumbers;

import java.util.Arrays;

/**
 * One forwarded track of a receiver: our own SSRC, the fixed payload type (MD3, MD17), its own
 * sequence numbering kept contiguous when temporal layers are dropped (MD7, pitfall 2), and a
 * loss-based rate estimate that chooses how many temporal layers it gets. Runs on the media loop
 * of the receiver's transport, which may not be the presenter's: the up track hands packets over
 * ({@link Fanout}), and what needs the up track's state (its cache, keyframe requests) is asked
 * of the presenter's loop.
 *
 * <p>Simulcast (issue #14, docs/simulcast.md): the track is fed by one of the presenter's
 * simulcast layers at a time, its <em>source</em>, and is attached to all of them. When the
 * <em>target</em> layer changes (the receiver's request, or its link: {@link #capLayer}),
 * the target is asked for a keyframe and the source keeps being forwarded until that keyframe
 * arrives (unless the link gave way and the target is smaller: then the source stops at once,
 * so that the link's queue drains); then the target becomes the source. The receiver sees one SSRC throughout: sequence
 * numbers, RTP timestamps and VP8/VP9 picture numbering continue across the switch. Each switch
 * opens an epoch of the {@link SeqMap} with its own timestamp and index offsets, kept in a small
 * ring here, so that a NACK for a packet sent before the switch is served from the old layer's
 * cache and resent exactly as it was first sent.
 */
public final class DownTrack {
    /** Source epochs remembered for NACKs: switches are seconds apart, the cache spans less. */
    private static final int EPOCHS = 16;
    private static final long TS_MASK = 0xFFFFFFFFL;

    private final DownStream stream;
    private final long ssrc;
    private final int payloadType;
    // room for a transport-wide sequence number stamped in on the way out (ReceiverBandwidth)
    private final byte[] out = new byte[PacketCache.SLOT_SIZE + TransportSequence.MAX_GROWTH];
    private final byte[] scratch = new byte[PacketCache.SLOT_SIZE];
    private final RtpPacket resent = new RtpPacket();
    private final RtpPacket plain = new RtpPacket();
    private final byte[] rtxOut = new byte[PacketCache.SLOT_SIZE + dev.parley.rtc.rtp.Rtx.OSN_LENGTH
            + TransportSequence.MAX_GROWTH];
    /** RTX towards this receiver (RFC 4588): its SSRC, or 0 to resend plain packets as Galène does. */
    private long rtxSsrc;
    private final int rtxPayloadType;
    private int rtxSeq = java.util.concurrent.ThreadLocalRandom.current().nextInt(0x10000);
    private long retransmissions;
    /** The transport-wide number of each recent packet, for plain resends; null until the first numbered packet. */
    private SentNumbers sentNumbers;
    private final LossBasedEstimator estimator;
    private final RateMeter rate = new RateMeter(1000);

    private final SeqMap seqMap = new SeqMap();
    private final VideoCodec codec;                    // null for audio
    private final VideoCodec layered;                  // VP8/VP9 get temporal-layer control, else null
    private final PacketFlags flags = new PacketFlags();
    private final Vp8Descriptor vp8 = new Vp8Descriptor();
    private final Vp9Descriptor vp9 = new Vp9Descriptor();
    private final TemporalLayerFilter layers = new TemporalLayerFilter();
    private final int clockRate;
    private final SpatialLayerFilter spatial = new SpatialLayerFilter();   // VP9, AV1 SVC (docs/svc.md)
    /** AV1: the presenter's dependency descriptor extension id (layers come from it), else -1. */
    private final int ddIn;
    private final DependencyDescriptor dd = new DependencyDescriptor();
    /** AV1: the descriptors' frame numbers continue across simulcast switches (docs/svc.md). */
    private final FrameNumbering frameNumbers = new FrameNumbering();
    private boolean started;
    private int lastFractionLost;
    private long packetsSent;
    /**
     * Until when (ns) the receiver's link counts as lossy: it NACKed at least 1 % of what we sent
     * it between two of its reports, within the last 10 s (a quiet second on a lossy link is
     * chance, not repair). Such a link loses packets, so a retransmission may be lost too, and a second round trip freezes
     * the picture. On such a link each RTX retransmission goes out twice (two RTX sequence
     * numbers, so both pass SRTP's replay check; the receiver keeps the first). The cost is the
     * retransmissions again, a few percent. LossyReceiverTest's 5 % loss + 50 ms link froze 2, 4
     * and 8 times a minute without it (about the number of retransmissions lost), 0 and 0 with it.
     */
    private long lossyUntilNanos = Long.MIN_VALUE;
    private long lastNackNanos;
    private static final long LOSSY_HOLD_NANOS = 10_000_000_000L;
    private long nackedSinceReport;
    private long sentAtReport;
    private long octetsSent;
    private long lastRtpTimestamp;
    private long layerSwitches;

    // simulcast: the layer the receiver selected, the layers attached, what is forwarded and wanted
    private UpTrack requested;
    private UpTrack[] attachedLayers;
    /** The largest layer the receiver's link carries (SimulcastChoice): an index into attachedLayers. */
    private int layerCap;
    /**
     * Moving down because the link gave way: the old source is no longer forwarded while the
     * smaller layer's keyframe is awaited, so that the bottleneck's queue drains instead of
     * holding that keyframe behind a second of the large layer (docs/simulcast.md).
     */
    private boolean draining;
    /**
     * Epochs before this one are not repaired (NACKs for them ignored): they belong to a layer
     * left for the link ({@link #draining}); its retransmissions would queue at the bottleneck
     * ahead of the smaller layer's keyframe, and the receiver restarts at that keyframe anyway.
     */
    private int repairFromEpoch = Integer.MIN_VALUE;
    /** Packets resent less than a round trip ago are not resent again; made at the first NACK. */
    private dev.parley.server.nack.ResendLimiter resends;
    /** The round trip to the receiver from its last report (LSR/DLSR), queueing included; until then a guess. */
    private long rttMs = DEFAULT_RTT_MS;
    private static final long DEFAULT_RTT_MS = 100;
    private UpTrack source;
    private UpTrack target;

    // per epoch (index epoch % EPOCHS): its source and the offsets its packets were sent with
    private final UpTrack[] epochSource = new UpTrack[EPOCHS];
    private final long[] epochTsOffset = new long[EPOCHS];
    private final int[] epochTl0Delta = new int[EPOCHS];
    private final int[] epochKeyIdxDelta = new int[EPOCHS];
    private final int[] epochFrameShift = new int[EPOCHS];
    // the source's last forwarded indices (its own numbering) and the output's frame spacing
    private int lastTl0 = -1;
    private int lastKeyIdx = -1;
    private long frameInterval;

    // The last large packets forwarded, as sent (slot i % RECENT; made at the first), when and
    // how long, and the slots a probe cluster resends (issue #14: RTX copies of recent media as
    // probes). Kept here, not read back from the source's cache: that cache is the presenter
    // loop's, which may not be this one, and a paced cluster cannot wait for it.
    private static final int RECENT = 12;
    /** A copy is no older than this: libwebrtc's history keeps about as much for padding. */
    private static final long COPY_MAX_AGE_NANOS = 1_000_000_000L;
    /** Smaller packets are not kept: the point is few large packets (docs/congestion-control.md). */
    static final int MIN_COPY_LENGTH = 600;
    private byte[][] recent;
    private final long[] recentNanos = new long[RECENT];
    private final int[] recentLength = new int[RECENT];
    private int recentCount;
    private final int[] copySlot = new int[RECENT];
    private int copies;
    private int copyNext;

    DownTrack(DownStream stream, UpTrack up, long ssrc, long nowNanos) {
        this.stream = stream;
        this.requested = up;
        this.target = up;
        this.attachedLayers = new UpTrack[0];                  // setLayers attaches
        this.ssrc = ssrc;
        this.payloadType = up.section().codec().payloadType();
        this.rtxPayloadType = up.section().codec().rtxPayloadType();
        this.estimator = new LossBasedEstimator();
        this.codec = up.kind().equals("video") ? VideoCodec.fromName(up.section().codec().encoding()) : null;
        this.layered = codec == VideoCodec.VP8 || codec == VideoCodec.VP9 ? codec : null;
        this.ddIn = codec == VideoCodec.AV1 ? up.section().dependencyDescriptorExtensionId() : -1;
        this.clockRate = Math.max(1, up.section().codec().clockRate());
        this.frameInterval = clockRate / 30;
    }

    public long ssrc() {
        return ssrc;
    }

    /** The up track the receiver selected (the slot's track); {@link #source()} may be another layer of it. */
    public UpTrack up() {
        return requested;
    }

    /** The up track being forwarded now, or null before the first packet. */
    UpTrack source() {
        return source;
    }

    /** The up track that should be forwarded: the source, or a layer being switched to. */
    UpTrack target() {
        return target;
    }

    /** The layers this track is attached to (its requested track and that track's simulcast siblings). */
    UpTrack[] attachedLayers() {
        return attachedLayers;
    }

    /**
     * The receiver selected {@code selected} and its simulcast siblings are {@code layers}
     * (presentation order, largest first; {@code selected} among them): attaches to the new ones
     * without replay (only the target replays a cached keyframe, MD12), detaches from the gone
     * ones, and retargets. Media loop.
     */
    void setLayers(UpTrack selected, UpTrack[] layers) {
        for (UpTrack t : attachedLayers) {
            if (!contains(layers, t)) {
                t.detachFromAnyLoop(this);
                if (t == source) {
                    source = null;                     // wait for a keyframe of the new target
                }
            }
        }
        UpTrack[] before = attachedLayers;
        attachedLayers = layers.clone();
        requested = selected;
        retarget();
        for (UpTrack t : layers) {
            if (!contains(before, t)) {
                if (t == target && source == null) {
                    t.attachFromAnyLoop(this);
                } else {
                    t.attachStandbyFromAnyLoop(this);
                }
            }
        }
        if (started && source == null) {
            target.requestKeyframeFromAnyLoop();           // the layer it decoded is gone: resume at a keyframe
        }
    }

    /** Detaches from every layer (the slot is gone). */
    void detachAll() {
        for (UpTrack t : attachedLayers) {
            t.detachFromAnyLoop(this);
        }
        attachedLayers = new UpTrack[0];
    }

    /**
     * The receiver's link carries no layer larger than {@code attachedLayers[cap]}
     * ({@link dev.parley.server.layers.SimulcastChoice}; 0 caps nothing): a receiver that selected
     * the largest layer is fed that one (the smallest if there are fewer layers). One that
     * selected a smaller layer itself ({@code video-low}) keeps it.
     */
    void capLayer(int cap) {
        layerCap = cap;
        retarget();
        draining = started && source != null && target != source
                && indexOf(attachedLayers, target) > indexOf(attachedLayers, source);
        if (codec != null) {
            SwitchTimeline.capped(source, target, draining);
        }
    }

    private static int indexOf(UpTrack[] layers, UpTrack t) {
        for (int i = 0; i < layers.length; i++) {
            if (layers[i] == t) {
                return i;
            }
        }
        return -1;
    }

    private void retarget() {
        UpTrack wanted = layerCap > 0 && attachedLayers.length > 1 && requested == attachedLayers[0]
                ? attachedLayers[Math.min(layerCap, attachedLayers.length - 1)] : requested;
        if (wanted == target) {
            return;
        }
        target = wanted;
        draining = false;
        if (started && target != source) {
            target.requestKeyframeFromAnyLoop();               // the switch happens at its keyframe
        }
    }

    /**
     * The receiver asked for a keyframe (PLI, FIR: MD11): from the layer it decodes now, and from
     * the layer it is moving to, whose keyframe would also do (and completes the switch).
     */
    void requestKeyframe() {
        if (source != null) {
            source.requestKeyframeFromAnyLoop();
        }
        if (target != source) {
            target.requestKeyframeFromAnyLoop();
        }
    }


    private static boolean contains(UpTrack[] a, UpTrack t) {
        for (UpTrack x : a) {
            if (x == t) {
                return true;
            }
        }
        return false;
    }

    /**
     * Forwards one packet of {@code from}, one of the attached layers. Video starts at a keyframe
     * so that the receiver never has to decode from the middle of a group of pictures, and moves
     * to another layer only at a keyframe of it. Frames above the temporal-layer limit are dropped
     * without leaving a gap in the receiver's sequence numbers or picture ids.
     */
    void forward(UpTrack from, RtpPacket p, boolean keyframe, long nowNanos) {
        if (from != source) {
            if (from != target || (codec != null && !keyframe)) {
                return;                                 // a standby layer, or the target before its keyframe
            }
            switchTo(from, p, nowNanos);
            if (draining) {
                repairFromEpoch = seqMap.epoch();
            }
            draining = false;
        } else if (draining) {
            return;                                     // the link gave way: let its queue drain
        }
        int pictureId = -1;
        boolean marker = false;
        if (layered != null && flags.parse(layered, p)) {
            pictureId = flags.pictureId();
            // VP9 picture ids stay as sent across drops (flexible mode refers to them by difference)
            int dropPid = layered == VideoCodec.VP8 ? pictureId : -1;
            int switchTo = flags.tidUpSync() ? flags.tid() : -1;
            if (droppedLayer(from, p, flags.sid(), flags.tid(), flags.keyframe(), switchTo, dropPid)) {
                return;
            }
            marker = spatial.endsForwardedPicture(flags);
        } else if (ddIn > 0 && dd.parse(p, ddIn)) {
            // AV1: the layers from the dependency descriptor; an unreadable one forwards the packet
            boolean key = keyframe || dd.structureAttached();
            int next = layers.limit() + 1;
            int switchTo = dd.switchesTo(dd.spatialId(), next) ? next : -1;
            if (droppedLayer(from, p, dd.spatialId(), dd.temporalId(), key, switchTo, -1)) {
                return;
            }
            marker = spatial.endsForwardedPicture(dd.endOfFrame(), dd.spatialId());
        }
        noteIndices(p);
        int n = rewrite(p, pictureId, seqMap.epoch(), true, marker);
        if (n < 0) {
            return;
        }
        long outTs = RtpPacket.timestampAt(out, 0);
        long step = (outTs - lastRtpTimestamp) & TS_MASK;
        if (packetsSent > 0 && step > 0 && step <= clockRate / 2) {
            frameInterval = step;
        }
        packetsSent++;
        octetsSent += p.payloadLength();
        rate.add(n, nowNanos / 1_000_000);
        lastRtpTimestamp = outTs;
        stream.counters().packet(n);
        int number = stream.sendRtp(out, 0, n);
        if (stream.numbered()) {
            sentNumbers().record(outSeq(), number);          // a plain resend goes out with it again
        }
        if (rtxSsrc != 0 && number != SentNumbers.NONE && n >= MIN_COPY_LENGTH) {
            keepForProbes(n, nowNanos);
        }
    }

    /** The sequence number of the packet in {@link #out}. */
    private int outSeq() {
        return ((out[2] & 0xFF) << 8) | (out[3] & 0xFF);
    }

    /** Made on the first numbered packet: receivers without transport-cc never need it. */
    private SentNumbers sentNumbers() {
        if (sentNumbers == null) {
            sentNumbers = new SentNumbers();
        }
        return sentNumbers;
    }

    /**
     * Runs a packet of layers ({@code sid}, {@code tid}) through both layer filters (every packet
     * goes through both: they track frames); true when it is dropped, its sequence number
     * skipped. {@code switchTo} is the temporal layer decoding may switch up to at this frame, or -1.
     */
    private boolean droppedLayer(UpTrack from, RtpPacket p, int sid, int tid, boolean keyframe, int switchTo,
                                 int dropPid) {
        if (spatial.cap(stream.spatialLayerCap())) {
            from.requestKeyframeFromAnyLoop();              // MD10 lifted: upper layers need a keyframe
        }
        boolean keep = layers.acceptSwitching(tid, keyframe, switchTo, p.timestamp())
                & spatial.accept(sid, keyframe, p.timestamp());
        return !keep && seqMap.drop(p.sequenceNumber(), dropPid);
    }

    /**
     * {@code from} becomes the source at the packet {@code p}, a keyframe's first. The first
     * source keeps the presenter's numbering; a later one continues ours: the next sequence
     * number and picture id, the next TL0PICIDX and KEYIDX, and a timestamp one frame after the
     * last one sent, or where both layers' sender reports put it when that is later.
     */
    private void switchTo(UpTrack from, RtpPacket p, long nowNanos) {
        if (!started) {
            started = true;
            source = from;
            setEpoch(seqMap.epoch(), from, 0, 0, 0, 0);
            return;
        }
        int e = seqMap.epoch();
        int slot = e % EPOCHS;
        long tsOffset = timestampOffsetFor(from, p.timestamp(), nowNanos);
        int tl0Delta = epochTl0Delta[slot];
        int keyIdxDelta = epochKeyIdxDelta[slot];
        if (layered == VideoCodec.VP8 && vp8.parse(p.buffer(), p.payloadOffset(), p.payloadLength())) {
            if (vp8.tl0PicIdx() >= 0 && lastTl0 >= 0) {
                tl0Delta = (lastTl0 + epochTl0Delta[slot] + 1 - vp8.tl0PicIdx()) & 0xFF;
            }
            if (vp8.hasKeyIdx() && lastKeyIdx >= 0) {
                keyIdxDelta = (lastKeyIdx + epochKeyIdxDelta[slot] + 1 - vp8.keyIdx()) & 0x1F;
            }
        } else if (layered == VideoCodec.VP9 && vp9.parse(p.buffer(), p.payloadOffset(), p.payloadLength())
                && vp9.tl0PicIdx() >= 0 && lastTl0 >= 0) {
            tl0Delta = (lastTl0 + epochTl0Delta[slot] + 1 - vp9.tl0PicIdx()) & 0xFF;
        }
        SwitchTimeline.switched(source, from);
        int pictureId = layered != null && flags.parse(layered, p) ? flags.pictureId() : -1;
        int next = seqMap.switchSource(p.sequenceNumber(), pictureId);
        setEpoch(next, from, tsOffset, tl0Delta, keyIdxDelta, switchFrameShift(p, epochFrameShift[slot]));
        source = from;
        lastTl0 = -1;
        lastKeyIdx = -1;
        layerSwitches++;
        stream.counters().add(StreamCounters.LAYER_SWITCHES, 1);
    }

    /**
     * The offset that puts {@code from}'s timestamp {@code ts} on our timeline. Where both
     * layers have sender reports, their NTP/RTP mappings give the offset that keeps our own
     * mapping (and so lip sync) unchanged; it is used when it puts the frame after the last one
     * sent, by at most half a second. Otherwise (layers captured at the same instant, no
     * reports yet) the frame follows the last one by the frame spacing seen so far.
     */
    private long timestampOffsetFor(UpTrack from, long ts, long nowNanos) {
        long current = epochTsOffset[seqMap.epoch() % EPOCHS];
        RtpClockMapping was = source == null ? null : source.clock();
        RtpClockMapping next = from.clock();
        if (was != null && was.isKnown() && next.isKnown()) {
            long offset = (was.rtpTimestampAt(nowNanos) + current - next.rtpTimestampAt(nowNanos)) & TS_MASK;
            long step = (ts + offset - lastRtpTimestamp) & TS_MASK;
            if (step > 0 && step <= clockRate / 2) {
                return offset;
            }
        }
        return (lastRtpTimestamp + frameInterval - ts) & TS_MASK;
    }

    /**
     * AV1: the frame number shift that puts the switch keyframe {@code p} right after the last
     * frame sent ({@code current} when it has no descriptor).
     */
    private int switchFrameShift(RtpPacket p, int current) {
        int at = ddIn > 0 ? p.findExtension(ddIn) : -1;
        int n = at < 0 ? -1 : FrameNumbering.frameNumber(p.buffer(), at, p.lastExtensionLength());
        return n < 0 ? current : frameNumbers.shiftFor(n);
    }

    private void setEpoch(int e, UpTrack from, long tsOffset, int tl0Delta, int keyIdxDelta, int frameShift) {
        int slot = e % EPOCHS;
        epochFrameShift[slot] = frameShift;
        epochSource[slot] = from;
        epochTsOffset[slot] = tsOffset;
        epochTl0Delta[slot] = tl0Delta;
        epochKeyIdxDelta[slot] = keyIdxDelta;
    }

    /** Remembers the source's TL0PICIDX and KEYIDX of a forwarded packet: a switch continues from them. */
    private void noteIndices(RtpPacket p) {
        if (layered == VideoCodec.VP8) {
            if (vp8.parse(p.buffer(), p.payloadOffset(), p.payloadLength())) {
                if (vp8.tl0PicIdx() >= 0) {
                    lastTl0 = vp8.tl0PicIdx();
                }
                if (vp8.hasKeyIdx()) {
                    lastKeyIdx = vp8.keyIdx();
                }
            }
        } else if (layered == VideoCodec.VP9 && vp9.parse(p.buffer(), p.payloadOffset(), p.payloadLength())
                && vp9.tl0PicIdx() >= 0) {
            lastTl0 = vp9.tl0PicIdx();
        }
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
        nackedSinceReport++;
        lastNackNanos = nowNanos;
        int upSeq = seqMap.reverse(seq);
        if (upSeq < 0) {
            return;                                        // never sent: dropped on purpose
        }
        int epoch = seqMap.reversedEpoch();
        UpTrack from = epochOf(epoch);
        if (from == null || abandoned(epoch)) {
            return;                                        // sent too many switches ago, or left for the link
        }
        if (resends == null) {
            resends = new dev.parley.server.nack.ResendLimiter();
        }
        if (!resends.tryResend(seq, nowNanos / 1_000_000, rttMs)) {
            return;                                        // its resend is still on the way
        }
        if (Fanout.loopOf(transport()) != Fanout.loopOf(from.stream().transport())) {
            from.serveNackFromAnyLoop(this, upSeq, epoch);  // the cache is the presenter loop's
            return;
        }
        int n = from.cached(upSeq, scratch);
        if (n <= 0 || !resent.wrap(scratch, 0, n)) {
            from.nackUpstream(upSeq, nowNanos);
            return;
        }
        resendParsed(epoch);
    }

    /**
     * Whether packets of {@code epoch} belong to a layer left behind because the link gave way:
     * the source being drained, or one before the switch that ended a drain. Not repaired.
     */
    private boolean abandoned(int epoch) {
        return (draining && epoch == seqMap.epoch())
                || (repairFromEpoch != Integer.MIN_VALUE && epoch - repairFromEpoch < 0);
    }

    /** The source of {@code epoch}, or null when its entry was reused by a later switch. */
    private UpTrack epochOf(int epoch) {
        return seqMap.epoch() - epoch < EPOCHS ? epochSource[epoch % EPOCHS] : null;
    }

    /** A cached packet of {@code epoch}'s source (the presenter's numbering) that a NACK asked for, back from the presenter's loop. */
    void resend(byte[] buf, int off, int len, int epoch) {
        if (started && epochOf(epoch) != null && !abandoned(epoch) && resent.wrap(buf, off, len)) {
            resendParsed(epoch);
        }
    }

    private void resendParsed(int epoch) {
        boolean parsed = layered != null && flags.parse(layered, resent);
        int pictureId = parsed ? flags.pictureId() : -1;
        // maps to the same number: resends are byte-identical (the marker unless the spatial limit moved since)
        boolean marker = parsed ? spatial.endsForwardedPicture(flags) : ddIn > 0 && endsForwardedAv1Frame(resent);
        int w = rewrite(resent, pictureId, epoch, false, marker);
        if (w <= 0) {
            return;
        }
        if (rtxSsrc == 0 || !plain.wrap(out, 0, w)) {
            // the same SRTP index again: only byte-identical, so with the transport-wide number it first had
            int number = sentNumbers == null ? SentNumbers.UNKNOWN : sentNumbers.numberOf(outSeq());
            if (stream.resendRtp(out, 0, w, number)) {
                countRetransmission();
            }
            return;
        }
        countRetransmission();
        // own SSRC and sequence numbers: a plain resend would reuse an SRTP index (pitfall 4)
        // twice on a lossy link, but not on a congested one: there the copy only adds to the queue
        for (int copy = lossyLink() && !stream.queueing(lastNackNanos) ? 2 : 1; copy > 0; copy--) {
            int r = dev.parley.rtc.rtp.Rtx.wrap(plain, rtxOut, 0, rtxPayloadType, rtxSeq, rtxSsrc);
            if (r <= 0) {
                return;
            }
            rtxSeq = (rtxSeq + 1) & 0xFFFF;
            stream.sendRtp(rtxOut, 0, r);
        }
    }

    private void countRetransmission() {
        retransmissions++;
        stream.counters().add(StreamCounters.RETRANSMISSIONS, 1);
    }

    /** Whether a resent AV1 packet ends the frame of the highest layer forwarded (read without changing the stream's state). */
    private boolean endsForwardedAv1Frame(RtpPacket p) {
        int sid = dd.endedLayer(p, ddIn);
        return sid >= 0 && spatial.endsForwardedPicture(true, sid);
    }

    private boolean lossyLink() {
        return lossyUntilNanos != Long.MIN_VALUE && lastNackNanos - lossyUntilNanos < 0;
    }

    /** Whether bandwidth probes can go on this track: RTX copies or padding-only packets on its RTX stream. */
    boolean canProbe() {
        return started && rtxSsrc != 0;
    }

    /**
     * Writes a bandwidth probe into {@code dst}: a padding-only packet on the RTX stream (its own
     * sequence numbers: the media numbering is untouched), numbered {@code transportSeq} with
     * extension {@code extensionId}. Returns its length, or -1 when there is no RTX stream.
     */
    int writeProbe(byte[] dst, int padding, int extensionId, int transportSeq) {
        if (!canProbe()) {
            return -1;
        }
        int n = TransportSequence.writePadding(dst, 0, rtxPayloadType, rtxSeq, lastRtpTimestamp, rtxSsrc,
                extensionId, transportSeq, padding);
        if (n > 0) {
            rtxSeq = (rtxSeq + 1) & 0xFFFF;
        }
        return n;
    }

    /**
     * Keeps the packet just sent from {@link #out} for probes: a copy of 0.6-1.2 KB per large
     * packet to a receiver with RTX and transport-cc (the slots, ~18 KB, made at the first).
     */
    private void keepForProbes(int n, long nowNanos) {
        if (recent == null) {
            recent = new byte[RECENT][out.length];
        }
        int slot = recentCount++ % RECENT;
        System.arraycopy(out, 0, recent[slot], 0, n);
        recentNanos[slot] = nowNanos;
        recentLength[slot] = n;
    }

    /**
     * Readies a probe cluster of RTX copies of recent media (issue #14): the packets of at least
     * {@link #MIN_COPY_LENGTH} bytes sent to this receiver within the last second, newest first;
     * none while the source is being left for the link. Returns the smallest of their lengths as
     * sent (the copy adds its OSN), or -1 when there is none: pad then.
     */
    int readyProbeCopies(long nowNanos) {
        copies = 0;
        copyNext = 0;
        if (!canProbe() || draining) {
            return -1;
        }
        int smallest = Integer.MAX_VALUE;
        for (int i = 1; i <= Math.min(recentCount, RECENT); i++) {
            int slot = (recentCount - i) % RECENT;
            if (nowNanos - recentNanos[slot] > COPY_MAX_AGE_NANOS) {
                break;
            }
            copySlot[copies++] = slot;
            smallest = Math.min(smallest, recentLength[slot]);
        }
        return copies == 0 ? -1 : smallest;
    }

    /**
     * Writes the next of the copies {@link #readyProbeCopies} chose into {@code dst} (round
     * robin): the packet as sent to this receiver, wrapped as RTX (our RTX SSRC, payload type
     * and sequence numbers, the OSN its media sequence number). The receiver has the packet
     * already and drops the copy, or repairs a loss with it. Returns its length, or -1: pad then.
     */
    int writeProbeCopy(byte[] dst) {
        if (copies == 0 || !canProbe()) {
            return -1;
        }
        int slot = copySlot[copyNext++ % copies];
        if (!plain.wrap(recent[slot], 0, recentLength[slot])) {
            return -1;
        }
        int r = dev.parley.rtc.rtp.Rtx.wrap(plain, dst, 0, rtxPayloadType, rtxSeq, rtxSsrc);
        if (r > 0) {
            rtxSeq = (rtxSeq + 1) & 0xFFFF;
        }
        return r;
    }

    /** Sends retransmissions as RTX on {@code ssrc} from now on, or plain when 0 (the answer decides). */
    void setRtxSsrc(long ssrc) {
        rtxSsrc = codec != null ? ssrc : 0;
    }

    /** Packets resent on NACKs, plain or RTX. */
    long retransmissions() {
        return retransmissions;
    }

    /**
     * Writes {@code p}, a packet of {@code epoch}'s source, into {@code out} as this receiver
     * sees it: our SSRC and payload type, its sequence number, timestamp and picture numbering
     * in our numbering. {@code live} maps a packet being forwarded now; otherwise a resend,
     * numbered as when it was first sent. The marker is forced on where the packet ends the
     * forwarded part of a VP9 or AV1 picture (upper spatial layers dropped). An AV1 packet keeps
     * its dependency descriptor under our id, its frame number shifted as the epoch says (the
     * numbering continues across simulcast switches). Returns the length, or -1
     * when the packet must not be sent.
     */
    private int rewrite(RtpPacket p, int pictureId, int epoch, boolean live, boolean forceMarker) {
        int seq = live ? seqMap.map(p.sequenceNumber(), pictureId) : seqMap.mapInEpoch(epoch, p.sequenceNumber());
        if (seq < 0) {
            return -1;
        }
        int at = ddIn > 0 ? p.findExtension(ddIn) : -1;
        int ddLength = p.lastExtensionLength();
        int transportCc = stream.transportCcId();          // its number is stamped in place on the way out
        int n = at >= 0 ? RtpWriter.writeForwarded(p, out, 0, payloadType, seq, ssrc, forceMarker,
                        SdpNegotiation.DOWN_DEPENDENCY_DESCRIPTOR_ID, at, ddLength, numberedBeside(transportCc))
                : transportCc > 0 ? RtpWriter.writeForwardedNumbered(p, out, 0, payloadType, seq, ssrc, forceMarker, transportCc)
                : RtpWriter.writeForwarded(p, out, 0, payloadType, seq, ssrc, forceMarker);
        if (n <= 0) {
            return n;
        }
        int slot = epoch % EPOCHS;
        if (at >= 0) {
            int ddOut = RtpWriter.forwardedElementOffset(SdpNegotiation.DOWN_DEPENDENCY_DESCRIPTOR_ID, ddLength);
            FrameNumbering.shift(out, ddOut, ddLength, epochFrameShift[slot]);
            if (live) {
                frameNumbers.sent(FrameNumbering.frameNumber(out, ddOut, ddLength));
            }
        }
        long tsOffset = epochTsOffset[slot];
        if (tsOffset != 0) {
            RtpPacket.writeTimestampAt(out, 0, (p.timestamp() + tsOffset) & TS_MASK);
        }
        int pidDelta = pictureId >= 0 ? seqMap.pictureIdDelta() : 0;
        int off = n - p.payloadLength();                   // behind the header and any extension block
        if (layered == VideoCodec.VP8 && (pidDelta != 0 || epochTl0Delta[slot] != 0 || epochKeyIdxDelta[slot] != 0)) {
            PictureIndices.shiftVp8(out, off, n - off, -pidDelta, epochTl0Delta[slot], epochKeyIdxDelta[slot]);
        } else if (layered == VideoCodec.VP9 && (pidDelta != 0 || epochTl0Delta[slot] != 0)) {
            PictureIndices.shiftVp9(out, off, n - off, -pidDelta, epochTl0Delta[slot]);
        }
        return n;
    }

    /**
     * The transport-cc id to write beside the dependency descriptor ({@link RtpWriter}), or 0:
     * none when the receiver takes no numbers, and none when an answer gave both one id (then
     * stamping finds the id where it is, as it did before the element was written with the copy).
     */
    private static int numberedBeside(int transportCc) {
        return transportCc > 0 && transportCc != SdpNegotiation.DOWN_DEPENDENCY_DESCRIPTOR_ID ? transportCc : 0;
    }

    /**
     * The round trip from a receiver report's LSR and DLSR (RFC 3550 §6.4.1, in 1/65536 s),
     * measured against the clock our sender reports used; ignored when the report refers to
     * none of ours or the result is implausible.
     */
    void roundTrip(long lastSr, long delaySinceLastSr, long nowNanos) {
        RtpClockMapping clock = sourceClock();
        if (lastSr == 0 || clock == null) {
            return;
        }
        long now = (clock.ntpAt(nowNanos) >>> 16) & TS_MASK;
        long ms = ((now - lastSr - delaySinceLastSr) & TS_MASK) * 1000 / 65536;
        if (ms > 0 && ms < 5_000) {
            rttMs = ms;
        }
    }

    /** The round trip to the receiver (ms) as its last report gave it, or a guess before. */
    long rttMs() {
        return rttMs;
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
        long sentPackets = packetsSent - sentAtReport;
        if (sentPackets > 0 && nackedSinceReport * 100 >= sentPackets) {
            lossyUntilNanos = nowNanos + LOSSY_HOLD_NANOS;
        }
        nackedSinceReport = 0;
        sentAtReport = packetsSent;
        long sent = rate.bitsPerSecond(nowMs);
        estimator.onReceiverReport(fractionLost, sent, nowMs);
        if (layered == null && ddIn <= 0) {
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
        if (spatial.awaitsKeyframe() && source != null) {
            source.requestKeyframeFromAnyLoop();       // again each report, until one gets through
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
        if (ddIn > 0) {
            o.put("ddUnreadable", dd.unreadable());
        }
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

    /**
     * Whether this receiver's estimate limits the REMB for {@code layer} (MD9): not for
     * recorders, and only for the layer it gets or is moving to, not for a standby layer.
     */
    boolean limitsPresenter(UpTrack layer) {
        return stream.limitsPresenter() && (layer == source || layer == target && !movingUpTo(layer));
    }

    /** Whether the receiver is switching from its source up to {@code layer} (a larger one), awaiting its keyframe. */
    private boolean movingUpTo(UpTrack layer) {
        return layer == target && source != null && target != source
                && indexOf(attachedLayers, target) < indexOf(attachedLayers, source);
    }

    /**
     * Whether the receiver waits for {@code layer}, which it does not get (issue #14,
     * {@link dev.parley.server.layers.RembShare}): it is moving up to it, or it asked for it (or
     * for the largest layer), gets a smaller one, and its estimate would carry the layer's last
     * known rate {@code layerBps}. Its estimate then raises the layer's REMB share instead of
     * limiting it: a receiver moving up to a paused layer limited it below what the presenter
     * needs to resume it, and waited for its keyframe for ever.
     */
    boolean waitsFor(UpTrack layer, long layerBps, long nowNanos) {
        if (!stream.limitsPresenter() || layer == source) {
            return false;
        }
        if (movingUpTo(layer)) {
            return true;
        }
        UpTrack[] layers = attachedLayers;
        boolean asked = requested == layer || layers.length > 0 && requested == layers[0];
        UpTrack gets = source != null ? source : target;
        return asked && indexOf(layers, layer) < indexOf(layers, gets)
                && dev.parley.server.layers.RembShare.wouldTake(presenterEstimate(nowNanos), layerBps);
    }

    /**
     * The receiver's estimate as its presenter's REMB counts it: MD8's (loss-based, capped by its
     * REMB), or its send-side estimate when that is higher. A receiver that negotiated
     * transport-cc sends no REMB, and MD8's loss-based estimate grows only while it is sent 3/4
     * of it, so it stays near what the receiver gets (204.8-290 kbit/s on the middle layer,
     * measured) however much room its link has; the send-side estimate measures the link (and
     * is probed towards the layers above, DownStream#probe). Never below MD8's: where the
     * send-side estimate is lower, the REMB is what Galène's would be.
     */
    long presenterEstimate(long nowNanos) {
        return Math.max(estimate(nowNanos), stream.sendSideEstimate());
    }

    /** Layer switches made so far. */
    long layerSwitches() {
        return layerSwitches;
    }

    /**
     * The NTP/RTP mapping of what this track sends, for its sender reports (MD9): the source's,
     * shifted by the offset of the current epoch; null while unknown.
     */
    RtpClockMapping sourceClock() {
        return source == null || !source.clock().isKnown() ? null : source.clock();
    }

    /** What is added to the source's RTP timestamps in the current epoch. */
    long timestampOffset() {
        return epochTsOffset[seqMap.epoch() % EPOCHS];
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
