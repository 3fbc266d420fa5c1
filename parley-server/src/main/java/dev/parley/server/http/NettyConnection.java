package dev.parley.server.http;

import dev.parley.server.ws.Connection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A signalling connection over a Netty WebSocket channel, with the bounded outgoing queue
 * of W7/L3.
 *
 * <p>At most {@value #QUEUE_LIMIT} messages may be queued and not yet written. Like the
 * reference, a sender that finds the queue full waits for room, but only for the write
 * deadline ({@value #WRITE_DEADLINE_MS} ms): a client that has not drained a single message
 * in that time is dropped, so one slow reader holds up its group for at most that long.
 * Dropping as soon as the queue is full would instead disconnect healthy clients whenever
 * the event loops fall briefly behind a burst of broadcasts. Event-loop threads never
 * wait (they are the ones that drain the queue); for them a full queue drops the client.
 */
final class NettyConnection implements Connection {
    private static final Logger log = LoggerFactory.getLogger(NettyConnection.class);
    static final int QUEUE_LIMIT = 100;
    static final long WRITE_DEADLINE_MS = 500;

    private final Channel channel;
    private final Semaphore room = new Semaphore(QUEUE_LIMIT);
    private final AtomicBoolean closeSent = new AtomicBoolean();
    /** Reasons to leave the socket unread; guarded by {@code this} so that auto-read follows the count. */
    private int readPauses;
    private final ChannelFutureListener written = f -> {
        room.release();
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
        if (!reserve()) {
            log.info("dropping {}: output queue full for {} ms", remoteAddress(), WRITE_DEADLINE_MS);
            channel.close();
            return false;
        }
        channel.writeAndFlush(new TextWebSocketFrame(text)).addListener(written);
        return true;
    }

    @Override
    public boolean sendTexts(java.util.List<String> texts) {
        if (texts.isEmpty()) {
            return true;
        }
        if (!channel.isActive()) {
            return false;
        }
        if (!reserve()) {
            log.info("dropping {}: output queue full for {} ms", remoteAddress(), WRITE_DEADLINE_MS);
            channel.close();
            return false;
        }
        for (int i = 0; i < texts.size() - 1; i++) {
            channel.write(new TextWebSocketFrame(texts.get(i)), channel.voidPromise());
        }
        channel.writeAndFlush(new TextWebSocketFrame(texts.getLast())).addListener(written);
        return true;
    }

    private boolean reserve() {
        if (room.tryAcquire()) {
            return true;
        }
        if (Thread.currentThread() instanceof FastThreadLocalThread || channel.eventLoop().inEventLoop()) {
            return false;
        }
        try {
            return room.tryAcquire(WRITE_DEADLINE_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Starts the closing handshake (RFC 6455 §7.1.1): our close frame goes out, and the socket
     * is closed when the client's close frame comes back, or after a second at the latest.
     */
    @Override
    public void close(int code, String reason) {
        if (channel.isActive() && closeSent.compareAndSet(false, true)) {
            channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
            channel.eventLoop().schedule(() -> {
                channel.close();
            }, 1, TimeUnit.SECONDS);
        }
    }

    @Override
    public synchronized void pauseReading() {
        if (readPauses++ == 0) {
            channel.config().setAutoRead(false);
        }
    }

    @Override
    public synchronized void resumeReading() {
        if (--readPauses == 0) {
            channel.config().setAutoRead(true);
        }
    }

    /** Whether we started the closing handshake: the client's close frame then needs no answer. */
    boolean closeSent() {
        return closeSent.get();
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
