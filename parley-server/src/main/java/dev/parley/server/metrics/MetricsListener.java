package dev.parley.server.metrics;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * {@code -metrics-http ADDRESS}: a plain-HTTP listener of its own that answers {@code /metrics}
 * without credentials (whoever can reach the address may scrape: bind it to loopback or a
 * private network) and 404 to everything else. One thread; a scrape that waits on the media
 * loops blocks only this listener.
 */
public final class MetricsListener implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel channel;

    private MetricsListener(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    public static MetricsListener start(InetSocketAddress address, ServerMetrics metrics) throws IOException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ReadTimeoutHandler(60, TimeUnit.SECONDS));
                        ch.pipeline().addLast(new HttpServerCodec(4096, 8192, 8192));
                        ch.pipeline().addLast(new HttpObjectAggregator(8192));
                        ch.pipeline().addLast(new Answer(metrics));
                    }
                });
        try {
            return new MetricsListener(group, b.bind(address).sync().channel());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IOException("interrupted while binding the metrics listener", e);
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IOException("cannot listen for metrics on " + address + ": " + e.getMessage(), e);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private static final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final ServerMetrics metrics;

        Answer(ServerMetrics metrics) {
            this.metrics = metrics;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            FullHttpResponse r;
            if (!req.decoderResult().isSuccess()) {
                r = MetricsResponses.text(HttpResponseStatus.BAD_REQUEST, "bad request");
            } else if (!new QueryStringDecoder(req.uri()).path().equals("/metrics")) {
                r = MetricsResponses.text(HttpResponseStatus.NOT_FOUND, "not found: this address serves /metrics only");
            } else {
                r = MetricsResponses.answer(req, metrics, true);
            }
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            HttpUtil.setKeepAlive(r, keepAlive);
            HttpUtil.setContentLength(r, r.content().readableBytes());
            if (req.method().equals(HttpMethod.HEAD)) {
                r.content().release();
                r = r.replace(Unpooled.EMPTY_BUFFER);
            }
            var f = ctx.writeAndFlush(r);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
