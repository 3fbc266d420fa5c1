package dev.parley.client;

import dev.onvoid.webrtc.RTCConfiguration;
import dev.parley.protocol.Message;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streams of one connection and the server's stream messages: creating up streams,
 * accepting the server's offers as down streams, and routing answers, ICE candidates,
 * renegotiations, closes and aborts to the stream they name. Also derives each member's
 * {@link User#streams()} from the streams we carry. Event thread only, except the maps,
 * which getters read from any thread.
 */
final class StreamSignalling {
    private static final System.Logger LOG = System.getLogger(StreamSignalling.class.getName());
    /** Streams whose candidates may wait for their offer; the oldest is dropped beyond this. */
    private static final int EARLY_CANDIDATE_STREAMS = 64;

    private final ServerConnection sc;
    private final Map<String, Stream> up = new ConcurrentHashMap<>();
    private final Map<String, Stream> down = new ConcurrentHashMap<>();
    /** Candidates that arrived before the offer of their stream (S16); bounded. */
    private final Map<String, List<Message.Candidate>> earlyCandidates = new LinkedHashMap<>();

    StreamSignalling(ServerConnection sc) {
        this.sc = sc;
    }

    Map<String, Stream> up() {
        return up;
    }

    Map<String, Stream> down() {
        return down;
    }

    Stream findByLocalId(String localId) {
        if (localId == null || localId.isEmpty()) {
            return null;
        }
        for (Stream s : up.values()) {
            if (localId.equals(s.localId())) {
                return s;
            }
        }
        return null;
    }

    /** Event thread. */
    Stream newUpStream(String localId) {
        String sid = Ids.random();
        RTCConfiguration conf = sc.getRTCConfiguration();
        String oldId = null;
        if (localId != null && !localId.isEmpty()) {
            Stream old = findByLocalId(localId);
            if (old != null) {
                oldId = old.id();
                old.close(true);
            }
        }
        Stream c = new Stream(sc, sid, localId == null || localId.isEmpty() ? Ids.local() : localId, true);
        c.attach(sc.engine().createPeerConnection(conf, c.observer()));
        c.replace(oldId);
        up.put(sid, c);
        return c;
    }

    /** A stream has closed; it no longer receives the server's messages. */
    void forget(Stream s) {
        if (s.up()) {
            up.remove(s.id(), s);
        } else {
            down.remove(s.id(), s);
        }
    }

    /** The connection has ended: every stream closes (not replaced). */
    void closeAll() {
        for (Stream c : List.copyOf(up.values())) {
            c.close(false);
        }
        for (Stream c : List.copyOf(down.values())) {
            c.close(false);
        }
    }

    /** Recomputes {@code users().get(uid).streams()}; true if it changed. */
    boolean recomputeUserStreams(String uid) {
        User user = sc.membership().users().get(uid);
        if (user == null) {
            return false;
        }
        boolean self = uid.equals(sc.id());
        Map<String, Map<String, Boolean>> streams = new LinkedHashMap<>();
        for (Stream c : (self ? up : down).values()) {
            if (!self && !uid.equals(c.source())) {
                continue;
            }
            if (c.tracks().isEmpty()) {
                continue;
            }
            Map<String, Boolean> kinds = streams.computeIfAbsent(c.label() == null ? "" : c.label(),
                    k -> new LinkedHashMap<>());
            c.tracks().forEach(t -> kinds.put(t.getKind(), true));
        }
        if (streams.equals(user.streams())) {
            return false;
        }
        sc.membership().update(uid, user.withStreams(streams));
        return true;
    }

    // ---------------------------------------------------------------- server messages (event thread)

    void gotOffer(String sid, String label, String source, String username, String sdp, String replace) {
        if (sid == null || sid.isEmpty()) {
            return;
        }
        if (up.containsKey(sid)) {
            LOG.log(System.Logger.Level.ERROR, "Duplicate connection id {0}", sid);
            sc.trySend(Message.of("abort").id(sid).build());
            return;
        }
        String oldLocalId = null;
        if (replace != null && !replace.isEmpty()) {
            Stream old = down.get(replace);
            if (old != null) {
                oldLocalId = old.localId();
                old.close(true);
            }
        }
        Stream c = down.get(sid);
        if (c == null) {
            c = new Stream(sc, sid, oldLocalId != null ? oldLocalId : Ids.local(), false);
            try {
                c.attach(sc.engine().createPeerConnection(sc.getRTCConfiguration(), c.observer()));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "peer connection failed", e);
                sc.trySend(Message.of("abort").id(sid).build());
                return;
            }
            c.label(label);
            down.put(sid, c);
            List<Message.Candidate> early = earlyCandidates.remove(sid);
            if (early != null) {
                early.forEach(c::gotRemoteIce);
            }
        }
        c.source(source);
        c.username(username);
        sc.callbacks().downStream(c);
        c.answerOffer(sdp);
    }

    void gotAnswer(String sid, String sdp) {
        Stream c = knownUpStream(sid, "answer");
        if (c != null) {
            c.gotAnswer(sdp);
        }
    }

    void gotRenegotiate(String sid) {
        Stream c = knownUpStream(sid, "renegotiate");
        if (c != null) {
            c.restartIce();
        }
    }

    void gotClose(String sid) {
        Stream c = down.get(sid);
        if (c == null) {
            earlyCandidates.remove(sid);
            return; // S15: routinely sent for streams we never had
        }
        c.close(false);
    }

    void gotAbort(String sid) {
        Stream c = knownUpStream(sid, "abort");
        if (c != null) {
            c.close(false);
        }
    }

    /** The up stream a server message names; a message for an unknown one is logged and dropped. */
    private Stream knownUpStream(String sid, String type) {
        Stream c = up.get(sid);
        if (c == null) {
            LOG.log(System.Logger.Level.WARNING, "{0} for unknown up stream {1}", type, sid);
        }
        return c;
    }

    void gotRemoteIce(String sid, Message.Candidate candidate) {
        if (candidate == null || sid == null) {
            return;
        }
        Stream c = up.get(sid);
        if (c == null) {
            c = down.get(sid);
        }
        if (c != null) {
            c.gotRemoteIce(candidate);
            return;
        }
        // S16: candidates may precede their offer
        if (earlyCandidates.size() >= EARLY_CANDIDATE_STREAMS && !earlyCandidates.containsKey(sid)) {
            earlyCandidates.remove(earlyCandidates.keySet().iterator().next());
        }
        earlyCandidates.computeIfAbsent(sid, k -> new ArrayList<>()).add(candidate);
    }
}
