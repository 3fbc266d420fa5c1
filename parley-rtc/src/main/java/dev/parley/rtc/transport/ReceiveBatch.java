package dev.parley.rtc.transport;

import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Up to {@link #CAPACITY} datagrams read from one media loop's socket with one {@code recvmmsg(2)},
 * called through FFM into preallocated native slots ({@link MessageVector}): the data, its length,
 * the kernel's flags, the sender's {@code sockaddr} and the kernel's receive timestamp of each
 * ({@code SCM_TIMESTAMPNS}, when the socket has {@code SO_TIMESTAMPNS}), read back without allocating.
 *
 * <p>Why not Netty's read: its epoll channel also uses recvmmsg, but hands every datagram up as a
 * {@code DatagramPacket} with a pooled buffer and a new {@code InetSocketAddress} for the sender
 * (about 330 bytes per received datagram measured on the media loops). Here the sender stays numbers
 * ({@link #sender}) until a route lookup needs none.
 *
 * <p>Errors: a failed call means nothing is waiting ({@code EAGAIN}) or the socket reported an error
 * instead of a datagram (e.g. {@code ECONNREFUSED} from an ICMP error the kernel queued on it, which
 * the failing call consumes). Either way the reader stops for this wake-up: the socket's readiness
 * is level-triggered, so datagrams still waiting wake the loop again. Telling the two apart would
 * need {@code errno}, whose capture allocates ({@link NativeCalls#RECVMMSG}). Loop-confined.
 */
final class ReceiveBatch {
    static final int CAPACITY = UdpMux.READ_BATCH;
    /** {@code msg_flags}: the datagram was larger than its slot, its tail is lost. */
    static final int MSG_TRUNC = 0x20;
    private static final int MSG_DONTWAIT = 0x40;
    private static final MethodHandle RECVMMSG = NativeCalls.RECVMMSG;

    private final int fd;
    private final MessageVector messages;

    private ReceiveBatch(int fd, MessageVector messages) {
        this.fd = fd;
        this.messages = messages;
    }

    static boolean isSupported() {
        return RECVMMSG != null;
    }

    /** A batch reading socket {@code fd}, or empty when recvmmsg cannot be called here. */
    static Optional<ReceiveBatch> create(int fd) {
        if (RECVMMSG == null || fd < 0) {
            return Optional.empty();
        }
        return MessageVector.create(CAPACITY, MessageVector.CONTROL).map(m -> new ReceiveBatch(fd, m));
    }

    /**
     * Reads the datagrams waiting, without blocking: how many (into slots 0..n-1), or -1 when none
     * is waiting or the socket reported an error.
     */
    int read() {
        for (int i = 0; i < CAPACITY; i++) {
            messages.resetForReceive(i);
        }
        try {
            return (int) RECVMMSG.invokeExact(fd, messages.messageAddress(0), CAPACITY, MSG_DONTWAIT, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("recvmmsg failed", t);
        }
    }

    int length(int i) {
        return messages.receivedLength(i);
    }

    boolean truncated(int i) {
        return (messages.receivedFlags(i) & MSG_TRUNC) != 0;
    }

    /** Copies datagram {@code i} (its {@link #length}) to the start of {@code dst}. */
    void copy(int i, byte[] dst) {
        messages.copyData(i, dst, messages.receivedLength(i));
    }

    /**
     * When the kernel received datagram {@code i} ({@code CLOCK_REALTIME} nanoseconds, from
     * {@code SO_TIMESTAMPNS}), or 0 when the socket does not timestamp.
     */
    long timestamp(int i) {
        return messages.receivedTimestamp(i);
    }

    /** Datagram {@code i}'s sender; false for a family other than IPv4/IPv6. */
    boolean sender(int i, SourceTuple into) {
        return messages.sender(i, into);
    }
}
