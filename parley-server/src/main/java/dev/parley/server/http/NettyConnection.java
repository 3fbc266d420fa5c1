package dev.parley.server.http;

import dev.parley.server.ws.Connection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A signalling connection over a Netty WebSocket channel, with the bounded outgoing queue
 * of W7/L3: more than {@value #QUEUE_LIMIT} unwritten messages drop the connection, so one
 * slow reader never holds up its group.
 */
final class NettyConnection implements Connection {
    static final int QUEUE_LIMIT = 100;

    private final Channel channel;
    private final AtomicInteger pending = new AtomicInteger();
    private final ChannelFutureListener written = f -> {
        pending.decrementAndGet();
        if (!f.isSuccess()) {
            f.channel().close();
        }
    };

    NettyConnection(Channel channel) {
        this.channel = channel;
    }

    @Override
    public boolean sendText(String text) {
        if (!channel.isActive()) {
            return false;
        }
        if (pending.incrementAndGet() > QUEUE_LIMIT) {
            pending.decrementAndGet();
            channel.close();
            return false;
        }
        channel.writeAndFlush(new TextWebSocketFrame(text)).addListener(written);
        return true;
    }

    @Override
    public void close(int code, String reason) {
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void abort() {
        channel.close();
    }

    @Override
    public String remoteAddress() {
        if (channel.remoteAddress() instanceof InetSocketAddress a) {
            String ip = a.getAddress().getHostAddress();
            return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + a.getPort();
        }
        return null;
    }
}
