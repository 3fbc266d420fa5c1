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

    /**
     * The connection this stream belongs to.
     *
     * @return the connection, or null once the stream is closed
     */
    public ServerConnection sc() {
        return sc;
    }

    /**
     * The stream id the server knows this stream by ({@code id} of its offer, answer, ice and
     * close messages). An up stream gets a new random id; a down stream has the id the server
     * chose.
     *
     * @return the stream id
     */
    public String id() {
        return id;
    }

    /**
     * The application's name for this stream, which survives replacement: an up stream created
     * with {@link ServerConnection#newUpStream(String)} keeps the given local id, and a down
     * stream that replaces another inherits its local id. Streams created without one get a
     * small decimal number.
     *
     * @return the local id, never null
     */
    public String localId() {
        return localId;
    }

    /**
     * Whether we send this stream (up) or receive it (down).
     *
     * @return true for an up stream, false for a down stream
     */
    public boolean up() {
        return up;
    }

    /**
     * For down streams, who presents it.
     *
     * @return the presenting client's id; null for an up stream
     */
    public String source() {
        return source;
    }

    void source(String s) {
        source = s;
    }

    /**
     * For down streams, the presenter's username as the server announced it.
     *
     * @return the presenter's username; null for an up stream or when the server sent none
     */
    public String username() {
        return username;
    }

    void username(String u) {
        username = u;
    }

    /**
     * The libwebrtc peer connection carrying this stream, for what the SDK does not wrap
     * (statistics, transceivers). Don't close it yourself: use {@link #close()}.
     *
     * @return the peer connection; it exists from creation on
     */
    public RTCPeerConnection pc() {
        return pc;
    }

    /**
     * For down streams, the MediaStream the received tracks belong to.
     *
     * @return the MediaStream; null before the first track arrives, and always for up streams
     */
    public MediaStream stream() {
        return stream;
    }

    /**
     * The tracks this stream carries now.
     *
     * @return the tracks sent (up stream) or received (down stream), unmodifiable
     */
    public List<MediaStreamTrack> tracks() {
        return Collections.unmodifiableList(tracks);
    }

    /**
     * The stream's label, such as {@code "camera"} or {@code "screenshare"}: what the web client
     * shows it as, and the key of {@link ServerConnection#request(Map)}.
     *
     * @return the label; null until set (up) or when the server's offer carried none (down)
     */
    public String label() {
        return label;
    }

    /**
     * Sets the label of an up stream. Do it before adding tracks: the label travels in the
     * first offer, and the server keeps the label it saw at creation.
     *
     * @param l the label, e.g. {@code "camera"}
     */
    public void label(String l) {
        label = l;
    }

    /**
     * For an up stream that replaces an older one with the same local id: the old stream's id,
     * which the first offer carries so that receivers swap streams without a gap.
     *
     * @return the replaced stream's id until the first offer is sent, then null
     */
    public String replace() {
        return replace;
    }

    void replace(String r) {
        replace = r;
    }

    /**
     * The last statistics computed (see {@link #setStatsInterval}).
     *
     * @return attributes by stats id; empty until the first sample
     */
    public Map<String, Map<String, Object>> stats() {
        return stats;
    }

    /**
     * A place for the application to keep its own data about this stream (a UI element, a
     * recorder); the library never reads it.
     *
     * @return a mutable, thread-safe map
     */
    public Map<String, Object> userdata() {
        return userdata;
    }

    // ---------------------------------------------------------------- callbacks

    /**
     * Sets the callback run once when the stream is closed, by us, by the server or because
     * the connection ended.
     *
     * @param c called with {@code replace} true when a newer stream with the same local id
     *          took this one's place; null to remove
     */
    public void onclose(Callbacks.StreamClose c) {
        onclose = c;
    }

    /**
     * Sets the callback run when negotiating this stream fails (libwebrtc refuses an offer or
     * answer); the stream is closed right after. Without a callback the failure is logged.
     *
     * @param c called with the failure; null to remove
     */
    public void onerror(Callbacks.Error c) {
        onerror = c;
    }

    /**
     * Sets the callback run each time an offer/answer exchange completes, initially and after
     * every renegotiation: for an up stream when the server's answer is applied, for a down
     * stream when our answer is sent.
     *
     * @param c the callback; null to remove
     */
    public void onnegotiationcompleted(Callbacks.NegotiationCompleted c) {
        onnegotiationcompleted = c;
    }

    /**
     * Sets the callback run for each track that arrives on a down stream. Set it in
     * {@code ondownstream}, before the first track can arrive, and attach your sinks there.
     *
     * @param c called with the track, its transceiver and its MediaStream; null to remove
     */
    public void ondowntrack(Callbacks.DownTrack c) {
        ondowntrack = c;
    }

    /**
     * Sets the callback run when the ICE connection state of the stream changes. On
     * "failed" the library also restarts ICE by itself.
     *
     * @param c called with the state as browsers name it ("checking", "connected",
     *          "failed"…); null to remove
     */
    public void onstatus(Callbacks.Status c) {
        onstatus = c;
    }

    /**
     * Sets the callback run with each statistics sample; samples are taken only after
     * {@link #setStatsInterval} started them.
     *
     * @param c called with the same map {@link #stats()} then returns; null to remove
     */
    public void onstats(Callbacks.Stats c) {
        onstats = c;
    }

    // ---------------------------------------------------------------- up stream media

    /**
     * Adds a track to an up stream; the library renegotiates by itself.
     *
     * @param track an audio or video track made with {@link MediaEngine}; it stays yours to
     *              dispose after the stream is closed
     * @return libwebrtc's sender for the track (for encoding parameters)
     * @throws IllegalStateException for a down stream or a closed stream
     */
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
     *
     * @param track     the video track to send
     * @param encodings one entry per layer; unset {@code active} and
     *                  {@code scaleResolutionDownBy} default to true and 1
     * @return the send-only transceiver created for the track
     * @throws IllegalStateException for a down stream or a closed stream
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
     * zero or false), lowest resolution first. This is what {@link #addSimulcastVideo} sends;
     * it is public so that an application can see the order the offer will have.
     *
     * @param encodings the layers as given; their unset fields are filled in place
     * @return a new list of the same encodings, largest {@code scaleResolutionDownBy} first
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

    /**
     * Stops sending a track on an up stream; the library renegotiates by itself. A track the
     * stream does not carry is ignored.
     *
     * @param track the track to remove; it stays yours to dispose
     * @throws IllegalStateException for a down stream or a closed stream
     */
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

    /**
     * Makes the up stream carry exactly {@code newTracks}: removes the others, adds the
     * missing ones (the Java form of the reference's {@code setStream(MediaStream)}).
     *
     * @param newTracks the tracks to send from now on
     * @throws IllegalStateException for a down stream or a closed stream
     */
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
            if (c.streams().recomputeUserStreams(c.id())) {
                c.callbacks().user(c.id(), "change");
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
     * stream (unless {@code replace}), then calls {@code onclose(replace)}. Synchronous: the
     * peer connection is closed when this returns. Closing a closed stream does nothing.
     *
     * @param replace true when a new stream takes this one's place (the server then learns of
     *                it from the new stream's offer rather than from a close message)
     */
    public void close(boolean replace) {
        ServerConnection c = sc;
        if (c == null) {
            return;
        }
        c.loop().run(() -> doClose(replace));
    }

    /** Closes the stream for good: the same as {@code close(false)}. */
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
        c.streams().forget(this);
        List<MediaStreamTrack> had = List.copyOf(tracks);
        tracks.clear();
        String uid = up ? c.id() : source;
        if (uid != null && !had.isEmpty() && c.streams().recomputeUserStreams(uid)) {
            c.callbacks().user(uid, "change");
        }
        Callbacks.StreamClose cb = onclose;
        if (cb != null) {
            EventLoop.runGuarded(() -> cb.onClose(replaced));
        }
        sc = null;
    }

    /**
     * Asks the server to stop sending this down stream; the server answers with a close, and
     * the stream is then closed like any other.
     *
     * @return completes when the request is written to the socket
     * @throws IllegalStateException for an up stream, or when the connection is not open
     */
    public CompletableFuture<Void> abort() {
        if (up) {
            throw new IllegalStateException("Abort called on an up stream");
        }
        return connection().send(Message.of("abort").id(id).build());
    }

    /**
     * For a down stream, chooses which of its tracks to receive, overriding the connection's
     * {@link ServerConnection#request(Map)} for this stream only.
     *
     * @param what any of "audio", "video", "video-low"; null to go back to the default
     * @return completes when the request is written to the socket
     * @throws IllegalStateException when the stream or the connection is closed
     */
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

    /**
     * Offers an up stream again without restarting ICE: the same as {@code negotiate(false)}.
     *
     * @return as {@link #negotiate(boolean)}
     */
    public CompletableFuture<Void> negotiate() {
        return negotiate(false);
    }

    /**
     * Offers (or re-offers) an up stream to the server. Called automatically when tracks
     * change. Offers never overlap: a request made while an offer awaits its answer is
     * deferred until the answer arrives, then merged into one new offer.
     *
     * @param restartIce true to gather new ICE credentials (after a network change)
     * @return completes when the offer is sent, or at once when it was deferred; fails when
     *         the offer could not be created or sent
     * @throws IllegalStateException for a down stream, or when the stream is closed
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
     *
     * @param ms the sampling period in milliseconds; 0 or less stops sampling
     * @throws IllegalStateException when the stream is closed
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
        boolean changed = source != null && c.streams().recomputeUserStreams(source);
        Callbacks.DownTrack cb = ondowntrack;
        if (cb != null) {
            RTCRtpTransceiver tr = transceiver;
            EventLoop.runGuarded(() -> cb.onDownTrack(track, tr, ms));
        }
        if (changed) {
            c.callbacks().user(source, "change");
        }
    }
}
