package dev.parley.rtc.transport;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * The Linux system calls the media loops make themselves ({@code sendmmsg}, {@code recvmmsg}), as
 * {@code java.lang.foreign} downcall handles.
 *
 * <p>The project compiles for Java 21, where {@code java.lang.foreign} is a preview: the handles
 * are built reflectively once, and need a JDK 22+ at run time (the launcher's is 25). Every
 * argument is an {@code int} or a {@code long} (pointers are passed as addresses), so the callers'
 * per-datagram code touches no FFM type. Native memory is a direct {@link ByteBuffer} written with
 * plain absolute puts; {@link #address} gives its address once.
 *
 * <p>A handle is null when it cannot be had here (not Linux on x86-64/aarch64, a JDK without FFM,
 * native access denied, or the system property that turns the call off is true): the callers then
 * use Netty's channel instead.
 */
final class NativeCalls {
    /** {@code int sendmmsg(int fd, struct mmsghdr *msgvec, unsigned vlen, int flags)}; off with -Dparley.noSendmmsg=true. */
    static final MethodHandle SENDMMSG = lookup("sendmmsg", "parley.noSendmmsg", int.class, long.class, int.class, int.class);
    /**
     * {@code int recvmmsg(int fd, struct mmsghdr *msgvec, unsigned vlen, int flags, struct timespec *timeout)};
     * off with -Dparley.noRecvmmsg=true.
     *
     * <p>Without {@code errno}: capturing it ({@code Linker.Option.captureCallState}) makes the JDK
     * slice the capture segment on every call, an allocation that escape analysis removes only
     * when the caller is compiled with it inlined (measured: 0 B/datagram in one test JVM, 1.7 B in
     * another). The caller does not need it (see {@link ReceiveBatch#read}).
     */
    static final MethodHandle RECVMMSG = lookup("recvmmsg", "parley.noRecvmmsg", int.class, long.class, int.class, int.class, long.class);
    /**
     * {@code int setsockopt(int fd, int level, int name, const void *value, socklen_t len)}: the loop
     * sockets' {@code SO_TIMESTAMPNS}, which Netty's socket has no setter for.
     */
    static final MethodHandle SETSOCKOPT = lookup("setsockopt", "parley.noRecvmmsg", int.class, int.class, int.class, long.class, int.class);
    /**
     * {@code int clock_gettime(clockid_t clock, struct timespec *ts)}: {@code CLOCK_REALTIME} in
     * nanoseconds without allocating, to compare with the kernel's receive timestamps (the JDK's
     * only nanosecond realtime reads, {@code Instant.now()} and {@code Clock}, make an object).
     */
    static final MethodHandle CLOCK_GETTIME = lookup("clock_gettime", "parley.noRecvmmsg", int.class, long.class);

    private NativeCalls() {
    }

    /** Direct native memory of {@code size} bytes, zeroed, in the platform's byte order. */
    static ByteBuffer allocate(int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    }

    /** The native address of a direct buffer's first byte, or empty without FFM. */
    static Optional<Long> address(ByteBuffer direct) {
        try {
            return Optional.of((long) segmentType().getMethod("address").invoke(segmentOf(direct)));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    private static Object segmentOf(ByteBuffer direct) throws ReflectiveOperationException {
        return segmentType().getMethod("ofBuffer", java.nio.Buffer.class).invoke(null, direct);
    }

    private static Class<?> segmentType() throws ClassNotFoundException {
        return Class.forName("java.lang.foreign.MemorySegment");
    }

    /**
     * {@code Linker.nativeLinker().downcallHandle(defaultLookup().find(name), FunctionDescriptor.of(JAVA_INT, args...))},
     * typed with {@code args} (ints and longs only).
     */
    private static MethodHandle lookup(String name, String offProperty, Class<?>... args) {
        String arch = System.getProperty("os.arch", "");
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")
                || !(arch.equals("amd64") || arch.equals("aarch64"))
                || Boolean.getBoolean(offProperty)) {
            return null;
        }
        try {
            Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
            Class<?> lookupType = Class.forName("java.lang.foreign.SymbolLookup");
            Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
            Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
            Class<?> optionType = Class.forName("java.lang.foreign.Linker$Option");
            Object linker = linkerType.getMethod("nativeLinker").invoke(null);
            Object symbols = linkerType.getMethod("defaultLookup").invoke(linker);
            Optional<?> symbol = (Optional<?>) lookupType.getMethod("find", String.class).invoke(symbols, name);
            if (symbol.isEmpty()) {
                return null;
            }
            Object i32 = valueLayout.getField("JAVA_INT").get(null);
            Object i64 = valueLayout.getField("JAVA_LONG").get(null);
            Object layouts = Array.newInstance(layoutType, args.length);
            for (int i = 0; i < args.length; i++) {
                Array.set(layouts, i, args[i] == long.class ? i64 : i32);
            }
            Object descriptor = descriptorType.getMethod("of", layoutType, layouts.getClass()).invoke(null, i32, layouts);
            Object options = Array.newInstance(optionType, 0);
            MethodHandle h = (MethodHandle) linkerType.getMethod("downcallHandle", segmentType(), descriptorType, options.getClass())
                    .invoke(linker, symbol.get(), descriptor, options);
            return h.asType(MethodType.methodType(int.class, args));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;          // JDK 21 (FFM in preview), native access denied: Netty's channel is used
        }
    }
}
