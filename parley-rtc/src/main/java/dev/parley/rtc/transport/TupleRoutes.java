package dev.parley.rtc.transport;

import java.net.InetSocketAddress;

/**
 * One media loop's routes: remote tuple (address, port) to what its datagrams are for (the transport),
 * with the tuple's {@link InetSocketAddress} (made once, when the route is added).
 *
 * <p>Why not a {@code HashMap<InetSocketAddress, ...>}: the lookup runs for every received
 * datagram and must not allocate, so the key is the numbers of a reused {@link SourceTuple}.
 * Open addressing with linear probing over parallel arrays, at most half full; removal shifts
 * the following entries back (no tombstones). Only adding a route may allocate (growing the
 * table). Loop-confined.
 */
final class TupleRoutes<T> {
    private long[] high;
    private long[] low;
    private int[] scope;
    private int[] port;
    private InetSocketAddress[] address;
    private Object[] transport;                // null: empty slot
    private int size;
    private final SourceTuple scratch = new SourceTuple();
    private final SourceTuple entry = new SourceTuple();

    TupleRoutes() {
        allocate(16);
    }

    private void allocate(int slots) {
        high = new long[slots];
        low = new long[slots];
        scope = new int[slots];
        port = new int[slots];
        address = new InetSocketAddress[slots];
        transport = new Object[slots];
    }

    /** The slot of {@code k}'s route, or -1. */
    int find(SourceTuple k) {
        int mask = transport.length - 1;
        for (int i = k.hash() & mask; transport[i] != null; i = (i + 1) & mask) {
            if (k.matches(high[i], low[i], scope[i], port[i])) {
                return i;
            }
        }
        return -1;
    }

    @SuppressWarnings("unchecked")
    T transportAt(int slot) {
        return (T) transport[slot];
    }

    InetSocketAddress addressAt(int slot) {
        return address[slot];
    }

    /** Routes {@code tuple}'s datagrams to {@code t} (replacing any route of that tuple). */
    void put(InetSocketAddress tuple, T t) {
        SourceTuple k = scratch.set(tuple);
        int slot = find(k);
        if (slot >= 0) {
            transport[slot] = t;
            address[slot] = tuple;
            return;
        }
        if (2 * (size + 1) > transport.length) {
            grow();
        }
        insert(k, tuple, t);
        size++;
    }

    /** Removes {@code tuple}'s route if it leads to {@code t}. */
    void remove(InetSocketAddress tuple, T t) {
        int slot = find(scratch.set(tuple));
        if (slot < 0 || transport[slot] != t) {
            return;
        }
        int mask = transport.length - 1;
        int hole = slot;
        for (int i = (hole + 1) & mask; transport[i] != null; i = (i + 1) & mask) {
            int home = homeOf(i) & mask;
            // entry i may fill the hole unless its home lies cyclically in (hole, i]
            boolean stays = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
            if (!stays) {
                move(i, hole);
                hole = i;
            }
        }
        transport[hole] = null;
        address[hole] = null;
        size--;
    }

    int size() {
        return size;
    }

    private int homeOf(int i) {
        entry.setIpv6(high[i], low[i], scope[i], port[i]);
        return entry.hash();
    }

    private void move(int from, int to) {
        high[to] = high[from];
        low[to] = low[from];
        scope[to] = scope[from];
        port[to] = port[from];
        address[to] = address[from];
        transport[to] = transport[from];
    }

    private void insert(SourceTuple k, InetSocketAddress tuple, Object t) {
        int mask = transport.length - 1;
        int i = k.hash() & mask;
        while (transport[i] != null) {
            i = (i + 1) & mask;
        }
        high[i] = k.high;
        low[i] = k.low;
        scope[i] = k.scope;
        port[i] = k.port;
        address[i] = tuple;
        transport[i] = t;
    }

    private void grow() {
        long[] h = high, l = low;
        int[] s = scope, p = port;
        InetSocketAddress[] a = address;
        Object[] t = transport;
        allocate(t.length * 2);
        for (int i = 0; i < t.length; i++) {
            if (t[i] != null) {
                entry.setIpv6(h[i], l[i], s[i], p[i]);
                insert(entry, a[i], t[i]);
            }
        }
    }
}
