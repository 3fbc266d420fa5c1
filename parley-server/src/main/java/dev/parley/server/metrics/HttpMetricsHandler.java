package dev.parley.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the main port's connections, requests, and responses by status class. One instance
 * serves every channel: it sits after the HTTP codec and only looks at message types.
 */
@ChannelHandler.Sharable
final class HttpMetricsHandler extends ChannelDuplexHandler {
    private final AtomicInteger open = new AtomicInteger();
    private final Counter opened;
    private final Counter requests;
    /** By status / 100; index 0 is for codes outside 100–599. */
    private final Counter[] responses = new Counter[6];

    HttpMetricsHandler(MeterRegistry registry) {
        opened = Counter.builder("parley.http.connections.opened")
                .description("TCP connections accepted on the main port").register(registry);
        Gauge.builder("parley.http.connections.open", open, AtomicInteger::get)
                .description("Open TCP connections on the main port, WebSocket ones included").register(registry);
        requests = Counter.builder("parley.http.requests").description("HTTP requests received").register(registry);
        for (int i = 0; i < responses.length; i++) {
            responses[i] = Counter.builder("parley.http.responses").tag("status", i == 0 ? "other" : i + "xx")
                    .description("HTTP responses sent, by status class").register(registry);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        opened.increment();
        open.incrementAndGet();
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        open.decrementAndGet();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            requests.increment();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse r) {
            int c = r.status().code() / 100;
            responses[c >= 1 && c <= 5 ? c : 0].increment();
        }
        super.write(ctx, msg, promise);
    }
}
