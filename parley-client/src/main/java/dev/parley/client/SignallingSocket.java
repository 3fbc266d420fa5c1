package dev.parley.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The WebSocket under a {@link ServerConnection}: reassembles text frames, serialises
 * writes (the JDK allows one outstanding send at a time) and hands every event to the
 * connection's event loop so they are processed in arrival order.
 */
final class SignallingSocket {

    interface Events {
        void opened();

        void text(String message);

        void closed(int code, String reason);

        void failed(Throwable error);
    }

    private final EventLoop loop;
    private final Events events;
    private final Object sendLock = new Object();
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);
    private volatile WebSocket socket;

    SignallingSocket(EventLoop loop, Events events) {
        this.loop = loop;
        this.events = events;
    }

    CompletableFuture<WebSocket> open(HttpClient http, URI uri) {
        return http.newWebSocketBuilder().buildAsync(uri, new Listener()).whenComplete((ws, e) -> {
            if (e != null) {
                loop.execute(() -> events.failed(e));
            }
        });
    }

    WebSocket socket() {
        return socket;
    }

    CompletableFuture<Void> sendText(String text) {
        WebSocket ws = socket;
        if (ws == null || ws.isOutputClosed()) {
            return CompletableFuture.failedFuture(new IllegalStateException("Connection is not open"));
        }
        synchronized (sendLock) {
            CompletableFuture<Void> next = lastSend.handle((r, e) -> null)
                    .thenCompose(x -> ws.sendText(text, true)).thenApply(x -> null);
            lastSend = next;
            return next;
        }
    }

    CompletableFuture<Void> sendClose(int code, String reason) {
        WebSocket ws = socket;
        if (ws == null || ws.isOutputClosed()) {
            return CompletableFuture.completedFuture(null);
        }
        synchronized (sendLock) {
            CompletableFuture<Void> next = lastSend.handle((r, e) -> null)
                    .thenCompose(x -> ws.sendClose(code, reason)).thenApply(x -> null);
            lastSend = next;
            return next;
        }
    }

    void abort() {
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            loop.execute(events::opened);
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                loop.execute(() -> events.text(text));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            loop.execute(() -> events.closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            loop.execute(() -> events.failed(error));
        }
    }
}
