package dev.parley.server.http;

import dev.parley.server.ServerContext;
import dev.parley.server.ws.ClientSession;
import dev.parley.server.ws.SessionRegistry;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import io.netty.handler.timeout.WriteTimeoutHandler;
import io.netty.util.concurrent.Future;

import java.net.URI;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The {@code /ws} endpoint: origin check (H34) and upgrade (H33) to a signalling session. */
final class WebSocketEndpoint {
    static final int MAX_MESSAGE = 1 << 20;                                           // W2, L1

    private final ServerContext ctx;
    private final SessionRegistry sessions;

    WebSocketEndpoint(ServerContext ctx, SessionRegistry sessions) {
        this.ctx = ctx;
        this.sessions = sessions;
    }

    void upgrade(ChannelHandlerContext ch, FullHttpRequest req, boolean tls) {
        HttpHeaders h = req.headers();
        String host = h.get(HttpHeaderNames.HOST);
        // H35: the checks and their order are those of the reference's WebSocket library.
        HttpResponseStatus refusal = null;
        if (!tokenListContains(h, HttpHeaderNames.CONNECTION, "upgrade")
                || !tokenListContains(h, HttpHeaderNames.UPGRADE, "websocket")) {
            refusal = HttpResponseStatus.BAD_REQUEST;
        } else if (!req.method().equals(HttpMethod.GET)) {
            refusal = HttpResponseStatus.METHOD_NOT_ALLOWED;
        } else if (!tokenListContains(h, HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13")) {
            refusal = HttpResponseStatus.BAD_REQUEST;
        } else if (!originAllowed(h.get(HttpHeaderNames.ORIGIN), host)) {
            refusal = HttpResponseStatus.FORBIDDEN;                                    // H34
        } else if (!validKey(h.get(HttpHeaderNames.SEC_WEBSOCKET_KEY))) {
            refusal = HttpResponseStatus.BAD_REQUEST;
        }
        if (refusal != null) {
            FullHttpResponse r = HttpResponses.text(refusal, refusal.reasonPhrase());
            r.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
            HttpResponses.send(ch, req, r);
            return;
        }
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(MAX_MESSAGE).allowExtensions(false).closeOnProtocolViolation(true).build();
        String location = (tls ? "wss://" : "ws://") + host + "/ws";
        // H33: no subprotocol is ever selected.
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshaker13(location, null, decoder);
        ChannelPipeline p = ch.pipeline();
        NettyConnection connection = new NettyConnection(ch.channel());
        ClientSession session = new ClientSession(ctx, connection);
        handshaker.handshake(ch.channel(), req).addListener(f -> {
            if (!f.isSuccess()) {
                ch.close();
                return;
            }
            // RFC 6455 §8.1: invalid UTF-8 in a text message fails the connection (1007); our
            // session handler sends the close frame, so the validator only reports.
            p.addLast("ws-utf8", new Utf8FrameValidator(false));
            p.addLast("ws-aggregator", new WebSocketFrameAggregator(MAX_MESSAGE));
            p.addLast("ws-write-timeout", new WriteTimeoutHandler(500, TimeUnit.MILLISECONDS));   // W7, L3
            if (ctx.metrics().enabled()) {
                p.addLast("ws-metrics", ctx.metrics().webSocketHandler());
            }
            p.addLast("ws-session", new WebSocketSessionHandler(session, connection, handshaker));
            p.remove(HttpRouter.class);
            if (p.get(HttpTimeouts.NAME) != null) {
                p.remove(HttpTimeouts.NAME);                                          // H3 is for HTTP only
            }
            sessions.opened(session);
            EventLoop loop = ch.channel().eventLoop();
            Future<?> handshakeTimer = loop.schedule(session::handshakeTimedOut, 15, TimeUnit.SECONDS);   // HS1
            Future<?> keepaliveTimer = loop.scheduleAtFixedRate(() -> session.keepalive(System.nanoTime()),
                    10, 10, TimeUnit.SECONDS);                                       // KA2
            // The timers reference the session, and through it the channel: a timer left running
            // would keep every closed socket's session reachable for the life of the process.
            ch.channel().closeFuture().addListener(closed -> {
                handshakeTimer.cancel(false);
                keepaliveTimer.cancel(false);
                sessions.closed(session);
            });
        });
    }

    private static boolean tokenListContains(HttpHeaders h, CharSequence name, String token) {
        for (String value : h.getAll(name)) {
            for (String t : value.split(",")) {
                if (t.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The key must be base64 for 16 bytes. */
    private static boolean validKey(String key) {
        if (key == null) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key.trim()).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** H34: no Origin, same host (port included, case-insensitive), or listed in allowOrigin. */
    private boolean originAllowed(String origin, String host) {
        if (origin == null) {
            return true;
        }
        try {
            URI u = URI.create(origin);
            if (u.getRawAuthority() != null && host != null
                    && u.getRawAuthority().toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT))) {
                return true;
            }
        } catch (IllegalArgumentException e) {
            // fall through to the configured list
        }
        // a page served by another node of the cluster, whose .status sent the client here
        return ctx.config().get().originAllowed(origin) || ctx.cluster().isNodeOrigin(origin);
    }
}
