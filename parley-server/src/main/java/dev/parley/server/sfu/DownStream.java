package dev.parley.server.sfu;

import dev.parley.rtc.rtcp.RtcpHandler;
import dev.parley.rtc.rtcp.RtcpReader;
import dev.parley.rtc.rtcp.RtcpWriter;
import dev.parley.rtc.sdp.SessionDescription;
import dev.parley.server.layers.SimulcastChoice;
import dev.parley.server.rtptime.RtpClockMapping;
import dev.parley.server.transportcc.SentNumbers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A receiver's copy of one up stream (S7, S8): its own peer connection whose id is the up
 * stream's, one down track per forwarded up track, and the offer/answer state (S11).
 *
 * <p>Negotiation methods are called by the receiver's signalling thread and are
 * synchronized; the media-side state (down tracks attached to up tracks, RTCP) lives on the
 * media loop.
 */
public final class DownStream implements MediaTransport.Listener {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DownStream.class);
    private final UpStream up;
    private volatile MediaTransport transport;
    private final long sessionId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    private final long localSsrc = ThreadLocalRandom.current().nextLong(1, 0xFFFFFFFFL);

    // signalling state, guarded by this
    private final List<Slot> slots = new ArrayList<>();
    private long version;
    private boolean offerOutstanding;
    private boolean renegotiationPending;
    private boolean restartPending;  // S11: an ICE restart asked for while an offer was outstanding
    private List<String> override;   // S5: null = follow the request map
    /** Mids active in the last answer (or direct start): the media side forwards these. */
    private java.util.Set<String> answeredMids = java.util.Set.of();

    // media-loop state
    private final List<DownTrack> attached = new ArrayList<>();
    private final RtcpFromReceiver rtcpHandler = new RtcpFromReceiver();
    private final byte[] rtcpOut = new byte[1500];
    private volatile boolean closed;
    /** Started without negotiation (a recorder): no network path, so no bandwidth limit. */
    private volatile boolean direct;
    private volatile Runnable onFailure = () -> { };
    private volatile Runnable onDead = () -> { };
    private final StreamCounters counters = new StreamCounters();
    private final SimulcastChoice simulcast = new SimulcastChoice();
    private final ReceiverBandwidth bandwidth = new ReceiverBandwidth();
    /** MD10: only spatial layer 0 of SVC video (the receiver asked for video-low of a single-track stream). */
    private volatile boolean spatialLayerLimit;

    /**
     * An m-section of this stream: mids never change meaning once offered. {@code track} may move
     * to another simulcast layer of the same presenter section without a new offer (issue #14);
     * {@code msidTrack} stays what was offered.
     */
    private record Slot(String mid, UpTrack track, long ssrc, boolean active, long rtxSsrc, String msidTrack) {
        Slot(String mid, UpTrack track, long ssrc, boolean active) {
            this(mid, track, ssrc, active, track.kind().equals("video") ? randomSsrc() : 0, track.trackId());
        }

        Slot withTrack(UpTrack layer) {
            return new Slot(mid, layer, ssrc, active, rtxSsrc, msidTrack);
        }

        Slot deactivated() {
            return new Slot(mid, track, ssrc, false, rtxSsrc, msidTrack);
        }
    }

    private static long randomSsrc() {
        return ThreadLocalRandom.current().nextLong(1, 0xFFFFFFFFL);
    }

    public DownStream(UpStream up) {
        this.up = up;
    }

    public void setTransport(MediaTransport transport) {
        this.transport = transport;
    }

    /** What to do when the receiver's transport fails (S14: the signalling side re-offers). */
    public void onFailure(Runnable action) {
        onFailure = action;
    }

    /** What to do when the receiver's transport is dead: no ICE restart can help (the stream closes). */
    public void onDead(Runnable action) {
        onDead = action;
    }

    public UpStream up() {
        return up;
    }

    /** Turns the "spatial-layer limit" of S3 on or off (MD10); the down tracks follow at their next packet. */
    public void limitSpatialLayers(boolean on) {
        spatialLayerLimit = on;
    }

    /** The highest spatial layer the receiver's request allows (MD10); any thread. */
    int spatialLayerCap() {
        return spatialLayerLimit ? 0 : dev.parley.server.layers.SpatialLayerFilter.ALL;
    }

    public String id() {
        return up.id();
    }

    public MediaTransport transport() {
        return transport;
    }

    public synchronized List<String> override() {
        return override;
    }

    public synchronized void setOverride(List<String> o) {
        override = o;
    }

    /** The up tracks currently forwarded. */
    public synchronized List<UpTrack> selected() {
        return slots.stream().filter(Slot::active).map(Slot::track).toList();
    }

    /**
     * Changes the forwarded tracks; returns true when the set of tracks differs (S4) and a new
     * offer is needed. Another simulcast layer of a track already forwarded is no new track
     * (issue #14, docs/simulcast.md): its slot keeps its mid and SSRC, and the down track
     * switches to that layer at its next keyframe, without renegotiation.
     */
    public synchronized boolean select(List<UpTrack> tracks) {
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            if (!s.active() || tracks.contains(s.track())) {
                continue;
            }
            for (UpTrack t : tracks) {
                if (t.isLayerOf(s.track()) && slots.stream().noneMatch(x -> x.active() && x.track() == t)) {
                    slots.set(i, s.withTrack(t));
                    break;
                }
            }
        }
        if (tracks.equals(selected())) {
            resyncLayers();
            return false;
        }
        // Slots already offered as inactive may carry a new track of their kind (JSEP recycles
        // them), so a client toggling its request does not grow the SDP without bound. Slots
        // deactivated by this very call are not reused: the receiver sees them inactive first.
        List<Integer> reusable = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            if (!slots.get(i).active()) {
                reusable.add(i);
            }
        }
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            if (s.active() && !tracks.contains(s.track())) {
                slots.set(i, s.deactivated());                                   // S8: detached
            }
        }
        for (UpTrack t : tracks) {
            if (slots.stream().noneMatch(s -> s.active() && s.track() == t)) {
                long ssrc = randomSsrc();
                Integer free = reusable.stream().filter(i -> slots.get(i).track().kind().equals(t.kind()))
                        .findFirst().orElse(null);
                if (free != null) {
                    reusable.remove(free);
                    slots.set(free, new Slot(slots.get(free).mid(), t, ssrc, true));
                } else {
                    slots.add(new Slot(Integer.toString(slots.size()), t, ssrc, true));
                }
            }
        }
        // S8: audio first when both are forwarded, for the sections added now.
        return true;
    }

    /**
     * Builds the next offer, or returns null when one is outstanding (S11): the caller sends
     * it after the answer arrives.
     */
    public synchronized SessionDescription nextOffer(boolean restartIce) {
        if (offerOutstanding) {
            renegotiationPending = true;
            restartPending |= restartIce;
            return null;
        }
        boolean restart = restartIce || restartPending;
        restartPending = false;
        LocalEndpoint local = restart ? transport.restartIce(null) : transport.local();
        List<DownSection> sections = new ArrayList<>();
        String streamId = streamId();
        String cname = up.cname() != null ? up.cname() : up.owner().clientId();
        for (Slot s : slots) {
            sections.add(new DownSection(s.mid(), s.track().kind(), s.track().section().codec(), s.ssrc(), cname,
                    streamId, s.msidTrack(), s.active(), s.rtxSsrc()));
        }
        offerOutstanding = true;
        version++;
        return SdpNegotiation.offer(sections, local, sessionId, version);
    }

    /** S9: the presenter's msid stream id, else the label, else "dummy". */
    private String streamId() {
        for (UpTrack t : up.tracks()) {
            var msid = t.section().msid();
            if (msid != null && msid.streamId() != null && !msid.streamId().isEmpty() && !msid.streamId().equals("-")) {
                return msid.streamId();
            }
        }
        return up.label() != null && !up.label().isEmpty() ? up.label() : "dummy";
    }

    /**
     * The receiver answered (S10). Returns true when a deferred renegotiation must now be sent.
     */
    public synchronized boolean answered(SessionDescription answer) {
        offerOutstanding = false;
        var dtlsRole = DtlsSetup.fromAnswer(DtlsSetup.of(answer));                       // RFC 8842 §5.3
        answer.media().stream().map(m -> m.iceUfrag()).filter(java.util.Optional::isPresent).findFirst()
                .or(() -> java.util.Optional.of(answer.iceUfrag()))
                .flatMap(u -> u).ifPresent(transport::setRemoteUfrag);
        answer.media().stream().map(m -> m.fingerprint()).filter(java.util.Optional::isPresent).findFirst()
                .or(() -> java.util.Optional.of(answer.fingerprint()))
                .flatMap(f -> f).ifPresent(transport::setRemoteFingerprint);
        transport.setDtlsRole(dtlsRole); // after the fingerprint: as client it may start the handshake at once
        List<Slot> active = slots.stream().filter(Slot::active).toList();
        // RTX (RFC 4588) is used towards this receiver only where its answer kept the format
        java.util.Set<String> rtx = new java.util.HashSet<>();
        for (var m : answer.media()) {
            if (m.mid().isPresent() && m.codecs().stream().anyMatch(c -> c.isNamed("rtx"))) {
                rtx.add(m.mid().get());
            }
        }
        answeredMids = active.stream().map(Slot::mid).collect(java.util.stream.Collectors.toSet());
        int transportCc = SdpNegotiation.transportCcId(answer);
        transport.execute(() -> {
            setTransportCcId(transportCc);
            syncAttachments(active, rtx);
        });
        boolean pending = renegotiationPending;
        renegotiationPending = false;
        return pending;
    }

    /**
     * For a receiver without SDP (the recorder): forwards {@code tracks} at once, since its
     * transport is always connected.
     */
    public void startDirect(List<UpTrack> tracks) {
        direct = true;
        List<Slot> active;
        synchronized (this) {
            select(tracks);
            active = slots.stream().filter(Slot::active).toList();
            answeredMids = active.stream().map(Slot::mid).collect(java.util.stream.Collectors.toSet());
        }
        transport.execute(() -> syncAttachments(active, java.util.Set.of()));
    }

    /**
     * No new offer is needed, but a forwarded track may have moved to another simulcast layer,
     * or its presenter's layers changed (one appeared, or they were reordered): the media side
     * re-reads the layers of the slots the receiver has accepted.
     */
    private void resyncLayers() {
        if (answeredMids.isEmpty() || transport == null) {
            return;
        }
        java.util.Set<String> mids = answeredMids;
        List<Slot> active = slots.stream().filter(s -> s.active() && mids.contains(s.mid())).toList();
        transport.execute(() -> syncAttachments(active, rtxMids));
    }

    /** Whether this receiver's bandwidth limits what its presenter is asked to send (MD9). */
    boolean limitsPresenter() {
        return !direct;
    }

    public boolean isClosed() {
        return closed;
    }

    public void close() {
        closed = true;
        transport.execute(() -> {
            syncAttachments(List.of(), java.util.Set.of());
            transport.close();
        });
    }

    // ---- media loop ------------------------------------------------------------------------

    private List<Slot> wanted = List.of();
    private java.util.Set<String> rtxMids = java.util.Set.of();

    /**
     * Attaches down tracks for the active slots once connected, and detaches removed ones;
     * {@code rtx} holds the mids whose answer accepted RTX.
     */
    private void syncAttachments(List<Slot> active, java.util.Set<String> rtx) {
        wanted = active;
        rtxMids = rtx;
        long now = System.nanoTime();
        for (DownTrack d : new ArrayList<>(attached)) {
            if (active.stream().noneMatch(s -> s.ssrc() == d.ssrc())) {
                d.detachAll();
                attached.remove(d);
            }
        }
        if (!transport.isConnected() || closed) {
            return;
        }
        for (Slot s : active) {
            long rtxSsrc = rtx.contains(s.mid()) ? s.rtxSsrc() : 0;
            DownTrack existing = null;
            for (DownTrack d : attached) {
                if (d.ssrc() == s.ssrc()) {
                    existing = d;
                }
            }
            if (existing == null) {
                existing = new DownTrack(this, s.track(), s.ssrc(), now);
                attached.add(existing);
                existing.capLayer(simulcast.cap());
            }
            existing.setRtxSsrc(rtxSsrc);
            existing.setLayers(s.track(), layersOf(s.track()));
        }
    }

    /** {@code track} and its simulcast siblings, in the presenter stream's order (largest first). */
    private UpTrack[] layersOf(UpTrack track) {
        List<UpTrack> layers = new ArrayList<>(up.tracks().stream().filter(t -> t == track || t.isLayerOf(track)).toList());
        if (!layers.contains(track)) {
            layers.addFirst(track);                          // a track the stream no longer lists is still forwarded
        }
        return layers.toArray(UpTrack[]::new);
    }

    /** {@code .stats} of this stream (H48), gathered on the media loop; any thread. */
    public com.fasterxml.jackson.databind.node.ObjectNode statistics() {
        return MediaLoopCall.call(transport, () -> {
            var o = dev.parley.protocol.Json.object();
            o.put("id", id());
            var list = o.putArray("tracks");
            long now = System.nanoTime();
            for (DownTrack d : attached) {
                list.add(d.statistics(now));
            }
            return o;
        });
    }

    /** Forwarded packets and bytes, NACKs, resends and PLIs received, for {@code /metrics}. */
    public StreamCounters counters() {
        return counters;
    }

    /**
     * Per started track: the bandwidth estimate (bit/s: the receiver's send-side estimate when its
     * transport feedback gives one, else the track's loss/REMB estimate) and the last reported
     * fraction lost (0..255); media loop.
     */
    long[] trackSamples() {
        long now = System.nanoTime();
        long sendSide = bandwidth.estimate();
        long[] out = new long[2 * attached.size()];
        int n = 0;
        for (DownTrack d : attached) {
            if (d.started()) {
                out[n++] = sendSide > 0 ? sendSide : d.estimate(now);
                out[n++] = d.lastFractionLost();
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** RTP packets sent on this stream so far; media loop only. */
    long packetsSent() {
        long n = 0;
        for (DownTrack d : attached) {
            n += d.packetsSent();
        }
        return n;
    }

    @Override
    public void onConnected() {
        syncAttachments(wanted, rtxMids);
    }

    @Override
    public void onFailed(boolean recoverable) {
        if (!closed) {
            (recoverable ? onFailure : onDead).run();
        }
    }

    @Override
    public void onRtp(byte[] buf, int off, int len) {
        // receivers send no media on down streams
    }

    @Override
    public void onRtcp(byte[] buf, int off, int len) {
        RtcpReader.read(buf, off, len, rtcpHandler);
    }

    private DownTrack bySsrc(long ssrc) {
        for (int i = 0; i < attached.size(); i++) {        // by index: no iterator per RTCP block (JFR showed one)
            DownTrack d = attached.get(i);
            if (d.ssrc() == ssrc) {
                return d;
            }
        }
        return null;
    }

    private final class RtcpFromReceiver implements RtcpHandler {
        @Override
        public void onNack(long senderSsrc, long mediaSsrc, int pid, int blp) {
            DownTrack d = bySsrc(mediaSsrc);
            if (d == null) {
                return;
            }
            d.nacked(pid);
            for (int i = 0; i < 16; i++) {
                if ((blp & (1 << i)) != 0) {
                    d.nacked((pid + i + 1) & 0xFFFF);
                }
            }
        }

        @Override
        public void onPli(long senderSsrc, long mediaSsrc) {
            counters.add(StreamCounters.PLIS, 1);
            DownTrack d = bySsrc(mediaSsrc);
            if (d != null) {
                d.requestKeyframe();                                              // MD11
            }
        }

        @Override
        public void onFir(long senderSsrc, long targetSsrc, int sequenceNumber) {
            onPli(senderSsrc, targetSsrc);
        }

        @Override
        public void onReceptionReport(long reporterSsrc, long sourceSsrc, int fractionLost, int cumulativeLost,
                                      long extendedHighestSeq, long jitter, long lastSr, long delaySinceLastSr) {
            DownTrack d = bySsrc(sourceSsrc);
            if (d != null) {
                long now = System.nanoTime();
                d.roundTrip(lastSr, delaySinceLastSr, now);
                d.receiverReport(fractionLost, now);
                if (d.up().kind().equals("video")) {
                    if (fractionLost > 0) {
                        SwitchTimeline.loss(fractionLost, d.rttMs());
                    }
                    bandwidth.onReceiverReport(fractionLost, now);
                }
                chooseLayer(d, fractionLost, true, now);
            }
        }

        @Override
        public void onTransportFeedback(long senderSsrc, long mediaSsrc, byte[] buf, int off, int len) {
            long now = System.nanoTime();
            bandwidth.onFeedback(buf, off, len, now);
            // the estimate moves every feedback (tens of ms), receiver reports come once a second:
            // consulting the choice here is what makes going down take about a second, not two reports
            for (int i = 0; i < attached.size(); i++) {
                DownTrack d = attached.get(i);
                if (d.up().kind().equals("video")) {
                    chooseLayer(d, d.lastFractionLost(), false, now);
                }
            }
        }

        @Override
        public void onRemb(long senderSsrc, long bitrateBps, byte[] buf, int ssrcOff, int ssrcCount) {
            for (int i = 0; i < ssrcCount; i++) {
                DownTrack d = bySsrc(RtcpReader.ssrcAt(buf, ssrcOff, i));
                if (d != null) {
                    d.remb(bitrateBps, System.nanoTime());
                }
            }
        }
    }

    /**
     * Feeds the simulcast choice with a report about a video track whose receiver selected the
     * largest layer of a simulcast stream (one that asked for {@code video-low} itself is left
     * there), and caps that track's layer when the choice changes (issue #14): on the media loop,
     * without renegotiation; the switch itself waits for a keyframe.
     */
    private void chooseLayer(DownTrack d, int fractionLost, boolean report, long nowNanos) {
        UpTrack[] layers = d.attachedLayers();
        if (layers.length < 2 || d.up() != layers[0]) {
            return;
        }
        long estimate = receiverEstimate(d, nowNanos);
        long audio = 0;
        for (DownTrack a : attached) {
            if (a.up().kind().equals("audio")) {
                audio += a.sentBitrate(nowNanos);
            }
        }
        long budget = estimate < 0 ? -1 : Math.max(0, estimate - audio);       // audio never gives way
        long[] rates = layerRates(layers, nowNanos);
        long nowMs = nowNanos / 1_000_000;
        long linkCutMs = bandwidth.numbered() ? bandwidth.lastCutMs() : SimulcastChoice.NO_CUT;
        simulcast.probed(bandwidth.numbered());
        int before = simulcast.cap();
        long current = rates[Math.min(before, rates.length - 1)];
        boolean shortNow = budget >= 0 && budget * 4 < current * 3 && before < rates.length - 1;
        if (shortNow && !budgetShort) {
            SwitchTimeline.shortOfLayer(budget, current, before);
        }
        budgetShort = shortNow;
        if (linkCutMs != cutLogged) {
            cutLogged = linkCutMs;
            SwitchTimeline.cutSeen(budget, current, before);
        }
        boolean changed = report ? simulcast.onReport(fractionLost, budget, rates, linkCutMs, nowMs)
                : simulcast.onEstimate(fractionLost, budget, rates, linkCutMs, nowMs);
        long cutAgoMs = linkCutMs == SimulcastChoice.NO_CUT ? -1 : nowMs - linkCutMs;
        if (report && log.isDebugEnabled()) {
            log.debug("simulcast choice: loss {}/256 budget {} layers {} peak {} cut {} ms ago cap {} acked {}",
                    fractionLost, budget, java.util.Arrays.toString(rates), layers[0].peakBitrate(), cutAgoMs,
                    simulcast.cap(), bandwidth.acknowledged());
        }
        if (changed) {
            log.info("down stream {}: simulcast layer {} -> {} of {} (loss {}/256, video budget {} bit/s, layers {} bit/s, "
                            + "link gave way {} ms ago)", id(), before, simulcast.cap(), layers.length, fractionLost,
                    budget, java.util.Arrays.toString(rates), cutAgoMs);
            for (DownTrack v : attached) {
                v.capLayer(simulcast.cap());
            }
            bandwidth.layerChanged(nowNanos);
        }
    }

    /** The budget was short of the layer at the last consultation of the choice (for {@link SwitchTimeline}). */
    private boolean budgetShort;
    private long cutLogged = SimulcastChoice.NO_CUT;

    /**
     * Whether the receiver's link showed a growing queue (delay over-use) in the last 5 s: losses
     * on it are congestion, so a retransmission is not sent twice (DownTrack); media loop.
     */
    boolean queueing(long nowNanos) {
        return bandwidth.numbered() && bandwidth.queueing(nowNanos, 5_000);
    }

    /** Reused by {@link #layerRates}: the choice runs at every transport feedback, and allocates nothing. */
    private long[] layerRates = new long[0];

    /**
     * What each layer costs, largest first: its average over the last ~4 s, not its peak
     * ({@code UpTrack.averageBitrate} says why), or its current rate in its first second.
     */
    private long[] layerRates(UpTrack[] layers, long nowNanos) {
        if (layerRates.length != layers.length) {
            layerRates = new long[layers.length];
        }
        for (int i = 0; i < layers.length; i++) {
            long rate = layers[i].averageBitrate();
            layerRates[i] = rate > 0 ? rate : layers[i].receivedBitrate(nowNanos);
        }
        return layerRates;
    }

    // ---- the receiver's bandwidth (issue #14, docs/congestion-control.md) ----------------------

    /**
     * Sends an RTP packet to the receiver: the one way out, so that every packet is numbered for
     * transport-cc. Returns the transport-wide number it carries, or {@link SentNumbers#NONE}.
     */
    int sendRtp(byte[] buf, int off, int len) {
        return bandwidth.send(transport, buf, off, len);
    }

    /**
     * Sends a packet again exactly as first sent (a plain retransmission) with the transport-wide
     * {@code number} it carried then ({@link SentNumbers}); one that cannot be sent identical is
     * dropped and counted ({@link StreamCounters#RESENDS_REFUSED}): false then.
     */
    boolean resendRtp(byte[] buf, int off, int len, int number) {
        if (bandwidth.resend(transport, buf, off, len, number)) {
            return true;
        }
        counters.add(StreamCounters.RESENDS_REFUSED, 1);
        return false;
    }

    /** The receiver's numbering, feedback and probes (tests drive its estimator in synthetic time). */
    ReceiverBandwidth bandwidth() {
        return bandwidth;
    }

    /** Whether packets to the receiver carry transport-wide numbers (its answer kept transport-cc); media loop. */
    boolean numbered() {
        return bandwidth.numbered();
    }

    /** The transport-wide sequence number extension id of packets to the receiver, or -1 (not numbered); media loop. */
    int transportCcId() {
        return bandwidth.extensionId();
    }

    /** The transport-wide sequence number extension id the receiver's answer kept, or -1; media loop. */
    void setTransportCcId(int id) {
        bandwidth.setExtensionId(id);
    }

    /** The send-side estimate (bit/s) from the receiver's transport feedback, or -1 while there is none; any thread. */
    public long sendSideEstimate() {
        return bandwidth.estimate();
    }

    /** Probe clusters sent to this receiver, and how many of them raised its estimate; any thread. */
    public long[] probeCounts() {
        return bandwidth.probeCounts();
    }

    /**
     * Probes the receiver's link when its estimate is below what its highest layers cost: the
     * presenter's first (highest) video layer plus the audio sent. A layer the presenter has
     * paused counts at what it cost when last sent: its current rate is nothing and its peak
     * fades, so a receiver below it was probed only up to the layers it gets, its estimate could
     * not show that the paused layer fits, and nobody asked the presenter to resume it (issue #14,
     * {@link dev.parley.server.layers.RembShare}). With simulcast, the largest layer counts at
     * 3/2 of its cost: the choice goes up early only with 1/4 to spare ({@link SimulcastChoice}),
     * probing stops within 5 % of this budget, and a probe's measured result comes out a few
     * percent under its rate. Budgeted at 5/4, the estimate stopped at 880 kbit/s, 30 kbit/s
     * short of what the choice wanted for a 702 kbit/s layer, and the step up waited for the
     * whole hold.
     */
    private void probe(MediaTransport transport, long nowNanos) {
        if (!bandwidth.numbered()) {
            return;
        }
        DownTrack video = null;
        long videoTarget = videoProbeTarget(up.tracks(), nowNanos);
        long needed = videoTarget;
        long media = 0;                      // what the receiver is sent now: a cluster's padding tops it up
        for (DownTrack d : attached) {
            long sent = d.sentBitrate(nowNanos);
            media += sent;
            if (d.up().kind().equals("audio")) {
                needed += sent;
            } else if (video == null && d.canProbe()) {
                video = d;
            }
        }
        bandwidth.maybeProbe(transport, video, videoTarget == 0 ? 0 : needed, media, nowNanos);
    }

    /**
     * The video part of what {@link #probe} aims at: the costliest of {@code tracks}' video
     * layers, at the largest of its current rate, recent peak and last sent cost, and 3/2 of that
     * with simulcast (the reasons are {@link #probe}'s); 0 when none has a cost.
     */
    static long videoProbeTarget(List<UpTrack> tracks, long nowNanos) {
        long highest = 0;                    // the costliest video layer, whatever order layers arrived in
        int layers = 0;
        for (UpTrack t : tracks) {
            if (t.kind().equals("video")) {
                layers++;
                highest = Math.max(highest, Math.max(Math.max(t.receivedBitrate(nowNanos), t.peakBitrate()),
                        t.lastSentBitrate()));
            }
        }
        return layers > 1 ? highest + highest / 2 : highest;
    }

    /**
     * The receiver's current bandwidth estimate for this stream in bit/s, or -1 when it gives
     * none: the one input of the layer choice besides loss. The send-side estimate from its
     * transport feedback when it negotiated transport-cc ({@link ReceiverBandwidth}), else its
     * REMB for {@code d}.
     */
    private long receiverEstimate(DownTrack d, long nowNanos) {
        long sendSide = bandwidth.estimate();
        return sendSide > 0 ? sendSide : d.remb(nowNanos);
    }

    /**
     * Every 500 ms (MD9): a sender report per started track carrying the presenter's own
     * NTP/RTP mapping, extrapolated to now, and the presenter's CNAME, for lip sync. Reports
     * that do not fit one compound packet go in the next one: a writer's "no room" never
     * reaches the length.
     */
    void tick(long nowNanos) {
        MediaTransport transport = this.transport;                  // set just after registration
        if (closed || transport == null || !transport.isConnected()) {
            return;
        }
        byte[] cname = null;
        int n = 0;
        for (DownTrack d : attached) {
            RtpClockMapping clock = d.sourceClock();     // the layer forwarded now (issue #14)
            if (!d.started() || clock == null) {
                continue;                                                          // pitfall 6
            }
            if (cname == null) {
                String name = up.cname() != null ? up.cname() : up.owner().clientId();
                cname = name.getBytes(StandardCharsets.UTF_8);
            }
            if (n + SENDER_REPORT_LENGTH + sdesLength(cname) > MAX_COMPOUND) {
                sendCompound(transport, n, cname);
                n = 0;
            }
            n += RtcpWriter.senderReport(rtcpOut, n, d.ssrc(), clock.ntpAt(nowNanos),
                    (clock.rtpTimestampAt(nowNanos) + d.timestampOffset()) & 0xFFFFFFFFL,
                    d.packetsSent(), d.octetsSent());
        }
        if (n > 0) {
            sendCompound(transport, n, cname);
        }
        probe(transport, nowNanos);
    }

    /** A compound packet's size limit: with SRTCP's trailer it stays well under a 1500-byte MTU. */
    static final int MAX_COMPOUND = 1200;
    private static final int SENDER_REPORT_LENGTH = 28;

    /** The SDES of {@code cname}, or 0 when it is too long to send (an SDES item holds 255 bytes). */
    private static int sdesLength(byte[] cname) {
        return cname.length > 255 ? 0 : (4 + 4 + 2 + cname.length + 1 + 3) & ~3;
    }

    private void sendCompound(MediaTransport transport, int n, byte[] cname) {
        int sdes = RtcpWriter.sdesCname(rtcpOut, n, localSsrc, cname);
        transport.sendRtcp(rtcpOut, 0, sdes > 0 ? n + sdes : n);
    }
}
