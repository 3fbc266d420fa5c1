package dev.parley.bench.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One reading thread with its own selector over the UDP sockets of a group of synthetic peers
 * (see {@link UdpReaders} for how many). Datagrams are handed to their peer on this thread, in a
 * reused buffer that is valid only during the call. Peers with an emulated impaired link get
 * their delayed datagrams from here too, when due: the select waits at most until the next one.
 */
public final class UdpReactor implements AutoCloseable {
    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<ClientPeer> pending = new ConcurrentLinkedQueue<>();
    private final byte[] buf = new byte[2048];
    private final ByteBuffer view = ByteBuffer.wrap(buf);
    private final List<ClientPeer> impaired = new ArrayList<>();   // this thread only
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicInteger peers = new java.util.concurrent.atomic.AtomicInteger();

    public UdpReactor(String name) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = Thread.ofPlatform().daemon().name(name).start(this::run);
    }

    /** Takes a place for one more peer if fewer than {@code max} hold one. */
    boolean tryReserve(int max) {
        for (int n = peers.get(); n < max; n = peers.get()) {
            if (peers.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    /** A peer closed: its place is free (its channel's key goes when the channel closes). */
    void release() {
        peers.decrementAndGet();
    }

    /** Starts reading a peer's (connected, non-blocking) channel. */
    void register(ClientPeer peer) {
        pending.add(peer);
        selector.wakeup();
    }

    private void run() {
        while (!closed) {
            try {
                selector.select(waitMillis());
                for (ClientPeer p; (p = pending.poll()) != null; ) {
                    try {
                        p.channel().register(selector, SelectionKey.OP_READ, p);
                        if (p.impaired()) {
                            impaired.add(p);
                        }
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
                releaseDelayed();
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    System.err.println("udp reactor: " + e);
                }
            }
        }
    }

    /** Until the next delayed datagram is due (at least 1 ms: the selector's resolution), at most 200 ms. */
    private long waitMillis() {
        long next = Long.MAX_VALUE;
        for (ClientPeer p : impaired) {
            next = Math.min(next, p.nextRelease());
        }
        if (next == Long.MAX_VALUE) {
            return 200;
        }
        return Math.clamp((next - System.nanoTime() + 999_999) / 1_000_000, 1, 200);
    }

    private void releaseDelayed() {
        if (impaired.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        for (int i = impaired.size() - 1; i >= 0; i--) {
            ClientPeer p = impaired.get(i);
            if (!p.channel().isOpen()) {
                impaired.remove(i);
            } else {
                p.releaseDue(now, buf);
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
