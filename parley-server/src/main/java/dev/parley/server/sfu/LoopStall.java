package dev.parley.server.sfu;

import java.util.concurrent.locks.LockSupport;

/**
 * Test only, off by default: stalls a presenter's media loop for {@code parley.test.loopStallMs}
 * ms after every {@code parley.test.loopStallEvery}-th RTP packet it handles (default 1), as a
 * loaded machine, a GC pause or a large fan-out does; with {@code parley.test.loopBusyMs} and
 * {@code parley.test.loopBusyPeriodMs}, only during the first {@code loopBusyMs} of every
 * {@code loopBusyPeriodMs} of {@link System#nanoTime()} (default: always). Packets behind a stall
 * wait in the socket and are then handled in a burst; stalls longer than the packets' spacing
 * build a queue in the socket for the busy span, which drains after it. What
 * {@code BusyLoopFeedbackBrowserTest} uses to compare the presenter's own estimate when our
 * transport-cc feedback reports kernel arrival times against when it reported handling times
 * (issue #14, docs/congestion-control.md). Read when a stream is created, so a test sets the
 * properties before the presenter publishes. Media loop only.
 */
final class LoopStall {
    private final long stallNanos;
    private final int every;
    private final long busyNanos;
    private final long periodNanos;
    private int count;

    LoopStall(long stallNanos, int every, long busyNanos, long periodNanos) {
        this.stallNanos = stallNanos;
        this.every = Math.max(1, every);
        this.busyNanos = busyNanos;
        this.periodNanos = periodNanos;
    }

    static LoopStall fromSystemProperties() {
        return new LoopStall(Long.getLong("parley.test.loopStallMs", 0) * 1_000_000,
                Integer.getInteger("parley.test.loopStallEvery", 1),
                Long.getLong("parley.test.loopBusyMs", 0) * 1_000_000,
                Long.getLong("parley.test.loopBusyPeriodMs", 0) * 1_000_000);
    }

    /** After a packet handled at {@code nowNanos}: parks the loop's thread when this one completes a run of {@code every}. */
    void afterPacket(long nowNanos) {
        if (stallNanos == 0 || periodNanos > 0 && Math.floorMod(nowNanos, periodNanos) >= busyNanos) {
            return;
        }
        if (++count >= every) {
            count = 0;
            LockSupport.parkNanos(stallNanos);
        }
    }
}
