package dev.parley.bench.peer;

import java.util.ArrayList;
import java.util.List;

/**
 * The reading threads of a load generator: a new {@link UdpReactor} (thread and selector) for every
 * {@code peersPerReader} peers. Separate client processes each wake their own reader for every
 * datagram the server sends them; one selector over hundreds of sockets instead drains many
 * datagrams per wake-up, and so made the server look cheaper per packet than an independent
 * generator (pion-based, one process per peer) measured it. A few peers per reader restores most
 * of those wake-ups; a large value reproduces the single-selector generator.
 */
public final class UdpReaders implements AutoCloseable {
    private final String name;
    private final int peersPerReader;
    private final List<UdpReactor> readers = new ArrayList<>();

    public UdpReaders(String name, int peersPerReader) {
        if (peersPerReader < 1) {
            throw new IllegalArgumentException("peers per reader must be at least 1");
        }
        this.name = name;
        this.peersPerReader = peersPerReader;
    }

    /**
     * The reader for the next peer: the first with fewer than K live peers (closed peers free their
     * place, so publish/unpublish cycles do not add threads), else a new one.
     */
    public synchronized UdpReactor assign() {
        for (UdpReactor r : readers) {
            if (r.tryReserve(peersPerReader)) {
                return r;
            }
        }
        UdpReactor r = new UdpReactor(name + "-" + readers.size());
        r.tryReserve(peersPerReader);
        readers.add(r);
        return r;
    }

    public int peersPerReader() {
        return peersPerReader;
    }

    public synchronized int readerThreads() {
        return readers.size();
    }

    @Override
    public synchronized void close() {
        readers.forEach(UdpReactor::close);
        readers.clear();
    }
}
