package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.media.MediaStream;
import dev.onvoid.webrtc.media.MediaStreamTrack;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The typed callbacks of {@link ServerConnection}, {@link Stream} and {@link TransferredFile}.
 * Argument order follows the reference JavaScript library exactly, so code ported from it
 * keeps its meaning. Every callback runs on the connection's event thread.
 */
public final class Callbacks {
    private Callbacks() {
    }

    @FunctionalInterface
    public interface Connected {
        void onConnected();
    }

    @FunctionalInterface
    public interface Error {
        void onError(Throwable error);
    }

    @FunctionalInterface
    public interface Close {
        void onClose(int code, String reason);
    }

    /** Returns an RTCConfiguration overriding the server's, or {@code null} to keep it. */
    @FunctionalInterface
    public interface PeerConnection {
        RTCConfiguration onPeerConnection();
    }

    /** {@code kind} is "add", "change" or "delete"; {@code users()} is already updated. */
    @FunctionalInterface
    public interface User {
        void onUser(String id, String kind);
    }

    /** {@code kind} is "join", "fail", "change", "leave" or "redirect". */
    @FunctionalInterface
    public interface Joined {
        void onJoined(String kind, String group, List<String> permissions, ObjectNode status,
                      ObjectNode data, String error, String message);
    }

    @FunctionalInterface
    public interface DownStream {
        void onDownStream(Stream stream);
    }

    /** Nine arguments, the message id first. {@code time} may be null; {@code kind} may be null or "". */
    @FunctionalInterface
    public interface Chat {
        void onChat(String id, String source, String dest, String username, Instant time,
                    boolean privileged, boolean history, String kind, String message);
    }

    /**
     * {@code id} is the message's {@code source}: null when the message comes from the server
     * itself. For {@code kind} {@code "kicked"} (spec J24) the server names the kicker in the
     * message's {@code id} field, not in {@code source}; like the reference library
     * (protocol.js passes {@code m.source}) {@code id} is then null and {@code username} is the
     * kicker's username (null when the server itself kicked, e.g. on shutdown).
     */
    @FunctionalInterface
    public interface UserMessage {
        void onUserMessage(String id, String dest, String username, Instant time, boolean privileged,
                           String kind, String error, JsonNode message);
    }

    /** Throw to refuse the transfer. */
    @FunctionalInterface
    public interface FileTransfer {
        void onFileTransfer(TransferredFile file) throws Exception;
    }

    // Stream callbacks

    @FunctionalInterface
    public interface StreamClose {
        void onClose(boolean replace);
    }

    @FunctionalInterface
    public interface NegotiationCompleted {
        void onNegotiationCompleted();
    }

    /** {@code stream} may be null when the track arrived without a stream. */
    @FunctionalInterface
    public interface DownTrack {
        void onDownTrack(MediaStreamTrack track, RTCRtpTransceiver transceiver, MediaStream stream);
    }

    /** {@code status} is the ICE connection state in lower case, as in browsers ("connected", "failed"…). */
    @FunctionalInterface
    public interface Status {
        void onStatus(String status);
    }

    @FunctionalInterface
    public interface Stats {
        void onStats(Map<String, Map<String, Object>> stats);
    }

    // TransferredFile callback

    /** {@code data} is the received file's {@link java.nio.file.Path} on "done", a message on "cancelled". */
    @FunctionalInterface
    public interface FileEvent {
        void onEvent(String state, Object data);
    }
}
