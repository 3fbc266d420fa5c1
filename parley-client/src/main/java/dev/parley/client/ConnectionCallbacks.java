package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onvoid.webrtc.RTCConfiguration;

import java.time.Instant;
import java.util.List;

/**
 * The application's callbacks of one {@link ServerConnection}, and the only place that runs
 * them. Every call happens on the event thread and is guarded: an exception thrown by the
 * application is logged and never breaks the library's own bookkeeping.
 */
final class ConnectionCallbacks {
    private static final System.Logger LOG = System.getLogger(ConnectionCallbacks.class.getName());

    volatile Callbacks.Connected onconnected;
    volatile Callbacks.Error onerror;
    volatile Callbacks.Close onclose;
    volatile Callbacks.PeerConnection onpeerconnection;
    volatile Callbacks.User onuser;
    volatile Callbacks.Joined onjoined;
    volatile Callbacks.DownStream ondownstream;
    volatile Callbacks.Chat onchat;
    volatile Callbacks.UserMessage onusermessage;
    volatile Callbacks.FileTransfer onfiletransfer;

    void connected() {
        Callbacks.Connected cb = onconnected;
        if (cb != null) {
            EventLoop.runGuarded(cb::onConnected);
        }
    }

    /** Without a callback the error is logged, so that it is never lost. */
    void error(Throwable e) {
        Callbacks.Error cb = onerror;
        if (cb != null) {
            EventLoop.runGuarded(() -> cb.onError(e));
        } else {
            LOG.log(System.Logger.Level.WARNING, "connection error", e);
        }
    }

    void close(int code, String reason) {
        Callbacks.Close cb = onclose;
        if (cb != null) {
            EventLoop.runGuarded(() -> cb.onClose(code, reason));
        }
    }

    /** The application's configuration for a new peer connection, or null to use the server's. */
    RTCConfiguration peerConnection() {
        Callbacks.PeerConnection cb = onpeerconnection;
        return cb == null ? null : cb.onPeerConnection();
    }

    void user(String id, String kind) {
        Callbacks.User cb = onuser;
        if (cb != null) {
            EventLoop.runGuarded(() -> cb.onUser(id, kind));
        }
    }

    void joined(JoinedEvent e) {
        Callbacks.Joined cb = onjoined;
        if (cb != null) {
            EventLoop.runGuarded(() -> cb.onJoined(e.kind(), e.group(), e.permissions(), e.status(), e.data(),
                    e.error(), e.message()));
        }
    }

    void downStream(Stream s) {
        Callbacks.DownStream cb = ondownstream;
        if (cb != null) {
            EventLoop.runGuarded(() -> cb.onDownStream(s));
        }
    }

    void chat(String id, String source, String dest, String username, Instant time, boolean privileged,
              boolean history, String kind, String message) {
        Callbacks.Chat cb = onchat;
        if (cb != null) {
            EventLoop.runGuarded(() -> cb.onChat(id, source, dest, username, time, privileged, history, kind,
                    message));
        }
    }

    void userMessage(String id, String dest, String username, Instant time, boolean privileged, String kind,
                     String error, JsonNode message) {
        Callbacks.UserMessage cb = onusermessage;
        if (cb != null) {
            EventLoop.runGuarded(() -> cb.onUserMessage(id, dest, username, time, privileged, kind, error,
                    message));
        }
    }

    /**
     * Offers a new transfer to the application. Unlike the others this one is not guarded:
     * throwing is how the application refuses, so the caller needs the exception.
     */
    void fileTransfer(TransferredFile f) throws Exception {
        Callbacks.FileTransfer cb = onfiletransfer;
        if (cb == null) {
            throw new IllegalStateException("this client does not implement file transfer");
        }
        cb.onFileTransfer(f);
    }

    /** Convenience for the join paths, which build the event from its parts. */
    void joined(String kind, String group, List<String> permissions, ObjectNode status, ObjectNode data,
                String error, String message) {
        joined(new JoinedEvent(kind, group, permissions, status, data, error, message));
    }
}
