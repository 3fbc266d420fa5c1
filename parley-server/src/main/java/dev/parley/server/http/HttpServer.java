package dev.parley.server.http;

import dev.parley.server.ServerContext;
import dev.parley.server.api.ApiHandler;
import dev.parley.server.recordings.RecordingsHandler;
import dev.parley.server.ws.SessionRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The HTTP(S) listener: TLS 1.2+ unless insecure (H2), static files, groups, WebSocket. */
public final class HttpServer {
    private final ServerContext ctx;
    private final StaticRoot root;
    /** One for the server: it serialises the API's writes. */
    private final ApiHandler api;
    private final RecordingsHandler recordings;
    private final WhipEndpoint whip;
    private final SessionRegistry sessions = new SessionRegistry();
    private final WebSocketEndpoint webSocket;
    private final Duration headerTimeout;
    private final Duration idleTimeout;
    private EventLoopGroup group;
    private Channel channel;
    /**
     * Every accepted connection until it closes. Stopping closes them itself: ending the
     * event loops alone was seen to leave keep-alive connections open, unread, after a
     * restart on the same port, where a browser's next request then waited for ever.
     */
    private final ChannelGroup connections = new DefaultChannelGroup("http", GlobalEventExecutor.INSTANCE);

    public HttpServer(ServerContext ctx, StaticRoot root) {
        this(ctx, root, HttpTimeouts.DEFAULT_HEADERS, HttpTimeouts.DEFAULT_IDLE);
    }

    /** With other timeouts than the reference's 60 s for request headers and 120 s idle (H3), for tests. */
    public HttpServer(ServerContext ctx, StaticRoot root, Duration headerTimeout, Duration idleTimeout) {
        this.ctx = ctx;
        this.root = root;
        this.headerTimeout = headerTimeout;
        this.idleTimeout = idleTimeout;
        this.api = new ApiHandler(ctx);
        this.recordings = new RecordingsHandler(ctx);
        this.whip = new WhipEndpoint(ctx);
        this.webSocket = new WebSocketEndpoint(ctx, sessions);
    }

    /** The signalling sessions whose sockets are open. */
    public SessionRegistry sessions() {
        return sessions;
    }

    public InetSocketAddress start(InetSocketAddress address, boolean insecure, Path dataDir) throws IOException {
        return (InetSocketAddress) listen(address, insecure, dataDir);
    }

    /**
     * H1: listens on a Unix-domain socket (Galène's {@code -http /path}); needs the epoll
     * transport. A stale socket file from an earlier run is replaced.
     */
    public void startUnix(Path socket, boolean insecure, Path dataDir) throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("Unix-domain sockets need Netty's epoll transport, which is not available here");
        }
        Files.deleteIfExists(socket);
        listen(new DomainSocketAddress(socket.toFile()), insecure, dataDir);
    }

    private SocketAddress listen(SocketAddress address, boolean insecure, Path dataDir) throws IOException {
        SslContext ssl = null;
        if (!insecure) {
            Certificates.ensure(dataDir);
            ssl = Certificates.serverContext(dataDir);
        }
        boolean unix = address instanceof DomainSocketAddress;
        boolean epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(0, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Class<? extends ServerChannel> channelType = unix ? EpollServerDomainSocketChannel.class
                : epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        SslContext sslContext = ssl;
        ServerBootstrap b = new ServerBootstrap().group(group).channel(channelType)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        if (sslContext != null) {
                            ch.pipeline().addLast("tls", sslContext.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("http", new HttpServerCodec(65536, 65536, 8192));
                        if (ctx.metrics().enabled()) {
                            ch.pipeline().addLast("metrics", ctx.metrics().httpHandler());
                        }
                        ch.pipeline().addLast(HttpTimeouts.NAME, new HttpTimeouts(headerTimeout, idleTimeout));   // H3
                        ch.pipeline().addLast("aggregator", new HttpObjectAggregator(1 << 20));          // H60
                        // Files are read chunk by chunk as the socket drains where sendfile cannot
                        // serve them: through TLS, and for the built-in client inside the jar.
                        ch.pipeline().addLast("chunked", new ChunkedWriteHandler());
                        ch.pipeline().addLast("router", new HttpRouter(ctx, root, api, recordings, whip, webSocket));
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
        return channel.localAddress();
    }

    public void stop() {
        if (channel != null) {
            channel.close().awaitUninterruptibly();
        }
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }
}
