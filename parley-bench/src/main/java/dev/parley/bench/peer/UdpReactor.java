package dev.parley.bench.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One thread that reads every synthetic peer's UDP socket (a selector over many connected
 * channels), so that hundreds of peers cost one thread. Datagrams are handed to their peer on
 * this thread, in a reused buffer that is valid only during the call.
 */
public final class UdpReactor implements AutoCloseable {
    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<ClientPeer> pending = new ConcurrentLinkedQueue<>();
    private final byte[] buf = new byte[2048];
    private final ByteBuffer view = ByteBuffer.wrap(buf);
    private volatile boolean closed;

    public UdpReactor(String name) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = Thread.ofPlatform().daemon().name(name).start(this::run);
    }

    /** Starts reading a peer's (connected, non-blocking) channel. */
    void register(ClientPeer peer) {
        pending.add(peer);
        selector.wakeup();
    }

    private void run() {
        while (!closed) {
            try {
                selector.select(200);
                for (ClientPeer p; (p = pending.poll()) != null; ) {
                    try {
                        p.channel().register(selector, SelectionKey.OP_READ, p);
                    } catch (ClosedChannelException e) {
                        // closed before we got to it
                    }
                }
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (k.isValid() && k.isReadable()) {
                        drain((ClientPeer) k.attachment(), (DatagramChannel) k.channel());
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    System.err.println("udp reactor: " + e);
                }
            }
        }
    }

    private void drain(ClientPeer peer, DatagramChannel ch) {
        for (int i = 0; i < 64; i++) {
            view.clear();
            int n;
            try {
                n = ch.read(view);
            } catch (IOException e) {
                return; // e.g. ICMP port unreachable after the server went away
            }
            if (n <= 0) {
                return;
            }
            peer.onDatagram(buf, n, System.nanoTime());
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(1000);
            selector.close();
        } catch (IOException | InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
