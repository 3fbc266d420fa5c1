package dev.parley.rtc.transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * A {@code struct mmsghdr} array in native memory, as {@code sendmmsg(2)} and {@code recvmmsg(2)}
 * take it: message {@code i} has one {@code iovec} over its own datagram-sized data slot and its
 * own address slot, all pointers set up once, so that filling or reading a message is a copy and
 * a few plain puts. Loop-confined.
 */
final class MessageVector {
    static final int SLOT = UdpMux.MAX_DATAGRAM;
    /** Room for a {@code sockaddr_in6} (28 bytes). */
    static final int ADDR = 32;
    private static final int MMSGHDR = 64;        // struct mmsghdr on x86-64/aarch64 Linux
    private static final int IOVEC = 16;
    private static final int MSG_NAME = 0, MSG_NAMELEN = 8, MSG_IOV = 16, MSG_IOVLEN = 24,
            MSG_CONTROL = 32, MSG_CONTROLLEN = 40, MSG_FLAGS = 48, MSG_LEN = 56;
    /**
     * Control (ancillary data) room per received message: one {@code SCM_TIMESTAMPNS} takes
     * {@code CMSG_SPACE(sizeof(struct timespec))} = 32 bytes; twice that leaves room for another.
     */
    static final int CONTROL = 64;
    private static final int CMSG_HEADER = 16;    // size_t cmsg_len, int cmsg_level, int cmsg_type
    private static final int SOL_SOCKET = 1;
    /** {@code SCM_TIMESTAMPNS} (= {@code SO_TIMESTAMPNS}) on x86-64 and aarch64: a {@code struct timespec}. */
    static final int SCM_TIMESTAMPNS = 35;

    final int capacity;
    private final ByteBuffer mem;                 // native order: the kernel's ints and longs
    private final ByteBuffer network;             // the same memory, big-endian: ports and addresses
    private final long address;                   // of mem
    private final int iovs, addrs, data, controls;
    private final int control;                    // bytes of control room per message: 0 when sending

    private MessageVector(int capacity, int control, ByteBuffer mem, long address) {
        this.capacity = capacity;
        this.mem = mem;
        this.network = mem.duplicate().order(ByteOrder.BIG_ENDIAN);
        this.address = address;
        this.iovs = capacity * MMSGHDR;
        this.addrs = iovs + capacity * IOVEC;
        this.data = addrs + capacity * ADDR;
        this.controls = data + capacity * SLOT;
        this.control = control;
        for (int i = 0; i < capacity; i++) {
            int m = i * MMSGHDR;
            mem.putLong(m + MSG_NAME, address + addrs + (long) i * ADDR);
            mem.putInt(m + MSG_NAMELEN, ADDR);
            mem.putLong(m + MSG_IOV, address + iovs + (long) i * IOVEC);
            mem.putLong(m + MSG_IOVLEN, 1);
            mem.putLong(iovs + i * IOVEC, address + data + (long) i * SLOT);
            mem.putLong(iovs + i * IOVEC + 8, SLOT);
            if (control > 0) {
                mem.putLong(m + MSG_CONTROL, address + controls + (long) i * control);
            }
        }
    }

    /** {@code capacity} messages to send, or empty without FFM. */
    static Optional<MessageVector> create(int capacity) {
        return create(capacity, 0);
    }

    /** {@code capacity} messages with {@code control} bytes of ancillary data room each, or empty without FFM. */
    static Optional<MessageVector> create(int capacity, int control) {
        ByteBuffer mem = NativeCalls.allocate(capacity * (MMSGHDR + IOVEC + ADDR + SLOT + control));
        return NativeCalls.address(mem).map(a -> new MessageVector(capacity, control, mem, a));
    }

    /** The native address of message {@code i}'s {@code mmsghdr}: what the system calls take. */
    long messageAddress(int i) {
        return address + (long) i * MMSGHDR;
    }

    // ---- sending ----

    /** Message {@code i} carries {@code b[off, off+len)} to {@code sockaddr} ({@link DatagramBatch#sockaddr}). */
    void fill(int i, byte[] b, int off, int len, byte[] sockaddr) {
        mem.put(data + i * SLOT, b, off, len);
        mem.put(addrs + i * ADDR, sockaddr, 0, sockaddr.length);
        mem.putInt(i * MMSGHDR + MSG_NAMELEN, sockaddr.length);
        mem.putLong(iovs + i * IOVEC + 8, len);
    }

    // ---- receiving ----

    /**
     * Readies message {@code i} for recvmmsg, which overwrites the address length with the sender's
     * and the control length with what it wrote there.
     */
    void resetForReceive(int i) {
        mem.putInt(i * MMSGHDR + MSG_NAMELEN, ADDR);
        mem.putLong(i * MMSGHDR + MSG_CONTROLLEN, control);
    }

    /**
     * The kernel's receive time of message {@code i} ({@code SCM_TIMESTAMPNS}: {@code CLOCK_REALTIME},
     * nanoseconds since the epoch), or 0 when its ancillary data has none (the socket option is off).
     */
    long receivedTimestamp(int i) {
        int used = (int) Math.min(mem.getLong(i * MMSGHDR + MSG_CONTROLLEN), control);
        int base = controls + i * control;
        int off = 0;
        while (off + CMSG_HEADER <= used) {
            int len = (int) mem.getLong(base + off);
            if (len < CMSG_HEADER) {
                return 0;                             // malformed: cannot step to the next one
            }
            if (mem.getInt(base + off + 8) == SOL_SOCKET && mem.getInt(base + off + 12) == SCM_TIMESTAMPNS
                    && len >= CMSG_HEADER + 16 && off + CMSG_HEADER + 16 <= used) {
                return mem.getLong(base + off + CMSG_HEADER) * 1_000_000_000L + mem.getLong(base + off + CMSG_HEADER + 8);
            }
            off += (len + 7) & ~7;                    // CMSG_ALIGN
        }
        return 0;
    }

    /** Bytes the kernel put in message {@code i}'s data slot. */
    int receivedLength(int i) {
        return mem.getInt(i * MMSGHDR + MSG_LEN);
    }

    /** The kernel's {@code msg_flags} of received message {@code i} (e.g. {@code MSG_TRUNC}). */
    int receivedFlags(int i) {
        return mem.getInt(i * MMSGHDR + MSG_FLAGS);
    }

    /** Copies received message {@code i}'s first {@code len} bytes to {@code dst}. */
    void copyData(int i, byte[] dst, int len) {
        mem.get(data + i * SLOT, dst, 0, len);
    }

    /** Reads message {@code i}'s sender into {@code into}; false for an address family other than IPv4/IPv6. */
    boolean sender(int i, SourceTuple into) {
        int a = addrs + i * ADDR;
        int family = mem.getShort(a);             // sa_family_t, native order
        int port = network.getShort(a + 2) & 0xFFFF;
        if (family == SourceTuple.AF_INET) {
            into.setIpv4(network.getInt(a + 4), port);
            return true;
        }
        if (family == SourceTuple.AF_INET6) {
            into.setIpv6(network.getLong(a + 8), network.getLong(a + 16), mem.getInt(a + 24), port);
            return true;
        }
        return false;
    }
}
