package dev.parley.server.http;

import dev.parley.server.ws.ClientSession;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.timeout.WriteTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Bridges WebSocket frames to a {@link ClientSession}. */
final class WebSocketSessionHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger log = LoggerFactory.getLogger(WebSocketSessionHandler.class);

    private final ClientSession session;
    private final NettyConnection connection;
    private final WebSocketServerHandshaker handshaker;

    WebSocketSessionHandler(ClientSession session, NettyConnection connection, WebSocketServerHandshaker handshaker) {
        this.session = session;
        this.connection = connection;
        this.handshaker = handshaker;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        switch (frame) {
            case TextWebSocketFrame text -> {
                if (!connection.closeSent()) {          // once failed, nothing more is processed
                    session.received(text.text(), text.content().readableBytes());
                }
            }
            case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            case PongWebSocketFrame pong -> { }
            case CloseWebSocketFrame close -> {
                if (connection.closeSent()) {
                    ctx.close();                        // the client answered our close frame
                } else {
                    handshaker.close(ctx.channel(), close.retain());   // echo, then close
                }
            }
            default -> connection.close(1003, "binary frames are not supported");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.disconnected();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException || cause instanceof CorruptedWebSocketFrameException c
                && c.closeStatus() != null && c.closeStatus().code() == 1009) {
            connection.close(1009, "message too big");                             // W2
        } else if (cause instanceof CorruptedWebSocketFrameException c && c.closeStatus() != null) {
            connection.close(c.closeStatus().code(), c.closeStatus().reasonText());   // e.g. 1007, RFC 6455 §8.1
        } else if (cause instanceof WriteTimeoutException) {
            log.info("dropping {}: write timed out", connection.remoteAddress());   // W7
            ctx.close();
        } else {
            log.debug("websocket error from {}: {}", connection.remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
