package dev.parley.client;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.parley.protocol.Message;

import java.util.concurrent.CompletableFuture;

/** libwebrtc's observer-style asynchronous calls as futures, and candidate conversions. */
final class Rtc {
    private Rtc() {
    }

    static CompletableFuture<RTCSessionDescription> createOffer(RTCPeerConnection pc, boolean iceRestart) {
        RTCOfferOptions options = new RTCOfferOptions();
        options.iceRestart = iceRestart;
        CompletableFuture<RTCSessionDescription> f = new CompletableFuture<>();
        pc.createOffer(options, observer(f));
        return f;
    }

    static CompletableFuture<RTCSessionDescription> createAnswer(RTCPeerConnection pc) {
        CompletableFuture<RTCSessionDescription> f = new CompletableFuture<>();
        pc.createAnswer(new RTCAnswerOptions(), observer(f));
        return f;
    }

    static CompletableFuture<Void> setLocal(RTCPeerConnection pc, RTCSessionDescription d) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        pc.setLocalDescription(d, setObserver(f));
        return f;
    }

    static CompletableFuture<Void> setRemote(RTCPeerConnection pc, RTCSdpType type, String sdp) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        pc.setRemoteDescription(new RTCSessionDescription(type, sdp), setObserver(f));
        return f;
    }

    static Message.Candidate toMessage(RTCIceCandidate c) {
        return new Message.Candidate(c.sdp, c.sdpMid, c.sdpMLineIndex, ufrag(c.sdp));
    }

    static RTCIceCandidate fromMessage(Message.Candidate c) {
        return new RTCIceCandidate(c.sdpMid() == null ? "" : c.sdpMid(),
                c.sdpMLineIndex() == null ? 0 : c.sdpMLineIndex(), c.candidate() == null ? "" : c.candidate());
    }

    /** The ufrag a browser would put in usernameFragment, read from the candidate line. */
    private static String ufrag(String candidate) {
        if (candidate == null) {
            return null;
        }
        String[] parts = candidate.split(" ");
        for (int i = 0; i + 1 < parts.length; i++) {
            if (parts[i].equals("ufrag")) {
                return parts[i + 1];
            }
        }
        return null;
    }

    private static CreateSessionDescriptionObserver observer(CompletableFuture<RTCSessionDescription> f) {
        return new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                f.complete(description);
            }

            @Override
            public void onFailure(String error) {
                f.completeExceptionally(new IllegalStateException(error));
            }
        };
    }

    private static SetSessionDescriptionObserver setObserver(CompletableFuture<Void> f) {
        return new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                f.complete(null);
            }

            @Override
            public void onFailure(String error) {
                f.completeExceptionally(new IllegalStateException(error));
            }
        };
    }
}
