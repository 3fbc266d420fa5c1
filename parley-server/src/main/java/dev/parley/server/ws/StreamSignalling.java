package dev.parley.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Message;
import dev.parley.protocol.MessageCodec;
import dev.parley.rtc.sdp.SessionDescription;
import dev.parley.server.group.Group;
import dev.parley.server.sfu.DownStream;
import dev.parley.server.sfu.MediaService;
import dev.parley.server.sfu.SdpNegotiation;
import dev.parley.server.group.StreamRouting;
import dev.parley.server.sfu.TrackSelection;
import dev.parley.server.sfu.UpStream;
import dev.parley.server.sfu.UpTrack;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stream negotiation for one session (spec B.6–B.8): the client's up streams (it offers)
 * and down streams (the server offers). Runs on the session's thread; pushes from other
 * presenters arrive through {@link ClientSession#runInSession}.
 */
final class StreamSignalling {

    private final ClientSession session;
    /** label → requested track kinds (S1); empty until the client sends {@code request}. */
    private volatile Map<String, List<String>> request = Map.of();
    private final Map<String, UpStream> ups = new ConcurrentHashMap<>();
    private final Map<String, DownStream> downs = new ConcurrentHashMap<>();
    private final Map<String, String> pendingReplace = new ConcurrentHashMap<>();

    StreamSignalling(ClientSession session) {
        this.session = session;
    }

    private MediaService media() {
        return session.ctx.media();
    }

    // ---- requests --------------------------------------------------------------------------

    void request(Message m) throws SessionTermination {
        if (session.group() == null) {
            throw new SessionTermination.InternalFailure("request before join");      // S1
        }
        request = parseRequest(m.request());
        StreamRouting.offerExisting(session.group(), session);                         // S4
    }

    static Map<String, List<String>> parseRequest(JsonNode r) throws SessionTermination {
        if (r == null || r.isNull()) {
            return Map.of();
        }
        if (!r.isObject()) {
            throw new SessionTermination.InternalFailure("bad request");
        }
        Map<String, List<String>> out = new HashMap<>();
        for (var it = r.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().isNull()) {
                out.put(e.getKey(), List.of());
                continue;
            }
            try {
                out.put(e.getKey(), MessageCodec.stringList(e.getValue(), "request"));
            } catch (MessageCodec.MalformedMessageException ex) {
                throw new SessionTermination.InternalFailure("bad request");
            }
        }
        return Map.copyOf(out);
    }

    void requestStream(Message m) throws SessionTermination {
        DownStream d = m.id() == null ? null : downs.get(m.id());
        if (d == null) {
            throw new SessionTermination.InternalFailure("unknown stream " + m.id());  // S5
        }
        List<String> override;
        if (m.request() == null || m.request().isNull()) {
            override = null;
        } else {
            try {
                override = MessageCodec.stringList(m.request(), "request");
            } catch (MessageCodec.MalformedMessageException e) {
                throw new SessionTermination.InternalFailure("bad request");
            }
        }
        d.setOverride(override);
        push(d.up());
    }

    List<UpStream> upStreams() {
        return List.copyOf(ups.values());
    }

    /**
     * Offers an up stream of another member to this client, or closes it (S2–S4, S7, S15).
     * Runs on this session's thread.
     */
    void push(UpStream up) {
        if (session.group() == null) {
            return;
        }
        DownStream d = downs.get(up.id());
        List<String> kinds = d != null && d.override() != null ? d.override()
                : TrackSelection.requested(request, up.label());
        List<UpTrack> tracks = up.isClosed() ? List.of()
                : TrackSelection.select(kinds, up.tracks());
        String replace = pendingReplace.remove(up.id());
        if (tracks.isEmpty()) {
            if (d != null) {
                downs.remove(up.id());
                d.close();
            }
            session.send(Message.of("close").id(up.id()).build());
            if (replace != null) {
                dropDown(replace, true);
            }
            return;
        }
        if (d == null) {
            DownStream fresh = new DownStream(up);
            fresh.setTransport(media().newTransport(fresh));
            fresh.onFailure(() -> session.runInSession(() -> {
                if (downs.get(up.id()) == fresh) {
                    sendOffer(fresh, true, null);                                      // S14
                }
            }));
            fresh.onDead(() -> session.runInSession(() -> {
                if (downs.get(up.id()) == fresh) {
                    dropDown(up.id(), true);                   // S15: an ICE restart cannot revive it
                }
            }));
            downs.put(up.id(), fresh);
            d = fresh;
        }
        if (replace != null) {
            dropDown(replace, false);
        }
        d.limitSpatialLayers(TrackSelection.spatialLimit(kinds, up.tracks()));     // MD10
        if (d.select(tracks) || replace != null) {
            sendOffer(d, false, replace);
        }
    }

    private void sendOffer(DownStream d, boolean restartIce, String replace) {
        SessionDescription offer = d.nextOffer(restartIce);
        if (offer == null) {
            return;                                                                     // S11: deferred
        }
        UpStream up = d.up();
        List<Message> candidates = trickled(up.id(), offer);
        session.send(Message.of("offer").id(up.id()).label(up.label()).replace(replace)
                .source(up.owner().clientId()).username(up.owner().username())
                .sdp(offer.toString()).build());
        candidates.forEach(session::send);
    }

    /** With {@code -ice-trickle}, takes the candidates out of {@code sdp} as ice messages to send after it. */
    private List<Message> trickled(String id, SessionDescription sdp) {
        return session.ctx.options().trickleIce() ? CandidateTrickle.moveOut(id, sdp) : List.of();
    }

    private void dropDown(String id, boolean tellClient) {
        DownStream old = downs.remove(id);
        if (old != null) {
            old.close();
        }
        if (tellClient) {
            session.send(Message.of("close").id(id).build());
        }
    }

    /** Stream {@code newId} replaces {@code oldId}: its first offer will say so (S20). */
    void replaced(String newId, String oldId) {
        pendingReplace.put(newId, oldId);
    }

    /** A presenter closed stream {@code id}: drop our copy and tell the client (S15, S25). */
    void upClosed(String id) {
        DownStream d = downs.remove(id);
        if (d != null) {
            d.close();
        }
        session.send(Message.of("close").id(id).build());
    }

    // ---- up streams ------------------------------------------------------------------------

    void offer(Message m) throws SessionTermination {
        requireId(m);
        String id = m.id();
        if (session.group() == null || !session.has("present")) {
            if (m.replace() != null && !m.replace().isEmpty()) {
                closeUp(m.replace(), true);                                             // S18
            }
            session.send(Message.of("abort").id(id).build());
            session.sendError("not authorised");
            return;
        }
        if (downs.containsKey(id)) {
            abortOffer(id, "this id is already used by a down stream");               // S19
            return;
        }
        SessionDescription offer;
        try {
            offer = SessionDescription.parse(m.sdp() == null ? "" : m.sdp());
        } catch (IllegalArgumentException e) {
            abortOffer(id, "bad SDP: " + e.getMessage());                              // S21
            return;
        }
        UpStream up = ups.get(id);
        boolean created = up == null;
        if (created) {
            up = new UpStream(id, m.label() == null ? "" : m.label(), new UpStreamOwner());
            up.setTransport(media().newTransport(up));
        }
        SdpNegotiation.Answer answer;
        try {
            String remoteUfrag = offer.media().stream().map(x -> x.iceUfrag()).filter(java.util.Optional::isPresent)
                    .map(java.util.Optional::get).findFirst().or(offer::iceUfrag).orElse(null);
            var local = up.transport().local();
            if (!created && remoteUfrag != null && !remoteUfrag.equals(up.remoteUfrag())) {
                local = up.transport().restartIce(remoteUfrag);                         // S24: ICE restart
            }
            up.setRemoteUfrag(remoteUfrag);
            answer = SdpNegotiation.answer(offer, session.group().description().effectiveCodecs(), local);
            var fingerprint = offer.media().stream().map(x -> x.fingerprint()).filter(java.util.Optional::isPresent)
                    .map(java.util.Optional::get).findFirst().or(offer::fingerprint)
                    .orElseThrow(() -> new IllegalArgumentException("the offer has no DTLS fingerprint"));
            up.transport().setRemoteFingerprint(fingerprint);
            up.transport().setDtlsRole(answer.dtlsRole());
        } catch (RuntimeException e) {
            if (created) {
                up.close();
            }
            abortOffer(id, "cannot answer: " + e.getMessage());
            return;
        }
        up.setSections(answer.sections());
        if (created) {
            ups.put(id, up);
            String replace = m.replace();
            if (replace != null && !replace.isEmpty() && !replace.equals(id)) {
                UpStream old = ups.remove(replace);                                     // S20
                if (old != null) {
                    old.close();
                    StreamRouting.toReceivers(session.group(), session, r -> r.replaced(id, replace));
                }
            }
        }
        List<Message> candidates = trickled(id, answer.sdp());
        session.send(Message.of("answer").id(id).sdp(answer.sdp().toString()).build());
        candidates.forEach(session::send);
        schedulePush(up);
    }

    private void abortOffer(String id, String error) {
        session.send(Message.of("abort").id(id).build());
        session.sendError(error);
    }

    /** S23: every other member is offered the stream 200 ms from now. */
    private void schedulePush(UpStream up) {
        Group g = session.group();
        if (g != null) {
            StreamRouting.schedulePush(media(), g, session, up);
        }
    }

    private void closeUp(String id, boolean tellOthers) {
        UpStream up = ups.remove(id);
        if (up == null) {
            return;
        }
        up.close();
        if (tellOthers) {
            Group g = session.group();
            if (g != null) {
                StreamRouting.toReceivers(g, session, r -> r.upClosed(id));
            }
        }
    }

    /** The signalling side of this client's up streams: what the SFU tells it and asks of it. */
    private final class UpStreamOwner implements UpStream.Owner {
        @Override
        public String clientId() {
            return session.id();
        }

        @Override
        public String username() {
            return session.username();
        }

        @Override
        public void tracksChanged(UpStream stream) {
            schedulePush(stream);
        }

        @Override
        public void transportFailed(UpStream stream) {
            session.runInSession(() -> {
                if (ups.get(stream.id()) == stream) {
                    session.send(Message.of("renegotiate").id(stream.id()).build());  // S24
                }
            });
        }

        @Override
        public void transportDead(UpStream stream) {
            session.runInSession(() -> {
                if (ups.get(stream.id()) == stream) {
                    // an ICE restart cannot revive it: close it as S26 does, the client may offer anew
                    closeUp(stream.id(), true);
                    session.send(Message.of("abort").id(stream.id()).build());
                    session.sendError("the media connection failed");
                }
            });
        }
    }

    // ---- down streams ----------------------------------------------------------------------

    void answer(Message m) throws SessionTermination {
        requireId(m);
        DownStream d = downs.get(m.id());
        if (d == null) {
            session.send(Message.of("close").id(m.id()).build());                      // S10
            return;
        }
        try {
            SessionDescription answer = SessionDescription.parse(m.sdp() == null ? "" : m.sdp());
            if (d.answered(answer)) {
                sendOffer(d, false, null);                                              // S11
            }
        } catch (RuntimeException e) {
            downs.remove(m.id());
            d.close();
            session.send(Message.of("close").id(m.id()).build());
            session.sendError("bad answer: " + e.getMessage());
        }
    }

    void renegotiate(Message m) throws SessionTermination {
        requireId(m);
        DownStream d = downs.get(m.id());
        if (d == null) {
            return;
        }
        if (d.transport().isDead()) {
            // restarting ICE on a transport whose DTLS failed cannot help: a new stream, new transport
            dropDown(m.id(), true);
            push(d.up());
            return;
        }
        sendOffer(d, true, null);                                                       // S12
    }

    void close(Message m) throws SessionTermination {
        requireId(m);
        closeUp(m.id(), true);                                                          // S25
    }

    void abort(Message m) throws SessionTermination {
        requireId(m);
        DownStream d = downs.remove(m.id());
        if (d != null) {
            d.close();
        }
        session.send(Message.of("close").id(m.id()).build());                          // S13
    }

    void ice(Message m) throws SessionTermination {
        requireId(m);
        if (m.candidate() == null) {
            throw new SessionTermination.ProtocolError("null candidate");             // S22
        }
        // ICE-lite: the client's checks reach us; its candidates need no action.
    }

    private static void requireId(Message m) throws SessionTermination {
        if (m.id() == null || m.id().isEmpty()) {
            throw new SessionTermination.ProtocolError("empty id");
        }
    }

    /** Closes all up streams (others get close) and drops all down streams silently (J17, S27). */
    void closeAll() {
        for (String id : List.copyOf(ups.keySet())) {
            closeUp(id, true);
        }
        for (DownStream d : List.copyOf(downs.values())) {
            d.close();
        }
        downs.clear();
    }

    /** The client lost {@code present} (S26). */
    void permissionLost() {
        for (String id : List.copyOf(ups.keySet())) {
            closeUp(id, true);
            session.send(Message.of("abort").id(id).build());
            session.sendError("permission denied");
        }
    }

    /** {@code .stats} lines of the up and down streams (H48). */
    List<com.fasterxml.jackson.databind.node.ObjectNode> upStatistics() {
        return ups.values().stream().map(UpStream::statistics).toList();
    }

    List<com.fasterxml.jackson.databind.node.ObjectNode> downStatistics() {
        return downs.values().stream().map(DownStream::statistics).toList();
    }

    void resetRequest() {
        request = Map.of();
    }
}
