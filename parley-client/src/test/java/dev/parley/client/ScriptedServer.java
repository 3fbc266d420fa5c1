package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Json;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket peer on loopback that plays the server's side of a test script: it records what
 * the client sends and sends what the test tells it to. Speaks real WebSocket over real TCP.
 */
final class ScriptedServer implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private volatile Channel client;

    ScriptedServer() throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler("/ws"),
                                new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                                    @Override
                                    public void channelActive(ChannelHandlerContext ctx) {
                                        client = ctx.channel();
                                    }

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame f)
                                            throws Exception {
                                        received.add(Json.parse(f.text()));
                                    }
                                });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    String url() {
        return "ws://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort() + "/ws";
    }

    /** The next message the client sent, waiting up to 10 s. */
    JsonNode next() throws InterruptedException {
        JsonNode m = received.poll(10, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("the client sent nothing");
        }
        return m;
    }

    /** The next client message of this type, skipping others (e.g. ice). */
    JsonNode next(String type) throws InterruptedException {
        while (true) {
            JsonNode m = next();
            if (type.equals(m.path("type").asText())) {
                return m;
            }
        }
    }

    JsonNode poll(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    void send(String json) {
        client.writeAndFlush(new TextWebSocketFrame(json));
    }

    void send(ObjectNode json) {
        send(Json.write(json));
    }

    void closeWith(int code, String reason) {
        client.writeAndFlush(new CloseWebSocketFrame(code, reason));
    }

    /**
     * Ends the TCP connection with a reset and no close frame: the channel's unsafe close runs
     * below the pipeline, where the WebSocket handler would have sent a close frame.
     */
    void dropTcp() {
        client.config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
        client.eventLoop().execute(() -> client.unsafe().close(client.voidPromise()));
    }

    /** Completes the handshake the way the reference server does (HS4). */
    JsonNode handshake() throws InterruptedException {
        JsonNode hs = next();
        send("{\"type\":\"handshake\",\"version\":[\"2\"]}");
        return hs;
    }

    @Override
    public void close() {
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
