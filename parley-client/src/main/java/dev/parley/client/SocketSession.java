package dev.parley.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Json;
import dev.parley.protocol.Message;
import dev.parley.protocol.MessageCodec;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One WebSocket lifetime of a {@link ServerConnection}: sends our handshake when the socket
 * opens, turns each text frame into a {@link Message} for {@link ServerMessages}, and reports
 * the end of the socket once. A connection that reconnects gets a new session, so events of
 * an old socket can never touch a newer one. Every method runs on the event thread.
 */
final class SocketSession implements SignallingSocket.Events {
    private static final System.Logger LOG = System.getLogger(SocketSession.class.getName());

    private final ServerConnection sc;
    final SignallingSocket socket;
    /** Completes on the server's handshake; fails if the socket ends first. */
    final CompletableFuture<Void> connected = new CompletableFuture<>();
    /** Set once the end has been handled; later events of this socket are ignored. */
    boolean ended;

    SocketSession(ServerConnection sc) {
        this.sc = sc;
        this.socket = new SignallingSocket(sc.loop(), this);
    }

    @Override
    public void opened() {
        try {
            socket.sendText(MessageCodec.encode(Message.of("handshake").version(List.of("2")).id(sc.id()).build()));
        } catch (RuntimeException e) {
            sc.error(e);
        }
    }

    @Override
    public void text(String text) {
        if (ended) {
            return;
        }
        Message m;
        try {
            JsonNode tree = Json.parse(text);
            if (tree == null || !tree.isObject()) {
                sc.error(new IllegalStateException("server message is not a JSON object"));
                return;
            }
            try {
                m = MessageCodec.decode((ObjectNode) tree);
            } catch (MessageCodec.MalformedMessageException e) {
                // valid JSON of an unexpected shape: one bad message must not end the session
                LOG.log(System.Logger.Level.WARNING, "ignoring malformed server message: {0}", e.getMessage());
                return;
            }
        } catch (JsonProcessingException e) {
            sc.error(new IOException("invalid JSON from server: " + e.getOriginalMessage(), e));
            return;
        }
        if (!"handshake".equals(m.type()) && sc.version() == null) {
            sc.error(new IllegalStateException("Server didn't send handshake"));
            return;
        }
        sc.heardFromServer();
        sc.messages().route(this, m);
    }

    @Override
    public void closed(int code, String reason) {
        if (code == 1006 && !ended) {
            // as in browsers: an abnormal closure is reported as an error first
            sc.callbacks().error(new IOException("Socket error: connection lost"));
        }
        sc.ended(this, code, reason);
    }

    @Override
    public void failed(Throwable error) {
        if (ended) {
            return;
        }
        sc.callbacks().error(new IOException("Socket error: " + error.getMessage(), error));
        socket.abort();
        sc.ended(this, 1006, "");
    }
}
