package dev.parley.server.http;

import dev.parley.server.ServerContext;
import dev.parley.server.api.ApiHandler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The HTTP(S) listener: TLS 1.2+ unless insecure (H2), static files, groups, WebSocket. */
public final class HttpServer {
    private final ServerContext ctx;
    private final StaticRoot root;
    /** One for the server: it serialises the API's writes. */
    private final ApiHandler api;
    private EventLoopGroup group;
    private Channel channel;

    public HttpServer(ServerContext ctx, StaticRoot root) {
        this.ctx = ctx;
        this.root = root;
        this.api = new ApiHandler(ctx);
    }

    public InetSocketAddress start(InetSocketAddress address, boolean insecure, Path dataDir) throws IOException {
        SslContext ssl = null;
        if (!insecure) {
            Certificates.ensure(dataDir);
            ssl = Certificates.serverContext(dataDir);
        }
        boolean epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(0, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Class<? extends ServerSocketChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        SslContext sslContext = ssl;
        ServerBootstrap b = new ServerBootstrap().group(group).channel(channelType)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (sslContext != null) {
                            ch.pipeline().addLast("tls", sslContext.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("http", new HttpServerCodec(4096, 65536, 8192));
                        ch.pipeline().addLast("aggregator", new HttpObjectAggregator(1 << 20));          // H60
                        ch.pipeline().addLast("router", new HttpRouter(ctx, root, api));
                    }
                });
        try {
            channel = b.bind(address).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding", e);
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
        return (InetSocketAddress) channel.localAddress();
    }

    public void stop() {
        if (channel != null) {
            channel.close().awaitUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }
}
