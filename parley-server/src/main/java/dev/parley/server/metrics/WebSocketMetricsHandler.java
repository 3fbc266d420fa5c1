package dev.parley.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/**
 * Counts signalling traffic on upgraded sockets: connections, text messages each way, and
 * close frames each way by status code. Sits between the frame aggregator and the session, so
 * it sees whole messages; one instance serves every channel.
 */
@ChannelHandler.Sharable
final class WebSocketMetricsHandler extends ChannelDuplexHandler {
    private final MeterRegistry registry;
    private final Counter upgraded;
    private final Counter received;
    private final Counter sent;
    private final Counter bytesReceived;

    WebSocketMetricsHandler(MeterRegistry registry) {
        this.registry = registry;
        upgraded = Counter.builder("parley.websocket.connections.opened")
                .description("Connections upgraded to WebSocket").register(registry);
        received = messages("received");
        sent = messages("sent");
        bytesReceived = Counter.builder("parley.websocket.received").baseUnit("bytes")
                .description("Bytes of the text messages received").register(registry);
    }

    private Counter messages(String direction) {
        return Counter.builder("parley.websocket.messages").tag("direction", direction)
                .description("WebSocket text messages").register(registry);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        upgraded.increment();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof TextWebSocketFrame text) {
            received.increment();
            bytesReceived.increment(text.content().readableBytes());
        } else if (msg instanceof CloseWebSocketFrame close) {
            closed("received", close.statusCode());
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof TextWebSocketFrame) {
            sent.increment();
        } else if (msg instanceof CloseWebSocketFrame close) {
            closed("sent", close.statusCode());
        }
        super.write(ctx, msg, promise);
    }

    /** Close codes are a small set (RFC 6455 §7.4); anything outside 1000–4999 is one label value. */
    private void closed(String direction, int code) {
        String label = code < 0 ? "none" : code >= 1000 && code <= 4999 ? Integer.toString(code) : "invalid";
        Counter.builder("parley.websocket.closes").tag("direction", direction).tag("code", label)
                .description("WebSocket close frames, by status code").register(registry).increment();
    }
}
