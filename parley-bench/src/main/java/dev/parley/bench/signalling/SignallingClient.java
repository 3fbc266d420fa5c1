package dev.parley.bench.signalling;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Json;
import dev.parley.protocol.Message;
import dev.parley.protocol.MessageCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One protocol connection (spec B): handshake, join, stream requests, and offers/answers, over
 * the JDK's WebSocket client. Incoming messages go to one handler, in order, on the client's
 * thread; sends are serialised, as the WebSocket API requires.
 */
public final class SignallingClient implements AutoCloseable {
    private final String id = UUID.randomUUID().toString().substring(0, 16);
    private final WebSocket ws;
    private final CompletableFuture<Message> joined = new CompletableFuture<>();
    private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();
    private volatile Consumer<Message> handler = m -> { };
    private volatile String username;
    private volatile boolean closing;

    private SignallingClient(HttpClient http, URI url) throws IOException {
        try {
            ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(url, new Listener()).get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + url, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot connect to " + url + ": " + e.getCause(), e);
        }
    }

    /** Connects and sends the handshake (HS1, HS4). */
    public static SignallingClient connect(HttpClient http, URI url) throws IOException {
        SignallingClient c = new SignallingClient(http, url);
        c.send(Message.of("handshake").version(List.of("2")).id(c.id).build());
        return c;
    }

    public String id() {
        return id;
    }

    public void setHandler(Consumer<Message> handler) {
        this.handler = handler;
    }

    /** Joins (J1) and waits for the {@code joined} reply; throws unless it is kind "join". */
    public void join(String group, String username, String password, long timeoutMillis) throws IOException {
        this.username = username;
        send(Message.of("join").kind("join").group(group).username(username).password(password == null ? "" : password)
                .build());
        try {
            Message m = joined.get(timeoutMillis, TimeUnit.MILLISECONDS);
            if (!"join".equals(m.kind())) {
                throw new IOException("join refused: " + m.kind() + " " + m.value());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("no joined reply: " + e, e);
        }
    }

    /** Replaces the request map (S1), e.g. {"": ["audio", "video"]}. */
    public void request(Map<String, List<String>> request) throws IOException {
        ObjectNode r = Json.object();
        request.forEach((label, kinds) -> {
            ArrayNode a = r.putArray(label);
            kinds.forEach(a::add);
        });
        send(Message.of("request").request(r).build());
    }

    /** A presenter's offer (S17). */
    public void offer(String streamId, String label, String sdp) throws IOException {
        send(Message.of("offer").id(streamId).label(label).source(id).username(username).sdp(sdp).build());
    }

    /** A receiver's answer to a down-stream offer (S10). */
    public void answer(String streamId, String sdp) throws IOException {
        send(Message.of("answer").id(streamId).sdp(sdp).build());
    }

    public void closeStream(String streamId) throws IOException {
        send(Message.of("close").id(streamId).build());
    }

    public synchronized void send(Message m) throws IOException {
        try {
            ws.sendText(MessageCodec.encode(m), true).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("send failed: " + e, e);
        }
    }

    public boolean closedByUs() {
        return closing;
    }

    public boolean isClosed() {
        return closedFuture.isDone();
    }

    @Override
    public void close() {
        closing = true;
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(500, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            ws.abort();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                dispatch(text);
            }
            webSocket.request(1);
            return null;
        }

        private void dispatch(String text) {
            Message m;
            try {
                m = MessageCodec.decode(text);
            } catch (MessageCodec.MalformedMessageException e) {
                System.err.println("signalling: undecodable message: " + e.getMessage());
                return;
            }
            switch (m.type()) {
                case "joined" -> {
                    if (!"change".equals(m.kind())) {
                        joined.complete(m);
                    }
                }
                case "ping" -> {
                    Thread.ofVirtual().start(() -> {
                        try {
                            send(Message.of("pong").build());
                        } catch (IOException e) {
                            // the connection is going away
                        }
                    });
                }
                default -> { }
            }
            try {
                handler.accept(m);
            } catch (RuntimeException e) {
                System.err.println("signalling handler failed on " + m.type() + ": " + e);
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            if (!closing) {
                System.err.println("signalling " + username + ": server closed the connection: " + statusCode + " " + reason);
            }
            closedFuture.complete(null);
            joined.completeExceptionally(new IOException("closed " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            if (!closing) {
                System.err.println("signalling " + username + ": connection error: " + error);
            }
            closedFuture.complete(null);
            joined.completeExceptionally(error);
        }
    }
}
