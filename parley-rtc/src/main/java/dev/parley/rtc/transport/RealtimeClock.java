package dev.parley.rtc.transport;

import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * {@code CLOCK_REALTIME} in nanoseconds, read with {@code clock_gettime(2)} (the vDSO: no system
 * call) into a preallocated native {@code timespec}: the clock of the kernel's
 * {@code SO_TIMESTAMPNS} receive timestamps, read without allocating (the JDK's nanosecond
 * realtime reads make an {@code Instant}; {@code System.nanoTime} is another clock). Loop-confined:
 * {@code timespec} is the native buffer at {@code address} that each read fills.
 */
record RealtimeClock(ByteBuffer timespec, long address) {
    private static final int CLOCK_REALTIME = 0;
    private static final MethodHandle CLOCK_GETTIME = NativeCalls.CLOCK_GETTIME;

    /** A clock, or empty without FFM. */
    static Optional<RealtimeClock> create() {
        if (CLOCK_GETTIME == null) {
            return Optional.empty();
        }
        ByteBuffer ts = NativeCalls.allocate(16);
        return NativeCalls.address(ts).map(a -> new RealtimeClock(ts, a));
    }

    /** Nanoseconds since the epoch. */
    long nanos() {
        int r;
        try {
            r = (int) CLOCK_GETTIME.invokeExact(CLOCK_REALTIME, address);
        } catch (Throwable t) {
            throw new IllegalStateException("clock_gettime failed", t);
        }
        if (r != 0) {
            throw new IllegalStateException("clock_gettime(CLOCK_REALTIME) returned " + r);
        }
        return timespec.getLong(0) * 1_000_000_000L + timespec.getLong(8);
    }
}
