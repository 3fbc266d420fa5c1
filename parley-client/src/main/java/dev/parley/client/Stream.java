package dev.parley.client;

import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCRtpEncodingParameters;
import dev.onvoid.webrtc.RTCRtpReceiver;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCRtpTransceiverDirection;
import dev.onvoid.webrtc.RTCRtpTransceiverInit;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.media.MediaStream;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.parley.protocol.Json;
import dev.parley.protocol.Message;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;

/**
 * One peer connection with the server carrying a set of tracks: "up" (we send, we offer) or
 * "down" (the server offers, we receive). Up and down stream ids are the server's stream ids.
 *
 * <p>For an up stream: set {@link #label(String)}, then add tracks ({@link #addTrack},
 * {@link #addSimulcastVideo} or {@link #setStream}); the library offers by itself and
 * renegotiates when tracks change. Tracks and their sources stay the caller's: dispose them
 * after {@link #close}.
 *
 * <p>For a down stream: set {@link #ondowntrack} in {@code ondownstream}, and attach sinks to
 * the tracks ({@code VideoTrack.addSink}, {@code AudioTrack.addSink}) to get decoded frames and
 * samples.
 */
public final class Stream {
    private static final System.Logger LOG = System.getLogger(Stream.class.getName());

    private volatile ServerConnection sc;
    private final String id;
    private final String localId;
    private final boolean up;
    private final String msid = UUID.randomUUID().toString();
    private volatile String source;
    private volatile String username;
    private volatile RTCPeerConnection pc;
    private volatile MediaStream stream;
    private volatile String label;
    private volatile String replace;
    private volatile Map<String, Map<String, Object>> stats = Map.of();
    private final Map<String, Object> userdata = new ConcurrentHashMap<>();
    private final List<MediaStreamTrack> tracks = new CopyOnWriteArrayList<>();
    private final Map<MediaStreamTrack, RTCRtpSender> senders = new HashMap<>();

    // event-thread state
    private boolean localDescriptionSent;
    private final List<RTCIceCandidate> localIceCandidates = new ArrayList<>();
    private final List<Message.Candidate> remoteIceCandidates = new ArrayList<>();
    private boolean remoteDescriptionSet;
    private boolean offerOutstanding;
    private boolean negotiationPending;
    private boolean restartPending;
    private ScheduledFuture<?> statsHandler;
    private Map<String, Map<String, Object>> previousRaw = Map.of();

    private volatile Callbacks.StreamClose onclose;
    private volatile Callbacks.Error onerror;
    private volatile Callbacks.NegotiationCompleted onnegotiationcompleted;
    private volatile Callbacks.DownTrack ondowntrack;
    private volatile Callbacks.Status onstatus;
    private volatile Callbacks.Stats onstats;

    Stream(ServerConnection sc, String id, String localId, boolean up) {
        this.sc = sc;
        this.id = id;
        this.localId = localId;
        this.up = up;
    }

    void attach(RTCPeerConnection pc) {
        this.pc = pc;
    }

    // ---------------------------------------------------------------- members

    /** The connection, or null once the stream is closed. */
    public ServerConnection sc() {
        return sc;
    }

    public String id() {
        return id;
    }

    public String localId() {
        return localId;
    }

    public boolean up() {
        return up;
    }

    /** For down streams: the id of the presenting client. */
    public String source() {
        return source;
    }

    void source(String s) {
        source = s;
    }

    /** For down streams: the presenter's username. */
    public String username() {
        return username;
    }

    void username(String u) {
        username = u;
    }

    public RTCPeerConnection pc() {
        return pc;
    }

    /** For down streams: the MediaStream the tracks arrived in (null before the first track). */
    public MediaStream stream() {
        return stream;
    }

    /** The tracks this stream carries now (sent for up streams, received for down streams). */
    public List<MediaStreamTrack> tracks() {
        return Collections.unmodifiableList(tracks);
    }

    public String label() {
        return label;
    }

    /** Sets the label of an up stream; do it before adding tracks (the server fixes it at creation). */
    public void label(String l) {
        label = l;
    }

    /** The id of the up stream this one replaces, until the first offer is sent. */
    public String replace() {
        return replace;
    }

    void replace(String r) {
        replace = r;
    }

    /** The last statistics computed (see {@link #setStatsInterval}), by track or stats id. */
    public Map<String, Map<String, Object>> stats() {
        return stats;
    }

