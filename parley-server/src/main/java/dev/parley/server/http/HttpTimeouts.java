package dev.parley.server.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * H3: a connection must deliver a request's headers within {@code headers} of opening, and
 * the next request within {@code idle} of the previous response; otherwise it is closed.
 * Sits right after the HTTP codec; removed when a connection becomes a WebSocket.
 */
final class HttpTimeouts extends ChannelDuplexHandler {
    static final String NAME = "http-timeouts";
    static final Duration DEFAULT_HEADERS = Duration.ofSeconds(60);
    static final Duration DEFAULT_IDLE = Duration.ofSeconds(120);

    private final Duration headers;
    private final Duration idle;
    private ScheduledFuture<?> timer;

    HttpTimeouts(Duration headers, Duration idle) {
        this.headers = headers;
        this.idle = idle;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            arm(ctx, headers);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx, headers);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            disarm();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof LastHttpContent) {
            promise.addListener(f -> {
                if (f.isSuccess() && ctx.channel().isActive()) {
                    arm(ctx, idle);
                }
            });
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        disarm();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        super.channelInactive(ctx);
    }

    private void arm(ChannelHandlerContext ctx, Duration d) {
        disarm();
        timer = ctx.executor().schedule(() -> {
            ctx.close();
        }, d.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
