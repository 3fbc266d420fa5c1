package dev.parley.server.sfu;

import dev.parley.rtc.rtcp.RtcpHandler;
import dev.parley.rtc.rtcp.RtcpReader;
import dev.parley.rtc.rtcp.RtcpWriter;
import dev.parley.rtc.rtp.RtpPacket;
import dev.parley.server.packetcache.PacketCache;
import dev.parley.server.transportcc.TransportCcFeedback;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A presenter's stream (one peer connection, S19): its transport, the sections of its last
 * offer, and the tracks that have started to arrive (S3). Packet handling runs on the media
 * loop; {@link #tracks()} may be read from any thread.
 */
public final class UpStream implements MediaTransport.Listener {
    private final String id;
    private final String label;
    private final Owner owner;
    private final long localSsrc = ThreadLocalRandom.current().nextLong(1, 0xFFFFFFFFL);
    private volatile MediaTransport transport;
    private volatile List<UpSection> sections = List.of();
    /**
     * Written only on the media loop, read from signalling threads: always replaced by a new
     * immutable list, never changed in place, so a reader never sees a half-built list.
     */
    private volatile List<UpTrack> tracks = List.of();
    /** The same tracks as a plain array for the per-packet lookup, touched only on the media loop. */
    private UpTrack[] loopTracks = new UpTrack[0];
    private final RtpPacket view = new RtpPacket();
    private final byte[] rtcpOut = new byte[1500];
    private final long[] rembSsrcs = new long[64];
    private final RtcpFromPresenter rtcpHandler = new RtcpFromPresenter();
    /** When the RTCP packet being read arrived ({@link MediaTransport#arrivalNanos}); media loop only. */
    private long rtcpArrivalNanos;
    private final LoopStall stall = LoopStall.fromSystemProperties();
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicBoolean pushPending = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile String cname;
    /** The transport-wide sequence number extension's id, or -1 without transport-cc. */
    private volatile int transportCcId = -1;
    private final TransportCcFeedback transportCc = new TransportCcFeedback();
    private final byte[] feedbackOut = new byte[1500];
    private final StreamCounters counters = new StreamCounters();
    /** RTX SSRCs bound to the tracks they repair, media loop only; grown when a new one binds. */
    private long[] rtxSsrcs = new long[0];
    private UpTrack[] rtxTargets = new UpTrack[0];
    private final byte[] unwrapped = new byte[PacketCache.SLOT_SIZE];
    /** The REMB last sent to the presenter (bit/s, all its tracks), -1 before one; written once a second on the loop. */
    private volatile long lastRembBps = -1;

    /** What the SFU needs from the signalling side about the stream's owner. */
    public interface Owner {
        String clientId();

        String username();

        /** A track arrived: receivers should be offered the stream again (S23). */
        void tracksChanged(UpStream stream);

        /** The transport lost ICE consent: ask the presenter to renegotiate (S24). */
        void transportFailed(UpStream stream);

        /**
         * The transport is dead (DTLS failed, or ICE and DTLS never completed within the
         * handshake timeout): no ICE restart can revive it, so the stream must close.
         */
        void transportDead(UpStream stream);
    }

    public UpStream(String id, String label, Owner owner) {
        this.id = id;
        this.label = label;
        this.owner = owner;
    }

    public void setTransport(MediaTransport transport) {
        this.transport = transport;
    }

    public String id() {
        return id;
    }

    public String label() {
        return label;
    }

    public Owner owner() {
        return owner;
    }

    public MediaTransport transport() {
        return transport;
    }

    long localSsrc() {
        return localSsrc;
    }

    private volatile String remoteUfrag;

    public String remoteUfrag() {
        return remoteUfrag;
    }

    /** The presenter's ICE ufrag from its latest offer; a change means an ICE restart. */
    public void setRemoteUfrag(String ufrag) {
        remoteUfrag = ufrag;
        if (ufrag != null) {
            transport.setRemoteUfrag(ufrag);
        }
    }

    public String cname() {
        return cname;
    }

    /** Sections of the latest accepted offer; tracks of removed sections are dropped (S28). */
    public void setSections(List<UpSection> s) {
        sections = List.copyOf(s);
        transportCcId = s.stream().mapToInt(UpSection::transportCcExtensionId).filter(id -> id > 0).findFirst()
                .orElse(-1);
        transport.execute(() -> {
            List<UpTrack> kept = tracks.stream()
                    .filter(t -> s.stream().anyMatch(x -> x.mid().equals(t.section().mid()))).toList();
            if (kept.size() != tracks.size()) {
                tracks = kept;
                loopTracks = kept.toArray(UpTrack[]::new);
                owner.tracksChanged(this);
            }
        });
    }

    /** Tracks in presentation order: by section, then by rid order in the offer (S3, MD6). */
    public List<UpTrack> tracks() {
        return tracks;
    }

    /** Claims the pending push (S23 coalescing); false when one is already scheduled. */
    public boolean claimPush() {
        return pushPending.compareAndSet(false, true);
    }

    public void releasePush() {
        pushPending.set(false);
    }

    public boolean isClosed() {
        return closed;
    }

    public void close() {
        closed = true;
        MediaTransport t = transport;
        if (t != null) {
            t.close();
        }
    }

    // ---- media loop ------------------------------------------------------------------------

    @Override
    public void onConnected() {
    }

    @Override
    public void onFailed(boolean recoverable) {
        if (closed) {
            return;
        }
        if (recoverable) {
            owner.transportFailed(this);
        } else {
            owner.transportDead(this);
        }
    }

    @Override
    public void onRtp(byte[] buf, int off, int len) {
        long now = System.nanoTime();
        receive(buf, off, len, transport.arrivalNanos(now), now);
        stall.afterPacket(now);
    }

    /**
     * An RTP packet that arrived at the machine at {@code arrivalNanos} and is handled at
     * {@code nowNanos} (both {@link System#nanoTime()}'s domain). What measures the network — the
     * transport-cc feedback the presenter's delay-based estimator reads, the jitter of our receiver
     * reports (MD9), the NACK timers (MD13) — takes the arrival: when the loop is busy (GC, a large
     * fan-out, an RTCP tick, a loaded machine) packets wait in the socket's queue and are then
     * handled within microseconds of each other, and feedback stamped with the handling time
     * showed the presenter a queue that was ours, not the network's (issue #14). What the loop
     * decides now (when feedback is due, forwarding) takes {@code nowNanos}.
     */
    void receive(byte[] buf, int off, int len, long arrivalNanos, long nowNanos) {
        if (!view.wrap(buf, off, len)) {
            return;
        }
        recordTransportCc(arrivalNanos, nowNanos);
        long ssrc = view.ssrc();
        UpTrack track = null;
        for (UpTrack t : loopTracks) {
            if (t.ssrc() == ssrc) {
                track = t;
                break;
            }
        }
        if (track == null) {
            if (receiveRtx(ssrc, arrivalNanos, nowNanos)) {
                return;
            }
            track = identify(ssrc);
            if (track == null) {
                return;
            }
        }
        track.receive(buf, off, len, arrivalNanos, nowNanos);
    }

    /**
     * Transport-cc: every packet with a transport-wide sequence number counts, padding and
     * retransmissions included (the presenter probes with them); feedback goes out every 50 ms
     * while packets arrive. Each is reported at its arrival at the machine ({@link #receive}).
     */
    private void recordTransportCc(long arrivalNanos, long nowNanos) {
        int id = transportCcId;
        if (id <= 0) {
            return;
        }
        int p = view.findExtension(id);
        if (p < 0 || view.lastExtensionLength() != 2) {
            return;
        }
        byte[] b = view.buffer();
        transportCc.onPacket(((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF), arrivalNanos);
        if (!transportCc.due(nowNanos)) {
            return;
        }
        MediaTransport t = transport;
        UpTrack[] current = loopTracks;
        long mediaSsrc = current.length > 0 ? current[0].ssrc() : view.ssrc();
        for (int n; (n = transportCc.write(feedbackOut, 0, localSsrc, mediaSsrc, nowNanos)) > 0; ) {
            t.sendRtcp(feedbackOut, 0, n);
        }
    }

    /**
     * An RTX packet (RFC 4588) of the presenter: its original is restored and received as if it
     * had arrived late, so the cache fills and receivers get it; padding-only probes end here.
     * Returns false when the packet is not RTX.
     */
    private boolean receiveRtx(long ssrc, long arrivalNanos, long nowNanos) {
        UpTrack target = null;
        for (int i = 0; i < rtxSsrcs.length; i++) {
            if (rtxSsrcs[i] == ssrc) {
                target = rtxTargets[i];
                break;
            }
        }
        if (target == null) {
            UpSection section = rtxSection(view.payloadType());
            if (section == null) {
                return false;
            }
            target = bindRtx(section, ssrc);
            if (target == null) {
                return true;                      // its layer has not arrived yet: never a track of its own
            }
        }
        int n = dev.parley.rtc.rtp.Rtx.unwrap(view, unwrapped, 0, target.section().payloadType(), target.ssrc());
        if (n > 0) {
            target.receive(unwrapped, 0, n, arrivalNanos, nowNanos);
        }
        return true;
    }

    private UpSection rtxSection(int payloadType) {
        for (UpSection s : sections) {
            if (s.rtx() != null && s.rtx().payloadType() == payloadType) {
                return s;
            }
        }
        return null;
    }

    /** The track an RTX SSRC repairs: from the offer's FID group, else the repaired-rid, else the only one. */
    private UpTrack bindRtx(UpSection section, long ssrc) {
        Long media = section.rtx().mediaSsrcByRtxSsrc().get(ssrc);
        String rrid = media == null && section.rtx().repairedRidExtensionId() > 0
                ? view.extensionAsString(section.rtx().repairedRidExtensionId()) : null;
        UpTrack found = null;
        int inSection = 0;
        for (UpTrack t : loopTracks) {
            if (!t.section().mid().equals(section.mid())) {
                continue;
            }
            inSection++;
            if (media != null ? t.ssrc() == media : rrid != null && rrid.equals(t.rid())) {
                found = t;
            }
        }
        if (found == null && media == null && rrid == null && inSection == 1 && section.rids().isEmpty()) {
            for (UpTrack t : loopTracks) {
                if (t.section().mid().equals(section.mid())) {
                    found = t;
                }
            }
        }
        if (found != null) {
            rtxSsrcs = java.util.Arrays.copyOf(rtxSsrcs, rtxSsrcs.length + 1);
            rtxTargets = java.util.Arrays.copyOf(rtxTargets, rtxTargets.length + 1);
            rtxSsrcs[rtxSsrcs.length - 1] = ssrc;
            rtxTargets[rtxTargets.length - 1] = found;
        }
        return found;
    }

    /** The rid the current packet names, if its section is simulcast and the rid is one it offered, else null. */
    private String layerRid(UpSection s) {
        if (s.rids().isEmpty() || s.ridExtensionId() <= 0) {
            return null;
        }
        String rid = view.extensionAsString(s.ridExtensionId());
        return rid != null && s.rids().contains(rid) ? rid : null;
    }

    /** Binds a new SSRC to its section and rid, from a=ssrc lines or the mid/rid extensions (pitfall 8). */
    private UpTrack identify(long ssrc) {
        List<UpSection> current = sections;
        UpSection section = null;
        String rid = null;
        for (UpSection s : current) {
            if (s.ssrcs().contains(ssrc)) {
                section = s;
                // Firefox lists its simulcast layers' SSRCs in a=ssrc lines without saying which
                // rid each one carries: the rid extension does, and without it the layers would be
                // ordered by whichever arrived first (MD6: video-low served the full-size layer)
                rid = layerRid(s);
                break;
            }
        }
        if (section == null) {
            for (UpSection s : current) {
                String mid = s.midExtensionId() > 0 ? view.extensionAsString(s.midExtensionId()) : null;
                if (mid != null && mid.equals(s.mid())) {
                    section = s;
                    if (!s.rids().isEmpty() && s.ridExtensionId() > 0) {
                        rid = view.extensionAsString(s.ridExtensionId());
                        if (rid == null || !s.rids().contains(rid)) {
                            return null;
                        }
                    }
                    break;
                }
            }
        }
        if (section == null) {
            for (UpSection s : current) {
                if (s.payloadType() == view.payloadType() && s.rids().isEmpty() && s.ssrcs().isEmpty()) {
                    section = s;
                    break;
                }
            }
        }
        if (section == null) {
            return null;
        }
        UpTrack t = new UpTrack(this, section, rid, ssrc);
        List<UpSection> order = current;
        List<UpTrack> sorted = new ArrayList<>(tracks);
        sorted.add(t);
        sorted.sort(Comparator.comparingInt((UpTrack x) -> order.indexOf(x.section()))
                .thenComparingInt(x -> x.rid() == null ? 0 : x.section().rids().indexOf(x.rid())));
        tracks = List.copyOf(sorted);
        loopTracks = sorted.toArray(UpTrack[]::new);
        owner.tracksChanged(this);
        return t;
    }

    @Override
    public void onRtcp(byte[] buf, int off, int len) {
        rtcpArrivalNanos = transport.arrivalNanos(System.nanoTime());
        RtcpReader.read(buf, off, len, rtcpHandler);
    }

    private final class RtcpFromPresenter implements RtcpHandler {
        @Override
        public void onSenderReport(long ssrc, long ntpTimestamp, long rtpTimestamp, long packetCount, long octetCount) {
            for (UpTrack t : loopTracks) {
                if (t.ssrc() == ssrc) {
                    t.senderReport(ntpTimestamp, rtpTimestamp, rtcpArrivalNanos);   // DLSR counts from its arrival
                }
            }
        }

        @Override
        public void onSdesCname(long ssrc, byte[] buf, int off, int len) {
            if (cname == null) {
                cname = new String(buf, off, len, StandardCharsets.UTF_8);
            }
        }
    }

    /** Once a second (MD9): RR with a block per track, REMB for those that negotiated it, keyframe retries. */
    void tick(long nowNanos) {
        MediaTransport transport = this.transport;                  // set just after registration
        if (closed || loopTracks.length == 0 || transport == null || !transport.isConnected()) {
            return;
        }
        int n = RtcpWriter.receiverReport(rtcpOut, 0, localSsrc);
        for (UpTrack t : loopTracks) {
            int len = t.addReportBlock(rtcpOut, 0, nowNanos);
            if (len > 0) {
                n = len;
            }
        }
        // One REMB for the whole connection: browsers read it as their total budget (MD9).
        long total = 0;
        int count = 0;
        for (UpTrack t : loopTracks) {
            t.tick(nowNanos);
            if (t.section().remb() && count < rembSsrcs.length) {
                total += t.rembBitrate(nowNanos);
                rembSsrcs[count++] = t.ssrc();
            }
        }
        total += unseenLayersBitrate();
        lastRembBps = count > 0 ? Math.min(total, 1L << 30) : -1;
        if (count > 0) {
            int len = RtcpWriter.remb(rtcpOut, n, localSsrc, Math.min(total, 1L << 30), rembSsrcs, count);
            if (len > 0) {
                n += len;
            }
        }
        transport.sendRtcp(rtcpOut, 0, n);
        orderLayers(nowNanos);
    }

    /**
     * The REMB share of simulcast layers offered but not arriving yet: what a track without
     * receivers gets (MD9). Without it the REMB only covers the layers already sent, and a
     * sender that starts with its low layer (libwebrtc in webrtc-java) never has the budget to
     * start the high one.
     */
    private long unseenLayersBitrate() {
        long total = 0;
        for (UpSection s : sections) {
            if (!s.remb()) {
                continue;
            }
            int missing = s.rids().size();
            for (UpTrack t : loopTracks) {
                if (t.section().mid().equals(s.mid())) {
                    missing--;                   // SSRC-bound layers have no rid: count them too
                }
            }
            for (String rid : s.rids()) {
                if (missing <= 0) {
                    break;
                }
                boolean seen = false;
                for (UpTrack t : loopTracks) {
                    if (t.section().mid().equals(s.mid()) && rid.equals(t.rid())) {
                        seen = true;
                        break;
                    }
                }
                if (!seen) {
                    total += UpTrack.rembWithoutReceivers(rid);
                    missing--;
                }
            }
        }
        return total;
    }

    /**
     * Simulcast layers are first ordered as the offer lists their rids, which is full
     * resolution first for browsers; other senders (libwebrtc embedded in webrtc-java) list the
     * smallest first. Once their keyframes' widths show it (or, where those are unknown, their
     * rates: the layer sending clearly more), the larger layer moves first, so that
     * {@code video} is the large one and {@code video-low} the small one (S3, MD6); this also
     * covers layers bound by a=ssrc lines whose packets never named their rid.
     */
    private void orderLayers(long nowNanos) {
        UpTrack[] current = loopTracks;
        for (int i = 0; i + 1 < current.length; i++) {
            UpTrack a = current[i], b = current[i + 1];
            if (a.section() == b.section() && !a.section().rids().isEmpty() && smaller(a, b, nowNanos)) {
                UpTrack[] next = current.clone();
                next[i] = b;
                next[i + 1] = a;
                loopTracks = next;
                tracks = List.of(next);
                owner.tracksChanged(this);
                return;
            }
        }
    }

    /**
     * Whether layer {@code a} is the smaller of the two: by their keyframes' widths when both are
     * known (VP8; AV1 with the dependency descriptor), else by rate. Width first because rate misleads under congestion: a presenter
     * whose large layer is held down by the receivers' estimates (MD9) may send it at less than
     * half the small one's rate, and ordering by rate then would serve {@code video-low} with the
     * large layer and move congested receivers up instead of down (issue #14).
     */
    private static boolean smaller(UpTrack a, UpTrack b, long nowNanos) {
        int wa = a.frameWidth(), wb = b.frameWidth();
        if (wa > 0 && wb > 0) {
            return wb > wa;
        }
        return b.receivedBitrate(nowNanos) > 2 * a.receivedBitrate(nowNanos);
    }

    /** {@code .stats} of this stream (H48), gathered on the media loop; any thread. */
    public com.fasterxml.jackson.databind.node.ObjectNode statistics() {
        return MediaLoopCall.call(transport, () -> {
            var o = dev.parley.protocol.Json.object();
            o.put("id", id);
            var list = o.putArray("tracks");
            long now = System.nanoTime();
            for (UpTrack t : loopTracks) {
                list.add(t.statistics(now));
            }
            return o;
        });
    }

    /** The REMB last sent to the presenter in bit/s (MD9), or -1 before the first one; any thread. */
    public long lastRemb() {
        return lastRembBps;
    }

    /** Received packets and bytes, NACKs and PLIs sent, for {@code /metrics}. */
    public StreamCounters counters() {
        return counters;
    }

    /** Per track: the fraction lost we last reported (0..255) and the measured RTT (ms, -1 if none); media loop. */
    long[] trackSamples() {
        UpTrack[] current = loopTracks;
        long[] out = new long[2 * current.length];
        for (int i = 0; i < current.length; i++) {
            out[2 * i] = current[i].lastFractionLost();
            out[2 * i + 1] = current[i].measuredRttMs();
        }
        return out;
    }

    void forEachTrack(Consumer<UpTrack> action) {
        tracks.forEach(action);
    }
}
