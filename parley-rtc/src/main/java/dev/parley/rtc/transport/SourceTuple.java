package dev.parley.rtc.transport;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The remote address and port of a received datagram as plain numbers: one instance per media loop,
 * overwritten for every datagram, so finding the datagram's route ({@link TupleRoutes}) allocates
 * nothing. Only a tuple with no route yet is made into an {@link InetSocketAddress}
 * ({@link #toAddress}).
 *
 * <p>The address is its 16 bytes as two big-endian longs; an IPv4 address is stored IPv4-mapped
 * ({@code ::ffff:a.b.c.d}), which is also how a dual-stack IPv6 socket reports an IPv4 sender, so
 * both spellings of one peer are one tuple. The IPv6 scope id (link-local addresses) is part of it.
 */
final class SourceTuple {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    private static final long V4_MAPPED = 0xFFFFL << 32;

    long high;
    long low;
    int scope;
    int port;

    void setIpv4(int address, int port) {
        this.high = 0;
        this.low = V4_MAPPED | (address & 0xFFFFFFFFL);
        this.scope = 0;
        this.port = port;
    }

    void setIpv6(long high, long low, int scope, int port) {
        this.high = high;
        this.low = low;
        this.scope = scope;
        this.port = port;
    }

    /** From a Java address: on the Netty path and for routes (allocates; not per datagram on the FFM path). */
    SourceTuple set(InetSocketAddress a) {
        byte[] b = a.getAddress().getAddress();
        if (b.length == 4) {
            setIpv4(readInt(b, 0), a.getPort());
        } else {
            int scopeId = a.getAddress() instanceof Inet6Address v6 ? v6.getScopeId() : 0;
            setIpv6(readLong(b, 0), readLong(b, 8), scopeId, a.getPort());
        }
        return this;
    }

    boolean isIpv4() {
        return high == 0 && (low & ~0xFFFFFFFFL) == V4_MAPPED;
    }

    boolean matches(long h, long l, int s, int p) {
        return high == h && low == l && scope == s && port == p;
    }

    int hash() {
        long x = high * 0x9E3779B97F4A7C15L ^ low * 0xC2B2AE3D27D4EB4FL ^ ((long) scope << 16 | port) * 0x165667B19E3779F9L;
        return (int) (x ^ (x >>> 29) ^ (x >>> 41));
    }

    /** The tuple as a Java address (an {@link Inet4Address} for IPv4 and IPv4-mapped). Allocates: new tuples only. */
    InetSocketAddress toAddress() {
        byte[] b;
        try {
            if (isIpv4()) {
                b = new byte[4];
                writeInt(b, 0, (int) low);
                return new InetSocketAddress(InetAddress.getByAddress(b), port);
            }
            b = new byte[16];
            writeInt(b, 0, (int) (high >>> 32));
            writeInt(b, 4, (int) high);
            writeInt(b, 8, (int) (low >>> 32));
            writeInt(b, 12, (int) low);
            InetAddress a = scope == 0 ? InetAddress.getByAddress(b) : Inet6Address.getByAddress(null, b, scope);
            return new InetSocketAddress(a, port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);      // not for 4 or 16 bytes
        }
    }

    private static int readInt(byte[] b, int o) {
        return ((b[o] & 0xFF) << 24) | ((b[o + 1] & 0xFF) << 16) | ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
    }

    private static long readLong(byte[] b, int o) {
        return ((long) readInt(b, o) << 32) | (readInt(b, o + 4) & 0xFFFFFFFFL);
    }

    private static void writeInt(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }

    @Override
    public String toString() {
        return toAddress().toString();
    }
}
