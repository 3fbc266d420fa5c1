package dev.parley.server.http;

import dev.parley.server.ServerContext;
import dev.parley.server.ws.ClientSession;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.WriteTimeoutHandler;

import java.net.URI;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The {@code /ws} endpoint: origin check (H34) and upgrade (H33) to a signalling session. */
final class WebSocketEndpoint {
    static final int MAX_MESSAGE = 1 << 20;                                           // W2, L1

    private final ServerContext ctx;

    WebSocketEndpoint(ServerContext ctx) {
        this.ctx = ctx;
    }

    void upgrade(ChannelHandlerContext ch, FullHttpRequest req, boolean tls) {
        String host = req.headers().get(HttpHeaderNames.HOST);
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (!originAllowed(origin, host)) {
            HttpResponses.send(ch, req, HttpResponses.text(HttpResponseStatus.FORBIDDEN, "Forbidden"));
            return;
        }
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(MAX_MESSAGE).allowExtensions(false).closeOnProtocolViolation(true).build();
        String location = (tls ? "wss://" : "ws://") + host + "/ws";
        WebSocketServerHandshaker handshaker =
                new WebSocketServerHandshakerFactory(location, null, decoder).newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ch.channel());
            return;
        }
        if (!req.headers().containsValue(HttpHeaderNames.UPGRADE, "websocket", true)) {
            HttpResponses.send(ch, req, HttpResponses.text(HttpResponseStatus.BAD_REQUEST, "Bad Request"));   // H35
            return;
        }
        ChannelPipeline p = ch.pipeline();
        NettyConnection connection = new NettyConnection(ch.channel());
        ClientSession session = new ClientSession(ctx, connection);
        handshaker.handshake(ch.channel(), req).addListener(f -> {
            if (!f.isSuccess()) {
                ch.close();
                return;
            }
            p.addLast("ws-aggregator", new WebSocketFrameAggregator(MAX_MESSAGE));
            p.addLast("ws-write-timeout", new WriteTimeoutHandler(500, TimeUnit.MILLISECONDS));   // W7, L3
            p.addLast("ws-session", new WebSocketSessionHandler(session, connection, handshaker));
            p.remove(HttpRouter.class);
            ch.channel().eventLoop().schedule(session::handshakeTimedOut, 15, TimeUnit.SECONDS);   // HS1
            ch.channel().eventLoop().scheduleAtFixedRate(() -> session.keepalive(System.nanoTime()),
                    10, 10, TimeUnit.SECONDS);                                       // KA2
        });
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
        return ctx.config().get().originAllowed(origin);
    }
}
