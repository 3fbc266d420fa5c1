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

    /** {@link ServerConnection#onconnected}: the server's handshake arrived. */
    @FunctionalInterface
    public interface Connected {
        /** Called once per connection, before the {@code connect} future completes. */
        void onConnected();
    }

    /** {@link ServerConnection#onerror} and {@link Stream#onerror}: something failed for good. */
    @FunctionalInterface
    public interface Error {
        /**
         * Called with the failure; the connection or stream is closed right after.
         *
         * @param error what went wrong
         */
        void onError(Throwable error);
    }

    /** {@link ServerConnection#onclose}: the connection has ended. */
    @FunctionalInterface
    public interface Close {
        /**
         * Called once, after every stream and transfer of the connection is closed.
         *
         * @param code   the WebSocket close code: 1000 for a normal close (including a kick),
         *               1006 when the socket failed without a close frame
         * @param reason the close reason the server gave (e.g. "kicked out by vimes"), or ""
         */
        void onClose(int code, String reason);
    }

    /** {@link ServerConnection#onpeerconnection}: overrides the server's ICE configuration. */
    @FunctionalInterface
    public interface PeerConnection {
        /**
         * Called before each new peer connection.
         *
         * @return an RTCConfiguration overriding the server's, or {@code null} to keep it
         */
        RTCConfiguration onPeerConnection();
    }

    /** {@link ServerConnection#onuser}: a member of the group arrived, changed or left. */
    @FunctionalInterface
    public interface User {
        /**
         * Called after {@link ServerConnection#users()} is updated.
         *
         * @param id   the user's id (ours included: our own entry changes when our streams do)
         * @param kind "add", "change" or "delete"
         */
        void onUser(String id, String kind);
    }

    /** {@link ServerConnection#onjoined}: our membership of a group changed. */
    @FunctionalInterface
    public interface Joined {
        /**
         * Called with the server's {@code joined} message, or with "leave" when the connection
         * closes while joined.
         *
         * @param kind        "join" (admitted), "fail" (refused: see {@code message}),
         *                    "change" (permissions or group status changed), "leave" or
         *                    "redirect" (the group lives elsewhere: the URL is in {@code message})
         * @param group       the group's name
         * @param permissions our permissions in the group; empty after "fail" and "leave"
         * @param status      the group's public status (e.g. {@code locked},
         *                    {@code displayName}); empty when the server sent none
         * @param data        our user data as the server has it; empty when absent
         * @param error       a machine-readable reason for "fail" (e.g. "not-authorised"), or null
         * @param message     a human-readable reason or the redirect URL, or null
         */
        void onJoined(String kind, String group, List<String> permissions, ObjectNode status,
                      ObjectNode data, String error, String message);
    }

    /** {@link ServerConnection#ondownstream}: the server offers us a stream. */
    @FunctionalInterface
    public interface DownStream {
        /**
         * Called before the stream is answered, so that callbacks set here see every track.
         *
         * @param stream the down stream (the same object again on renegotiation)
         */
        void onDownStream(Stream stream);
    }

    /** {@link ServerConnection#onchat}: a chat message, live or from the history. */
    @FunctionalInterface
    public interface Chat {
        /**
         * Called for each message. Nine arguments, the message id first.
         *
         * @param id         the message's id (for deleting it with clearchat), or null
         * @param source     the sender's id; null for a message from the server
         * @param dest       our id for a private message; null for a broadcast
         * @param username   the sender's username, or null
         * @param time       when the server received it; null when it sent no valid time
         * @param privileged true when the sender is an operator
         * @param history    true for messages replayed from the history after a join
         * @param kind       null or "" for a plain message, "me" for an action
         * @param message    the text
         */
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
        /**
         * Called for each user message that is not a file transfer.
         *
         * @param id         the message's {@code source}: the sender's id, or null for the
         *                   server (and for kicks, see above)
         * @param dest       our id, or null for a broadcast
         * @param username   the sender's username (the kicker's for "kicked"), or null
         * @param time       when it was sent, or null
         * @param privileged true when the server or an operator sent it; act on "error",
         *                   "warning", "info", "kicked" and "mute" only when true
         * @param kind       the message kind: "error", "warning", "info", "kicked", "mute",
         *                   "clearchat", or an application's own
         * @param error      a machine-readable error, or null
         * @param message    the value: a text for the server's kinds, any JSON for others, or null
         */
        void onUserMessage(String id, String dest, String username, Instant time, boolean privileged,
                           String kind, String error, JsonNode message);
    }

    /** {@link ServerConnection#onfiletransfer}: a file transfer starts. Throw to refuse it. */
    @FunctionalInterface
    public interface FileTransfer {
        /**
         * Called for each incoming offer, and inside {@link ServerConnection#sendFile} for our
         * own uploads. Set the transfer's {@code onevent} here, and call
         * {@link TransferredFile#receive()} (now or later) to accept a download.
         *
         * @param file the transfer
         * @throws Exception to refuse the transfer; the message is sent to the peer
         */
        void onFileTransfer(TransferredFile file) throws Exception;
    }

    // Stream callbacks

    /** {@link Stream#onclose}: the stream is closed. */
    @FunctionalInterface
    public interface StreamClose {
        /**
         * Called once per stream.
         *
         * @param replace true when a newer stream with the same local id took its place
         */
        void onClose(boolean replace);
    }

    /** {@link Stream#onnegotiationcompleted}: an offer/answer exchange completed. */
    @FunctionalInterface
    public interface NegotiationCompleted {
        /** Called after each successful exchange, the first and every renegotiation. */
        void onNegotiationCompleted();
    }

    /** {@link Stream#ondowntrack}: a track arrived on a down stream. */
    @FunctionalInterface
    public interface DownTrack {
        /**
         * Called once per received track; attach a sink to it here to get decoded media.
         *
         * @param track       the track: a {@code VideoTrack} or an {@code AudioTrack}
         * @param transceiver the transceiver it arrived on
         * @param stream      the MediaStream it belongs to; null when it arrived without one
         */
        void onDownTrack(MediaStreamTrack track, RTCRtpTransceiver transceiver, MediaStream stream);
    }

    /** {@link Stream#onstatus}: the ICE connection state changed. */
    @FunctionalInterface
    public interface Status {
        /**
         * Called on each change.
         *
         * @param status the ICE connection state in lower case, as in browsers ("checking",
         *               "connected", "disconnected", "failed", "closed"…)
         */
        void onStatus(String status);
    }

    /** {@link Stream#onstats}: a statistics sample. */
    @FunctionalInterface
    public interface Stats {
        /**
         * Called once per sampling period set by {@link Stream#setStatsInterval}.
         *
         * @param stats attributes by stats id (see {@link Stream#setStatsInterval})
         */
        void onStats(Map<String, Map<String, Object>> stats);
    }

    // TransferredFile callback

    /** {@link TransferredFile#onevent}: a file transfer changed state or progressed. */
    @FunctionalInterface
    public interface FileEvent {
        /**
         * Called on each change of state, and repeatedly with "connected" as data flows.
         *
         * @param state the new state (see {@link TransferredFile#state()})
         * @param data  on "done" of a download, the {@link java.nio.file.Path} written; on
         *              "cancelled", the reason (a String, or null); otherwise null
         */
        void onEvent(String state, Object data);
    }
}
