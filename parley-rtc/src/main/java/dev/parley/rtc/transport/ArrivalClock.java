package dev.parley.rtc.transport;

import java.util.function.LongSupplier;

/**
 * Puts a kernel receive timestamp ({@code SO_TIMESTAMPNS}: {@code CLOCK_REALTIME} nanoseconds) into
 * {@link System#nanoTime()}'s domain ({@code CLOCK_MONOTONIC}), the one clock the SFU's timing
 * runs on, so that "when this packet arrived at the machine" can stand in for "now" wherever arrival
 * is meant (transport-cc feedback, jitter, NACK timing: issue #14). A datagram that waited in the
 * socket's queue while the loop was busy keeps the time it arrived, not the time it was read.
 *
 * <p>The two clocks differ by an offset that only changes when the realtime clock is stepped (NTP
 * slews {@code CLOCK_REALTIME} and {@code CLOCK_MONOTONIC} alike), so the offset is read again at most
 * every {@value #REFRESH_NANOS} ns of loop time, when a conversion asks for it: a step is followed
 * within that, and no packet pays for clock reads. A reading whose realtime bracket is wider than
 * {@value #MAX_READ_SPAN_NANOS} ns (the thread was preempted between the reads) is not used while an
 * older one is known.
 *
 * <p>Without a timestamp (a socket that does not stamp, Netty's read path) the arrival is the
 * caller's {@code now}. A converted time is never later than {@code now} (the offset's reading error,
 * a step back), nor earlier than {@value #MAX_WAIT_NANOS} ns before it (a step forward: no datagram
 * waits that long in a socket queue that is read). Loop-confined; allocates nothing.
 */
final class ArrivalClock {
    static final long REFRESH_NANOS = 100_000_000;
    static final long MAX_READ_SPAN_NANOS = 100_000;
    static final long MAX_WAIT_NANOS = 10_000_000_000L;

    private final LongSupplier realtime;          // null: no kernel timestamps to convert
    private final LongSupplier monotonic;
    private long offset;                           // monotonic - realtime
    private long refreshedAt;                      // monotonic
    private boolean known;

    ArrivalClock(LongSupplier realtime, LongSupplier monotonic) {
        this.realtime = realtime;
        this.monotonic = monotonic;
    }

    /** On the real clocks: {@link RealtimeClock} (when FFM has it) and {@link System#nanoTime()}. */
    static ArrivalClock system() {
        LongSupplier realtime = RealtimeClock.create().<LongSupplier>map(c -> c::nanos).orElse(null);
        return new ArrivalClock(realtime, System::nanoTime);
    }

    /**
     * The arrival, in the monotonic domain, of a datagram the kernel stamped {@code realtimeNanos}
     * (0: not stamped), handled at {@code nowNanos} ({@link System#nanoTime()}).
     */
    long toNanoTime(long realtimeNanos, long nowNanos) {
        if (realtimeNanos == 0 || realtime == null) {
            return nowNanos;
        }
        if (!known || nowNanos - refreshedAt >= REFRESH_NANOS) {
            refresh(nowNanos);
        }
        long t = realtimeNanos + offset;
        if (t > nowNanos) {
            return nowNanos;
        }
        return nowNanos - t > MAX_WAIT_NANOS ? nowNanos : t;
    }

    private void refresh(long nowNanos) {
        long before = realtime.getAsLong();
        long m = monotonic.getAsLong();
        long after = realtime.getAsLong();
        long span = after - before;
        if ((span < 0 || span > MAX_READ_SPAN_NANOS) && known) {
            return;                                // preempted or stepped between the reads: try again next time
        }
        offset = m - (before + span / 2);
        refreshedAt = nowNanos;
        known = true;
    }
}
