package dev.parley.rtc.transport;

import java.lang.invoke.MethodHandle;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The SRTP datagrams one media loop sends, gathered in native memory and written with one
 * {@code sendmmsg(2)} per flush (end of a read batch or of an inbox drain), called through FFM on
 * the loop's socket.
 *
 * <p>Why not Netty's write: it costs a {@code DatagramPacket} object, a pooled buffer and an
 * outbound-buffer entry per datagram, and a pipeline traversal; at hundreds of receivers per packet
 * that was most of the per-packet cost. Here a datagram is one copy into a preallocated slot, whose
 * {@code mmsghdr}, {@code iovec} and address slot are set up once; the peer's {@code sockaddr} is
 * resolved once per transport ({@link #sockaddr}). Nothing is allocated per datagram.
 *
 * <p>The downcall and the native memory come from {@link NativeCalls} (a JDK 22+ at run time,
 * otherwise Netty's write is used); the per-datagram path touches no FFM type.
 *
 * <p>Failures: the socket is non-blocking; a datagram the kernel refuses (full send buffer, a
 * route error) is dropped and counted, as the network would drop it. Loop-confined.
 */
final class DatagramBatch {
    static final int CAPACITY = 64;
    private static final MethodHandle SENDMMSG = NativeCalls.SENDMMSG;

    private int fd;                               // -1 once closed
    private final MuxCounters counters;
    private final MessageVector messages;
    private int count;

    private DatagramBatch(int fd, MuxCounters counters, MessageVector messages) {
        this.fd = fd;
        this.counters = counters;
        this.messages = messages;
    }

    /** A batch for socket {@code fd}, or empty when sendmmsg cannot be called here (not Linux, no FFM). */
    static Optional<DatagramBatch> create(int fd, MuxCounters counters) {
        if (SENDMMSG == null || fd < 0) {
            return Optional.empty();
        }
        return MessageVector.create(CAPACITY).map(m -> new DatagramBatch(fd, counters, m));
    }

    /** {@code a} as a {@code struct sockaddr_in} or {@code sockaddr_in6}, once per remote tuple. */
    static byte[] sockaddr(InetSocketAddress a) {
        int port = a.getPort();
        if (a.getAddress() instanceof Inet4Address v4) {
            byte[] s = new byte[16];
            s[0] = 2;                                 // AF_INET, little-endian sa_family_t
            s[2] = (byte) (port >> 8);
            s[3] = (byte) port;
            System.arraycopy(v4.getAddress(), 0, s, 4, 4);
            return s;
        }
        Inet6Address v6 = (Inet6Address) a.getAddress();
        byte[] s = new byte[28];
        s[0] = 10;                                    // AF_INET6
        s[2] = (byte) (port >> 8);
        s[3] = (byte) port;
        System.arraycopy(v6.getAddress(), 0, s, 8, 16);
        int scope = v6.getScopeId();
        s[24] = (byte) scope;
        s[25] = (byte) (scope >> 8);
        s[26] = (byte) (scope >> 16);
        s[27] = (byte) (scope >>> 24);
        return s;
    }

    /** Queues one datagram to the peer at {@code sockaddr}; flushes first when the batch is full. */
    void add(byte[] b, int off, int len, byte[] sockaddr) {
        if (count == CAPACITY) {
            flush();
        }
        messages.fill(count++, b, off, len, sockaddr);
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Drops what is queued and anything added later: the socket is closing. */
    void close() {
        fd = -1;
        count = 0;
    }

    /** Sends everything queued: one sendmmsg, more only when the kernel stops part-way. */
    void flush() {
        int n = count;
        count = 0;
        if (fd < 0) {
            return;
        }
        int i = 0;
        while (i < n) {
            int sent;
            try {
                sent = (int) SENDMMSG.invokeExact(fd, messages.messageAddress(i), n - i, 0);
            } catch (Throwable t) {
                throw new IllegalStateException("sendmmsg failed", t);
            }
            if (sent > 0) {
                i += sent;
                counters.datagramsSent.add(sent);
            } else {
                i++;                                  // the kernel refused message i: dropped, like a lost packet
                counters.sendFailed.increment();
            }
        }
    }
}
