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
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A minimal signalling relay for two or more clients on loopback: it accepts every join and
 * forwards an up stream's offer to the other members as a down-stream offer, their answers
 * and ICE candidates back, and user messages to their destination. Media then flows peer to
 * peer, so the client's whole up/down Stream machinery and file transfer can be exercised
 * without an SFU. One event-loop thread: no locking needed.
 */
final class RelayServer implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final Map<Channel, Member> members = new LinkedHashMap<>();
    /** stream id → presenter */
    private final Map<String, Member> owners = new HashMap<>();

    private static final class Member {
        final Channel channel;
        String id;
        String username;
        boolean joined;

        Member(Channel channel) {
            this.channel = channel;
        }
    }

    RelayServer() throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                new WebSocketServerProtocolHandler("/ws", null, false, 1 << 20),
                                new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                                    @Override
                                    public void channelActive(ChannelHandlerContext ctx) {
                                        members.put(ctx.channel(), new Member(ctx.channel()));
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        Member m = members.remove(ctx.channel());
                                        if (m != null && m.joined) {
                                            broadcast(m, user("delete", m));
                                        }
                                    }

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame f)
                                            throws Exception {
                                        handle(members.get(ctx.channel()), (ObjectNode) Json.parse(f.text()));
                                    }
                                });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    String url() {
        return "ws://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort() + "/ws";
    }

    private void handle(Member from, ObjectNode m) throws Exception {
        String type = m.path("type").asText();
        switch (type) {
            case "handshake" -> {
                from.id = m.path("id").asText();
                send(from, Json.parse("{\"type\":\"handshake\",\"version\":[\"2\"]}"));
            }
            case "join" -> join(from, m);
            case "offer" -> {
                String sid = m.path("id").asText();
                owners.put(sid, from);
                ObjectNode offer = Json.object();
                offer.put("type", "offer");
                offer.put("id", sid);
                if (m.hasNonNull("label")) {
                    offer.put("label", m.get("label").asText());
                }
                if (m.hasNonNull("replace")) {
                    offer.put("replace", m.get("replace").asText());
                    owners.remove(m.get("replace").asText());
                }
                offer.put("source", from.id);
                offer.put("username", from.username);
                offer.put("sdp", m.path("sdp").asText());
                broadcast(from, offer);
            }
            case "answer" -> {
                Member owner = owners.get(m.path("id").asText());
                if (owner != null) {
                    send(owner, m);
                }
            }
            case "ice" -> {
                Member owner = owners.get(m.path("id").asText());
                if (owner == null) {
                    return;
                }
                if (owner == from) {
                    broadcast(from, m);
                } else {
                    send(owner, m);
                }
            }
            case "close" -> {
                if (owners.remove(m.path("id").asText()) == from) {
                    ObjectNode close = Json.object();
                    close.put("type", "close");
                    close.put("id", m.path("id").asText());
                    broadcast(from, close);
                }
            }
            case "abort" -> {
                ObjectNode close = Json.object();
                close.put("type", "close");
                close.put("id", m.path("id").asText());
                send(from, close);
            }
            case "chat", "usermessage" -> {
                m.put("time", Instant.now().toString());
                String dest = m.path("dest").asText("");
                if (dest.isEmpty()) {
                    for (Member to : members.values()) {
                        if (to.joined && !(to == from && m.path("noecho").asBoolean())) {
                            send(to, m);
                        }
                    }
                } else {
                    members.values().stream().filter(x -> dest.equals(x.id)).findFirst()
                            .ifPresent(to -> send(to, m));
                }
            }
            case "ping" -> send(from, Json.parse("{\"type\":\"pong\"}"));
            default -> {
            }
        }
    }

    private void join(Member from, ObjectNode m) {
        if (!"join".equals(m.path("kind").asText())) {
            from.joined = false;
            return;
        }
        from.username = m.path("username").asText();
        from.joined = true;
        ObjectNode joined = Json.object();
        joined.put("type", "joined");
        joined.put("kind", "join");
        joined.put("group", m.path("group").asText());
        joined.put("username", from.username);
        joined.set("permissions", Json.strings(List.of("present", "message")));
        joined.putObject("status").put("name", m.path("group").asText());
        joined.putObject("rtcConfiguration");
        send(from, joined);
        send(from, user("add", from));
        for (Member other : new ArrayList<>(members.values())) {
            if (other != from && other.joined) {
                send(from, user("add", other));
                send(other, user("add", from));
            }
        }
    }

    private static ObjectNode user(String kind, Member m) {
        ObjectNode u = Json.object();
        u.put("type", "user");
        u.put("kind", kind);
        u.put("id", m.id);
        u.put("username", m.username);
        if (!kind.equals("delete")) {
            u.set("permissions", Json.strings(List.of("present", "message")));
        }
        return u;
    }

    private void broadcast(Member from, JsonNode m) {
        for (Member to : members.values()) {
            if (to != from && to.joined) {
                send(to, m);
            }
        }
    }

    private static void send(Member to, JsonNode m) {
        to.channel.writeAndFlush(new TextWebSocketFrame(Json.write(m)));
    }

    @Override
    public void close() {
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
