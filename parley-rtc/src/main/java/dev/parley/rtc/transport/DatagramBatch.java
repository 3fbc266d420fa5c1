package dev.parley.rtc.transport;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * <p>The project compiles for Java 21, where {@code java.lang.foreign} is a preview: the downcall is
 * built reflectively once (it needs a JDK 22+ at run time, as the launcher's 25; otherwise Netty's
 * write is used), and the native memory is a direct {@link ByteBuffer} written with plain absolute
 * puts, so the per-datagram path touches no FFM type.
 *
 * <p>Failures: the socket is non-blocking; a datagram the kernel refuses (full send buffer, a
 * route error) is dropped and counted, as the network would drop it. Loop-confined.
 */
final class DatagramBatch {
    static final int CAPACITY = 64;
    private static final int SLOT = UdpMux.MAX_DATAGRAM;
    private static final int MMSGHDR = 64;        // struct mmsghdr on x86-64/aarch64 Linux
    private static final int IOVEC = 16;
    private static final int ADDR = 32;           // room for a sockaddr_in6 (28)
    private static final int MSG_NAME = 0, MSG_NAMELEN = 8, MSG_IOV = 16, MSG_IOVLEN = 24;
    private static final MethodHandle SENDMMSG = lookup();

    private final int fd;
    private final MuxCounters counters;
    private final ByteBuffer mem;                 // native memory: the mmsghdr, iovec, address and data slots
    private final long address;                   // of mem
    private final int msgs, iovs, addrs, data;
    private int count;

    private DatagramBatch(int fd, MuxCounters counters, ByteBuffer mem, long address) {
        this.fd = fd;
        this.counters = counters;
        this.mem = mem;
        this.address = address;
        this.msgs = 0;
        this.iovs = msgs + CAPACITY * MMSGHDR;
        this.addrs = iovs + CAPACITY * IOVEC;
        this.data = addrs + CAPACITY * ADDR;
        for (int i = 0; i < CAPACITY; i++) {
            int m = msgs + i * MMSGHDR;
            mem.putLong(m + MSG_NAME, address + addrs + (long) i * ADDR);
            mem.putLong(m + MSG_IOV, address + iovs + (long) i * IOVEC);
            mem.putLong(m + MSG_IOVLEN, 1);
            mem.putLong(iovs + i * IOVEC, address + data + (long) i * SLOT);
        }
    }

    /** A batch for socket {@code fd}, or empty when sendmmsg cannot be called here (not Linux, no FFM). */
    static Optional<DatagramBatch> create(int fd, MuxCounters counters) {
        if (SENDMMSG == null || fd < 0) {
            return Optional.empty();
        }
        ByteBuffer mem = ByteBuffer.allocateDirect(CAPACITY * (MMSGHDR + IOVEC + ADDR + SLOT)).order(ByteOrder.nativeOrder());
        try {
            Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
            Object view = segment.getMethod("ofBuffer", java.nio.Buffer.class).invoke(null, mem);
            long address = (long) segment.getMethod("address").invoke(view);
            return Optional.of(new DatagramBatch(fd, counters, mem, address));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static MethodHandle lookup() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")
                || !(System.getProperty("os.arch", "").equals("amd64") || System.getProperty("os.arch", "").equals("aarch64"))
                || Boolean.getBoolean("parley.noSendmmsg")) {
            return null;
        }
        try {
            // Linker.nativeLinker().downcallHandle(defaultLookup().find("sendmmsg"), FunctionDescriptor.of(
            //     JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT)): int sendmmsg(int fd, mmsghdr*, uint n, int flags)
            Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
            Class<?> lookupType = Class.forName("java.lang.foreign.SymbolLookup");
            Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
            Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
            Class<?> segmentType = Class.forName("java.lang.foreign.MemorySegment");
            Class<?> optionType = Class.forName("java.lang.foreign.Linker$Option");
            Object linker = linkerType.getMethod("nativeLinker").invoke(null);
            Object symbols = linkerType.getMethod("defaultLookup").invoke(linker);
            Optional<?> symbol = (Optional<?>) lookupType.getMethod("find", String.class).invoke(symbols, "sendmmsg");
            if (symbol.isEmpty()) {
                return null;
            }
            Object i32 = valueLayout.getField("JAVA_INT").get(null);
            Object i64 = valueLayout.getField("JAVA_LONG").get(null);
            Object args = Array.newInstance(layoutType, 4);
            Array.set(args, 0, i32);
            Array.set(args, 1, i64);
            Array.set(args, 2, i32);
            Array.set(args, 3, i32);
            Object descriptor = descriptorType.getMethod("of", layoutType, args.getClass()).invoke(null, i32, args);
            Object options = Array.newInstance(optionType, 0);
            MethodHandle h = (MethodHandle) linkerType.getMethod("downcallHandle", segmentType, descriptorType, options.getClass())
                    .invoke(linker, symbol.get(), descriptor, options);
            return h.asType(MethodType.methodType(int.class, int.class, long.class, int.class, int.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;          // JDK 21 (FFM in preview), native access denied: Netty's write is used
        }
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
        int i = count++;
        mem.put(data + i * SLOT, b, off, len);
        mem.put(addrs + i * ADDR, sockaddr, 0, sockaddr.length);
        mem.putInt(msgs + i * MMSGHDR + MSG_NAMELEN, sockaddr.length);
        mem.putLong(iovs + i * IOVEC + 8, len);
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Sends everything queued: one sendmmsg, more only when the kernel stops part-way. */
    void flush() {
        int n = count;
        count = 0;
        int i = 0;
        while (i < n) {
            int sent;
            try {
                sent = (int) SENDMMSG.invokeExact(fd, address + msgs + (long) i * MMSGHDR, n - i, 0);
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
