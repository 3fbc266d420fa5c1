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
 * <p>Forwarding delay: each queued datagram carries the kernel receive time of the RTP packet it
 * is a copy of (0 for anything else), and {@link ForwardingDelay} gets, for every such datagram,
 * the delay from then to the {@code sendmmsg} that carries it, read on {@code CLOCK_REALTIME} once
 * just before that call. Why per copy and not once per packet: what a receiver experiences is its
 * own copy's delay, and in a fan-out the copies wait in turn (the last of 300 waits for 299
 * encryptions); per copy, the histogram's p99 is that of the packets receivers get, comparable to
 * an end-to-end measure taken at the receivers. Why before the call: on a real network
 * {@code sendmmsg} only queues to the device; on loopback it also runs the receiving sockets'
 * input inline, which is the receivers' cost, not the server's (and recorded before it too, so
 * whoever has received a datagram finds it counted). The copies of one packet are
 * consecutive in the batch (a packet's fan-out runs to completion before the next packet's), so
 * each run of equal receive times is recorded with one histogram update, weighted by its length.
 * One clock read per flush, nothing allocated.
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
    // forwarding delay: the receive time (CLOCK_REALTIME ns, 0: none) of each queued datagram's packet
    private final ForwardingDelay delay;
    private final RealtimeClock clock;            // null: no delay measured
    private final long[] received = new long[CAPACITY];

    private DatagramBatch(int fd, MuxCounters counters, MessageVector messages, ForwardingDelay delay, RealtimeClock clock) {
        this.fd = fd;
        this.counters = counters;
        this.messages = messages;
        this.delay = delay;
        this.clock = clock;
    }

    /** A batch for socket {@code fd}, or empty when sendmmsg cannot be called here (not Linux, no FFM). */
    static Optional<DatagramBatch> create(int fd, MuxCounters counters) {
        return create(fd, counters, new ForwardingDelay());
    }

    /** A batch that records the forwarding delay of what it sends into {@code delay}. */
    static Optional<DatagramBatch> create(int fd, MuxCounters counters, ForwardingDelay delay) {
        if (SENDMMSG == null || fd < 0) {
            return Optional.empty();
        }
        RealtimeClock clock = RealtimeClock.create().orElse(null);
        return MessageVector.create(CAPACITY).map(m -> new DatagramBatch(fd, counters, m, delay, clock));
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
        add(b, off, len, sockaddr, 0);
    }

    /**
     * Queues a datagram that forwards (a copy of) the RTP packet the kernel received at
     * {@code receivedNanos} ({@code CLOCK_REALTIME}; 0: not forwarding a timestamped packet).
     */
    void add(byte[] b, int off, int len, byte[] sockaddr, long receivedNanos) {
        if (count == CAPACITY) {
            flush();
        }
        received[count] = receivedNanos;
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
        if (clock != null && anyReceived(n)) {
            recordRuns(n, clock.nanos());            // before the call: see the class comment
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

    private boolean anyReceived(int n) {
        for (int i = 0; i < n; i++) {
            if (received[i] != 0) {
                return true;
            }
        }
        return false;
    }

    /** Every copy's delay to {@code now}: one weighted update per run of copies of one packet. */
    private void recordRuns(int n, long now) {
        int i = 0;
        while (i < n) {
            long r = received[i];
            int end = i + 1;
            while (end < n && received[end] == r) {
                end++;
            }
            if (r != 0) {
                delay.record(now - r, end - i);
            }
            i = end;
        }
    }
}
