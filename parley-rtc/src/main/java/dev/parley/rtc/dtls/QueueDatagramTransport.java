package dev.parley.rtc.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DatagramTransport;

/**
 * A BouncyCastle {@link DatagramTransport} fed from a queue: the UDP mux {@link #offer}s received DTLS
 * datagrams from its I/O thread, the handshake thread takes them; sends go straight to an
 * {@link Output}. The receive limit is large enough for Chromium's 1200-byte ClientHello fragments.
 */
public final class QueueDatagramTransport implements DatagramTransport {
    /** Largest datagram accepted; larger ones are dropped (a UDP datagram on a 1500-byte MTU fits). */
    public static final int RECEIVE_LIMIT = 2048;
    /** Largest datagram we send: handshake messages are fragmented to fit a conservative path MTU. */
    public static final int SEND_LIMIT = 1200;
    private static final byte[] CLOSED = new byte[0];

    /** Where outgoing DTLS datagrams go. Called from the handshake thread. */
    @FunctionalInterface
    public interface Output {
        void send(byte[] buf, int off, int len) throws IOException;
    }

    private final ArrayBlockingQueue<byte[]> inbox = new ArrayBlockingQueue<>(64);
    private final Output output;
    private volatile boolean closed;

    public QueueDatagramTransport(Output output) {
        this.output = output;
    }

    /** Queues a copy of one received datagram. False (dropped) if closed, oversized or the queue is full. */
    public boolean offer(byte[] buf, int off, int len) {
        if (closed || len <= 0 || len > RECEIVE_LIMIT) return false;
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        return inbox.offer(copy);
    }

    @Override
    public int getReceiveLimit() {
        return RECEIVE_LIMIT;
    }

    @Override
    public int getSendLimit() {
        return SEND_LIMIT;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) throw new IOException("DTLS transport closed");
        byte[] d;
        try {
            d = inbox.poll(Math.max(0, waitMillis), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a DTLS datagram");
        }
        if (d == null) return -1;
        if (d == CLOSED) throw new IOException("DTLS transport closed");
        int n = Math.min(len, d.length);
        System.arraycopy(d, 0, buf, off, n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed) throw new IOException("DTLS transport closed");
        output.send(buf, off, len);
    }

    @Override
    public void close() {
        closed = true;
        inbox.clear();
        inbox.offer(CLOSED); // wakes a blocked receive
    }

    public boolean isClosed() {
        return closed;
    }
}
