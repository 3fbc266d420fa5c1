package dev.parley.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSignalingState;
import dev.parley.protocol.Json;
import dev.parley.protocol.Message;

import java.util.ArrayList;
import java.util.List;

/**
 * The peer connection of one {@link TransferredFile} and its signalling, which travels as
 * {@code filetransfer} user messages to the peer: the receiver offers (and creates the
 * {@code file} channel), the sender answers, both trickle ICE candidates, and candidates that
 * arrive before the remote description wait for it. Event thread, except the getters.
 */
final class FilePeer {
    private final TransferredFile f;
    private final ServerConnection sc;
    private volatile RTCPeerConnection pc;
    private volatile RTCDataChannel dc;
    /** Remote candidates waiting for the remote description. */
    private final List<RTCIceCandidate> candidates = new ArrayList<>();

    FilePeer(TransferredFile f) {
        this.f = f;
        this.sc = f.sc();
    }

    RTCPeerConnection pc() {
        return pc;
    }

    RTCDataChannel dc() {
        return dc;
    }

    /** Receiver side: creates the connection and the {@code file} channel, then sends the offer. */
    void offer(RTCDataChannelObserver channelObserver) {
        RTCPeerConnection p;
        try {
            p = sc.engine().createPeerConnection(sc.getRTCConfiguration(), observer());
        } catch (RuntimeException e) {
            f.fail(e.getMessage());
            return;
        }
        pc = p;
        f.event("connecting", null);
        RTCDataChannel channel = p.createDataChannel("file", new RTCDataChannelInit());
        dc = channel;
        channel.registerObserver(channelObserver);
        Rtc.createOffer(p, false).thenCompose(offer -> Rtc.setLocal(p, offer))
                .whenCompleteAsync((x, e) -> {
                    if (!stillWanted(e)) {
                        return;
                    }
                    ObjectNode m = message("offer");
                    m.set("version", Json.strings(List.of(f.version() == null ? "1" : f.version())));
                    m.put("sdp", p.getLocalDescription().sdp);
                    signal(m);
                }, sc.loop());
    }

    /** Sender side: the receiver's offer arrived. */
    void answer(String sdp) {
        if (!f.up()) {
            throw new IllegalStateException("Sending file in wrong direction");
        }
        if (pc != null) {
            throw new IllegalStateException("Transfer already in progress");
        }
        RTCPeerConnection p = sc.engine().createPeerConnection(sc.getRTCConfiguration(), observer());
        pc = p;
        f.event("connecting", null);
        Rtc.setRemote(p, RTCSdpType.OFFER, sdp)
                .thenCompose(x -> Rtc.createAnswer(p))
                .thenCompose(a -> Rtc.setLocal(p, a))
                .whenCompleteAsync((x, e) -> {
                    if (!stillWanted(e)) {
                        return;
                    }
                    ObjectNode m = message("answer");
                    m.put("sdp", p.getLocalDescription().sdp);
                    signal(m);
                    flushCandidates();
                    f.event("connected", null);
                }, sc.loop());
    }

    /** Receiver side: the sender's answer arrived. */
    void gotAnswer(String sdp) {
        if (f.up()) {
            throw new IllegalStateException("Receiving in wrong direction");
        }
        RTCPeerConnection p = pc;
        if (p == null) {
            return;
        }
        Rtc.setRemote(p, RTCSdpType.ANSWER, sdp).whenCompleteAsync((x, e) -> {
            if (e != null) {
                f.cancel(e.getMessage());
                return;
            }
            flushCandidates();
            if (!f.isOver()) {
                f.event("connected", null);
            }
        }, sc.loop());
    }

    void remoteCandidate(RTCIceCandidate c) {
        RTCPeerConnection p = pc;
        if (p == null) {
            return;
        }
        if (p.getSignalingState() == RTCSignalingState.STABLE && p.getRemoteDescription() != null) {
            p.addIceCandidate(c);
        } else {
            candidates.add(c);
        }
    }

    /** Releases the channel and the connection; idempotent. */
    void close() {
        RTCDataChannel channel = dc;
        dc = null;
        if (channel != null) {
            channel.unregisterObserver();
            channel.close();
            channel.dispose();
        }
        RTCPeerConnection p = pc;
        pc = null;
        if (p != null) {
            p.close();
        }
    }

    private void flushCandidates() {
        RTCPeerConnection p = pc;
        if (p == null) {
            return;
        }
        List<RTCIceCandidate> pending = List.copyOf(candidates);
        candidates.clear();
        pending.forEach(p::addIceCandidate);
    }

    /** Sender side: the receiver's channel arrived; it is the only data path of the transfer. */
    private void gotChannel(RTCDataChannel channel) {
        if (!f.up() || f.isOver()) {
            channel.close();
            return;
        }
        if (dc != null) {
            f.cancel("Duplicate datachannel");
            return;
        }
        dc = channel;
        f.sender().attach(channel);
    }

    /**
     * After an asynchronous libwebrtc step: false when it failed (the transfer is then
     * cancelled) or when the transfer ended meanwhile.
     */
    private boolean stillWanted(Throwable failure) {
        if (failure != null) {
            f.cancel(failure.getMessage());
            return false;
        }
        return !f.isOver();
    }

    private ObjectNode message(String type) {
        ObjectNode m = Json.object();
        m.put("type", type);
        m.put("id", f.id());
        return m;
    }

    private void signal(ObjectNode m) {
        try {
            sc.userMessage("filetransfer", f.userid(), m);
        } catch (IllegalStateException e) {
            f.fail(e.getMessage());
        }
    }

    /** libwebrtc calls it on its own threads: everything is posted to the event thread. */
    private PeerConnectionObserver observer() {
        return new PeerConnectionObserver() {
            @Override
            public void onIceCandidate(RTCIceCandidate candidate) {
                sc.loop().execute(() -> {
                    if (f.isOver()) {
                        return;
                    }
                    ObjectNode m = message("ice");
                    ObjectNode c = m.putObject("candidate");
                    Message.Candidate mc = Rtc.toMessage(candidate);
                    c.put("candidate", mc.candidate());
                    c.put("sdpMid", mc.sdpMid());
                    c.put("sdpMLineIndex", mc.sdpMLineIndex());
                    if (mc.usernameFragment() != null) {
                        c.put("usernameFragment", mc.usernameFragment());
                    }
                    signal(m);
                });
            }

            @Override
            public void onSignalingChange(RTCSignalingState s) {
                if (s == RTCSignalingState.STABLE) {
                    sc.loop().execute(FilePeer.this::flushCandidates);
                }
            }

            @Override
            public void onDataChannel(RTCDataChannel channel) {
                sc.loop().execute(() -> gotChannel(channel));
            }
        };
    }
}