    public Map<String, Object> userdata() {
        return userdata;
    }

    // ---------------------------------------------------------------- callbacks

    public void onclose(Callbacks.StreamClose c) {
        onclose = c;
    }

    public void onerror(Callbacks.Error c) {
        onerror = c;
    }

    public void onnegotiationcompleted(Callbacks.NegotiationCompleted c) {
        onnegotiationcompleted = c;
    }

    public void ondowntrack(Callbacks.DownTrack c) {
        ondowntrack = c;
    }

    public void onstatus(Callbacks.Status c) {
        onstatus = c;
    }

    public void onstats(Callbacks.Stats c) {
        onstats = c;
    }

    // ---------------------------------------------------------------- up stream media

    /** Adds a track to an up stream (renegotiation follows by itself). */
    public RTCRtpSender addTrack(MediaStreamTrack track) {
        requireUp();
        RTCRtpSender sender = pc.addTrack(track, List.of(msid));
        synchronized (senders) {
            senders.put(track, sender);
        }
        tracks.add(track);
        recomputeOwnStreams();
        return sender;
    }

    /**
     * Adds a video track sent as simulcast, one encoding per layer (e.g. scaleResolutionDownBy
     * 1 and 2). libwebrtc names the layers ("0", "1"…) itself. The layers are put lowest
     * resolution first, whatever the order given: the libwebrtc in webrtc-java 0.14 encodes
     * nothing at all otherwise. Note that the offer then lists the low layer first.
     */
    public RTCRtpTransceiver addSimulcastVideo(VideoTrack track, List<RTCRtpEncodingParameters> encodings) {
        requireUp();
        RTCRtpTransceiverInit init = new RTCRtpTransceiverInit();
        init.direction = RTCRtpTransceiverDirection.SEND_ONLY;
        init.streamIds = List.of(msid);
        init.sendEncodings = simulcastOrder(encodings);
        RTCRtpTransceiver t = pc.addTransceiver(track, init);
        synchronized (senders) {
            senders.put(track, t.getSender());
        }
        tracks.add(track);
        recomputeOwnStreams();
        return t;
    }

    /**
     * The encodings with browsers' defaults filled in (webrtc-java would pass unset fields as
     * zero or false), lowest resolution first.
     */
    public static List<RTCRtpEncodingParameters> simulcastOrder(List<RTCRtpEncodingParameters> encodings) {
        List<RTCRtpEncodingParameters> out = new ArrayList<>(encodings);
        for (RTCRtpEncodingParameters e : out) {
            if (e.active == null) {
                e.active = true;
            }
            if (e.scaleResolutionDownBy == null) {
                e.scaleResolutionDownBy = 1.0;
            }
        }
        out.sort((x, y) -> Double.compare(y.scaleResolutionDownBy, x.scaleResolutionDownBy));
        return out;
    }

    public void removeTrack(MediaStreamTrack track) {
        requireUp();
        RTCRtpSender sender;
        synchronized (senders) {
            sender = senders.remove(track);
        }
        if (sender != null) {
            pc.removeTrack(sender);
        }
        tracks.remove(track);
        recomputeOwnStreams();
    }

    /** Makes the up stream carry exactly {@code newTracks}: removes the others, adds the missing ones. */
    public void setStream(List<? extends MediaStreamTrack> newTracks) {
        requireUp();
        for (MediaStreamTrack t : List.copyOf(tracks)) {
            if (!newTracks.contains(t)) {
                removeTrack(t);
            }
        }
        for (MediaStreamTrack t : newTracks) {
            if (!tracks.contains(t)) {
                addTrack(t);
            }
        }
    }

    private void recomputeOwnStreams() {
        ServerConnection c = sc;
        if (c == null) {
            return;
        }
        c.loop().execute(() -> {
            if (c.recomputeUserStreams(c.id())) {
                c.callUser(c.id(), "change");
            }
        });
    }

    private void requireUp() {
        if (!up) {
            throw new IllegalStateException("not an up stream");
        }
        if (sc == null) {
            throw new IllegalStateException("stream is closed");
        }
    }

    // ---------------------------------------------------------------- methods

    /**
     * Closes the stream: stops sending, closes the peer connection, tells the server for an up
     * stream (unless {@code replace}), then calls {@code onclose(replace)}.
     */
    public void close(boolean replace) {
        ServerConnection c = sc;
        if (c == null) {
            return;
        }
        c.loop().run(() -> doClose(replace));
    }

