package dev.parley.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client (the JDK's) that records every message the server sends, and
 * how the connection ended.
 */
public final class WsClient implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** How the server closed the connection: a close frame's code and reason, or -1 for an abrupt end. */
    public record Closed(int code, String reason) {
    }

    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final List<JsonNode> skipped = new ArrayList<>();
    private WebSocket socket;

    private WsClient() {
    }

    public static WsClient open(URI uri, String origin) {
        WsClient c = new WsClient();
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(TIMEOUT);
        if (origin != null) {
            b.header("Origin", origin);
        }
        c.socket = b.buildAsync(uri, c.new Listener()).join();
        return c;
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(Json.parse(partial.toString()));
                } catch (Exception e) {
                    messages.add(Json.object().put("type", "__unparsable__").put("text", partial.toString()));
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(new Closed(-1, String.valueOf(error)));
        }
    }

    public WsClient send(String json) {
        socket.sendText(json, true).join();
        return this;
    }

    /** The next message, whatever it is. */
    public JsonNode next() {
        try {
            JsonNode m = messages.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) {
                throw new AssertionError("no message within " + TIMEOUT + (closed.isDone() ? "; closed " + closed.join() : ""));
            }
            return m;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** The next message, which must have this type. */
    public JsonNode expect(String type) {
        JsonNode m = next();
        if (!type.equals(m.path("type").asText())) {
            throw new AssertionError("expected a " + type + " message, got " + m);
        }
        return m;
    }

    /** Skips messages until one matches; the skipped ones are kept in {@link #skipped()}. */
    public JsonNode expectMatching(Predicate<JsonNode> p) {
        while (true) {
            JsonNode m = next();
            if (p.test(m)) {
                return m;
            }
            skipped.add(m);
        }
    }

    public JsonNode expectType(String type) {
        return expectMatching(m -> type.equals(m.path("type").asText()));
    }

    public List<JsonNode> skipped() {
        return skipped;
    }

    /** Messages received so far and not yet read, after waiting briefly for stragglers. */
    public List<JsonNode> drain(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<JsonNode> out = new ArrayList<>();
        messages.drainTo(out);
        return out;
    }

    /** Asserts nothing arrives within {@code wait}. */
    public void expectSilence(Duration wait) {
        List<JsonNode> got = drain(wait);
        if (!got.isEmpty()) {
            throw new AssertionError("expected no message, got " + got);
        }
    }

    public Closed awaitClose() {
        try {
            return closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("connection not closed within " + TIMEOUT, e);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
        }
        socket.abort();
    }
}