    public void close() {
        close(false);
    }

    private void doClose(boolean replaced) {
        ServerConnection c = sc;
        if (c == null) {
            return;
        }
        if (statsHandler != null) {
            statsHandler.cancel(false);
            statsHandler = null;
        }
        RTCPeerConnection p = pc;
        if (p != null) {
            // libwebrtc aborts the process if a sending track outlives its closed connection
            for (RTCRtpSender s : p.getSenders()) {
                try {
                    p.removeTrack(s);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "removeTrack", e);
                }
            }
            p.close();
        }
        synchronized (senders) {
            senders.clear();
        }
        if (up && !replaced && localDescriptionSent) {
            try {
                c.send(Message.of("close").id(id).build());
            } catch (IllegalStateException e) {
                // the socket is gone; the server cleans up by itself
            }
        }
        c.forget(this);
        List<MediaStreamTrack> had = List.copyOf(tracks);
        tracks.clear();
        String uid = up ? c.id() : source;
        if (uid != null && !had.isEmpty() && c.recomputeUserStreams(uid)) {
            c.callUser(uid, "change");
        }
        Callbacks.StreamClose cb = onclose;
        if (cb != null) {
            EventLoop.runGuarded(() -> cb.onClose(replaced));
        }
        sc = null;
    }

    /** Asks the server to stop sending this down stream; it answers with close. */
    public CompletableFuture<Void> abort() {
        if (up) {
            throw new IllegalStateException("Abort called on an up stream");
        }
        return connection().send(Message.of("abort").id(id).build());
    }

    /** Down streams: which tracks of this stream to receive ("audio", "video", "video-low"); null for the default. */
    public CompletableFuture<Void> request(List<String> what) {
        return connection().send(Message.of("requestStream").id(id)
                .request(what == null ? null : Json.strings(what)).build());
    }

    /**
     * Up streams: restarts ICE by renegotiating. Down streams: asks the server to restart
     * ICE. Returns at once; negotiation happens asynchronously.
     */
    public void restartIce() {
        ServerConnection c = connection();
        if (!up) {
            c.send(Message.of("renegotiate").id(id).build());
            return;
        }
        negotiate(true);
    }

    public CompletableFuture<Void> negotiate() {
        return negotiate(false);
    }

    /**
     * Offers (or re-offers) an up stream to the server. Called automatically when tracks
     * change. Offers never overlap: a request made while an offer awaits its answer is
     * deferred until the answer arrives, then merged into one new offer.
     */
    public CompletableFuture<Void> negotiate(boolean restartIce) {
        if (!up) {
            throw new IllegalStateException("not an up stream");
        }
        ServerConnection c = connection();
        CompletableFuture<Void> done = new CompletableFuture<>();
        c.loop().execute(() -> {
            if (sc == null) {
                done.completeExceptionally(new IllegalStateException("stream is closed"));
                return;
            }
            if (offerOutstanding) {
                negotiationPending = true;
                restartPending |= restartIce;
                done.complete(null);
                return;
            }
            offerOutstanding = true;
            RTCPeerConnection p = pc;
            Rtc.createOffer(p, restartIce)
                    .thenCompose(offer -> Rtc.setLocal(p, offer))
                    .whenCompleteAsync((x, e) -> {
                        if (sc == null) {
                            done.complete(null);
                            return;
                        }
                        if (e != null) {
                            offerOutstanding = false;
                            fail(e);
                            done.completeExceptionally(e);
                            return;
                        }
                        try {
                            c.send(Message.of("offer").source(c.id()).username(c.username())
                                    .kind(localDescriptionSent ? "renegotiate" : "").id(id).replace(replace)
                                    .label(label).sdp(p.getLocalDescription().sdp).build());
                        } catch (IllegalStateException ex) {
                            offerOutstanding = false;
                            done.completeExceptionally(ex);
                            return;
                        }
                        localDescriptionSent = true;
                        replace = null;
                        flushLocalIceCandidates();
                        done.complete(null);
                    }, c.loop());
        });
        return done;
    }

    void gotAnswer(String sdp) {
        ServerConnection c = sc;
        if (c == null) {
            return;
        }
        Rtc.setRemote(pc, RTCSdpType.ANSWER, sdp).whenCompleteAsync((x, e) -> {
            if (sc == null) {
                return;
            }
            offerOutstanding = false;
            if (e != null) {
                fail(e);
                return;
            }
            remoteDescriptionSet = true;
            flushRemoteIceCandidates();
            callNegotiationCompleted();
            if (negotiationPending && sc != null) {
                boolean restart = restartPending;
                negotiationPending = false;
                restartPending = false;
                negotiate(restart);
            }
        }, c.loop());
    }

    void answerOffer(String sdp) {
        ServerConnection c = sc;
        RTCPeerConnection p = pc;
        Rtc.setRemote(p, RTCSdpType.OFFER, sdp)
                .thenApplyAsync(x -> {
                    if (sc == null) {
                        throw new IllegalStateException("stream is closed");
                    }
                    remoteDescriptionSet = true;
                    flushRemoteIceCandidates();
                    return x;
                }, c.loop())
                .thenCompose(x -> Rtc.createAnswer(p))
                .thenCompose(answer -> Rtc.setLocal(p, answer))
                .whenCompleteAsync((x, e) -> {
                    if (sc == null) {
                        return;
                    }
                    if (e != null) {
                        callError(e);
                        try {
                            abort();
                        } catch (IllegalStateException ignored) {
                            // connection gone
                        }
                        return;
                    }
                    try {
                        c.send(Message.of("answer").id(id).sdp(p.getLocalDescription().sdp).build());
                    } catch (IllegalStateException ex) {
                        return;
                    }
                    localDescriptionSent = true;
                    flushLocalIceCandidates();
                    callNegotiationCompleted();
                }, c.loop());
    }

    void gotRemoteIce(Message.Candidate candidate) {
        if (remoteDescriptionSet) {
            addRemote(candidate);
        } else {
            remoteIceCandidates.add(candidate);
        }
    }

    private void addRemote(Message.Candidate candidate) {
        if (sc == null) {
            return; // a closed peer connection has no native handle any more
        }
        try {
            pc.addIceCandidate(Rtc.fromMessage(candidate));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "bad remote candidate", e);
        }
    }

    private void flushRemoteIceCandidates() {
        List<Message.Candidate> pending = List.copyOf(remoteIceCandidates);
        remoteIceCandidates.clear();
        pending.forEach(this::addRemote);
    }

    private void gotLocalIce(RTCIceCandidate candidate) {
        ServerConnection c = sc;
        if (c == null) {
            return;
        }
        if (localDescriptionSent) {
            sendIce(c, candidate);
        } else {
            localIceCandidates.add(candidate);
        }
    }

    private void flushLocalIceCandidates() {
        ServerConnection c = sc;
        List<RTCIceCandidate> pending = List.copyOf(localIceCandidates);
        localIceCandidates.clear();
        pending.forEach(cand -> sendIce(c, cand));
    }

    private void sendIce(ServerConnection c, RTCIceCandidate candidate) {
        try {
            c.send(Message.of("ice").id(id).candidate(Rtc.toMessage(candidate)).build());
        } catch (IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, "ice not sent: {0}", e.getMessage());
        }
    }

    private void fail(Throwable e) {
        callError(e);
        doClose(false);
    }

    private void callError(Throwable e) {
        Callbacks.Error cb = onerror;
        if (cb != null) {
            EventLoop.runGuarded(() -> cb.onError(e));
        } else {
            LOG.log(System.Logger.Level.WARNING, "stream " + id + " failed", e);
        }
    }

    private void callNegotiationCompleted() {
        Callbacks.NegotiationCompleted cb = onnegotiationcompleted;
        if (cb != null) {
            EventLoop.runGuarded(cb::onNegotiationCompleted);
        }
    }

    private ServerConnection connection() {
        ServerConnection c = sc;
        if (c == null) {
            throw new IllegalStateException("stream is closed");
        }
        return c;
    }

    // ---------------------------------------------------------------- stats

    /**
     * Computes statistics every {@code ms} milliseconds and calls {@code onstats}; 0 stops.
     * Keys are "outbound-rtp"/"inbound-rtp" stats ids; values hold the raw attributes plus
     * {@code rate} (bits per second since the last sample) where it can be computed.
     */
    public void setStatsInterval(long ms) {
        ServerConnection c = connection();
        c.loop().run(() -> {
            if (statsHandler != null) {
                statsHandler.cancel(false);
                statsHandler = null;
            }
            if (ms > 0) {
                statsHandler = c.loop().every(ms, this::updateStats);
            }
        });
    }

    private void updateStats() {
        ServerConnection c = sc;
        RTCPeerConnection p = pc;
        if (c == null || p == null) {
            return;
        }
        p.getStats(report -> c.loop().execute(() -> gotStats(report)));
    }

    private void gotStats(RTCStatsReport report) {
        if (sc == null) {
            return;
        }
        Map<String, Map<String, Object>> out = new HashMap<>();
        Map<String, Map<String, Object>> raw = new HashMap<>();
        for (RTCStats s : report.getStats().values()) {
            String type = s.getType().toString().toLowerCase(Locale.ROOT).replace('_', '-');
            if (!type.equals("outbound-rtp") && !type.equals("inbound-rtp")) {
                continue;
            }
            Map<String, Object> values = new HashMap<>(s.getAttributes());
            values.put("type", type);
            values.put("timestamp", s.getTimestamp());
            String bytesKey = type.equals("outbound-rtp") ? "bytesSent" : "bytesReceived";
            Map<String, Object> before = previousRaw.get(s.getId());
            if (before != null && values.get(bytesKey) instanceof Number now
                    && before.get(bytesKey) instanceof Number then) {
                long dtMicros = s.getTimestamp() - ((Number) before.get("timestamp")).longValue();
                if (dtMicros > 0) {
                    values.put("rate", (now.doubleValue() - then.doubleValue()) * 8e6 / dtMicros);
                }
            }
            raw.put(s.getId(), values);
            out.put(s.getId(), Collections.unmodifiableMap(values));
        }
        previousRaw = raw;
        stats = Collections.unmodifiableMap(out);
        Callbacks.Stats cb = onstats;
        if (cb != null) {
            Map<String, Map<String, Object>> snapshot = stats;
            EventLoop.runGuarded(() -> cb.onStats(snapshot));
        }
    }

    // ---------------------------------------------------------------- libwebrtc events

    /**
     * libwebrtc calls these on its signalling thread, which must never wait for us (our event
     * thread may itself be waiting inside a libwebrtc call): everything is posted, never run.
     */
    PeerConnectionObserver observer() {
        return new PeerConnectionObserver() {
            @Override
            public void onIceCandidate(RTCIceCandidate candidate) {
                post(() -> gotLocalIce(candidate));
            }

            @Override
            public void onIceConnectionChange(RTCIceConnectionState state) {
                post(() -> iceStateChanged(state));
            }

            @Override
            public void onRenegotiationNeeded() {
                if (up) {
                    post(() -> {
                        if (sc != null) {
                            negotiate(false);
                        }
                    });
                }
            }

            @Override
            public void onAddTrack(RTCRtpReceiver receiver, MediaStream[] streams) {
                MediaStreamTrack track = receiver.getTrack();
                post(() -> gotTrack(receiver, track, streams.length > 0 ? streams[0] : null));
            }
        };
    }

    private void post(Runnable r) {
        ServerConnection c = sc;
        if (c != null) {
            c.loop().execute(r);
        }
    }

    private void iceStateChanged(RTCIceConnectionState state) {
        ServerConnection c = sc;
        if (c == null) {
            return;
        }
        Callbacks.Status cb = onstatus;
        if (cb != null) {
            String status = state.toString().toLowerCase(Locale.ROOT);
            EventLoop.runGuarded(() -> cb.onStatus(status));
        }
        if (state == RTCIceConnectionState.FAILED) {
            try {
                restartIce();
            } catch (IllegalStateException e) {
                LOG.log(System.Logger.Level.DEBUG, "restartIce", e);
            }
        }
    }

    private void gotTrack(RTCRtpReceiver receiver, MediaStreamTrack track, MediaStream ms) {
        ServerConnection c = sc;
        if (c == null || up) {
            return;
        }
        if (ms != null) {
            stream = ms;
        }
        tracks.add(track);
        RTCRtpTransceiver transceiver = null;
        String trackId = track.getId();
        for (RTCRtpTransceiver t : pc.getTransceivers()) { // still open: sc is set
            MediaStreamTrack rt = t.getReceiver().getTrack();
            if (rt != null && trackId.equals(rt.getId())) {
                transceiver = t;
                break;
            }
        }
        boolean changed = source != null && c.recomputeUserStreams(source);
        Callbacks.DownTrack cb = ondowntrack;
        if (cb != null) {
            RTCRtpTransceiver tr = transceiver;
            EventLoop.runGuarded(() -> cb.onDownTrack(track, tr, ms));
        }
        if (changed) {
            c.callUser(source, "change");
        }
    }
}
