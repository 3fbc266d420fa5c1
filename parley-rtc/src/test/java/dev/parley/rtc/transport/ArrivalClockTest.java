package dev.parley.rtc.transport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kernel receive timestamps (CLOCK_REALTIME) put into System.nanoTime()'s domain for transport-cc
 * feedback and jitter (issue #14): synthetic clocks, nothing read from the machine.
 */
class ArrivalClockTest {
    private static final long MS = 1_000_000;
    private static final long EPOCH_2026 = 1_796_000_000_000_000_000L;     // a realtime value, ns

    /** Two clocks the test moves: monotonic = realtime - skew (+ a step the test may apply). */
    private static final class Clocks {
        long monotonic = 5_000 * MS;
        long skew = EPOCH_2026 - 5_000 * MS;
        long preemptOnce;                          // added between the two realtime reads, once
        int realtimeReads;

        long realtime() {
            realtimeReads++;
            long r = monotonic + skew;
            if (preemptOnce != 0 && realtimeReads % 2 == 0) {
                r += preemptOnce;
                preemptOnce = 0;
            }
            return r;
        }

        ArrivalClock clock() {
            return new ArrivalClock(this::realtime, () -> monotonic);
        }
    }

    @Test
    void aKernelTimestampBecomesTheMonotonicTimeItWasTaken() {
        Clocks c = new Clocks();
        ArrivalClock clock = c.clock();
        long stamped = c.monotonic + c.skew;             // the kernel stamps now...
        c.monotonic += 30 * MS;                          // ...the loop reads it 30 ms later
        assertThat(clock.toNanoTime(stamped, c.monotonic)).isEqualTo(c.monotonic - 30 * MS);
    }

    @Test
    void packetsStampedFiveMsApartButReadInOneBurstKeepTheirSpacing() {
        Clocks c = new Clocks();
        ArrivalClock clock = c.clock();
        long[] stamps = new long[10];
        for (int i = 0; i < stamps.length; i++) {
            stamps[i] = c.monotonic + c.skew;
            c.monotonic += 5 * MS;
        }
        c.monotonic += 20 * MS;                          // the loop was busy; now it reads them all
        long previous = clock.toNanoTime(stamps[0], c.monotonic);
        for (int i = 1; i < stamps.length; i++) {
            c.monotonic += 1_000;                        // 1 µs apart as handled
            long t = clock.toNanoTime(stamps[i], c.monotonic);
            assertThat(t - previous).isEqualTo(5 * MS);
            previous = t;
        }
    }

    @Test
    void withoutATimestampTheArrivalIsNow() {
        Clocks c = new Clocks();
        assertThat(c.clock().toNanoTime(0, c.monotonic)).isEqualTo(c.monotonic);
        assertThat(c.realtimeReads).as("no clock read for it").isZero();
        ArrivalClock noRealtime = new ArrivalClock(null, () -> c.monotonic);     // no FFM
        assertThat(noRealtime.toNanoTime(c.monotonic + c.skew, c.monotonic)).isEqualTo(c.monotonic);
    }

    @Test
    void theOffsetIsReadAtMostEveryHundredMsAndFollowsAStep() {
        Clocks c = new Clocks();
        ArrivalClock clock = c.clock();
        for (int i = 0; i < 50; i++) {                   // 50 packets within 50 ms: one reading
            clock.toNanoTime(c.monotonic + c.skew, c.monotonic);
            c.monotonic += MS;
        }
        assertThat(c.realtimeReads).isEqualTo(2);
        c.skew += 3_600_000 * MS;                        // realtime stepped an hour forward
        c.monotonic += ArrivalClock.REFRESH_NANOS;
        long stamped = c.monotonic + c.skew - 2 * MS;
        assertThat(clock.toNanoTime(stamped, c.monotonic)).isEqualTo(c.monotonic - 2 * MS);
        assertThat(c.realtimeReads).isEqualTo(4);
    }

    @Test
    void anArrivalIsNeverAfterNowNorImplausiblyLongBeforeIt() {
        Clocks c = new Clocks();
        ArrivalClock clock = c.clock();
        long now = c.monotonic;
        assertThat(clock.toNanoTime(now + c.skew + 5 * MS, now)).as("stamped in the future").isEqualTo(now);
        assertThat(clock.toNanoTime(now + c.skew - ArrivalClock.MAX_WAIT_NANOS - 1, now))
                .as("waited longer than any read queue holds: a realtime step").isEqualTo(now);
    }

    @Test
    void aReadingInterruptedBetweenTheClockReadsIsNotUsed() {
        Clocks c = new Clocks();
        ArrivalClock clock = c.clock();
        clock.toNanoTime(c.monotonic + c.skew, c.monotonic);           // a good reading
        c.monotonic += ArrivalClock.REFRESH_NANOS;
        c.preemptOnce = 2 * MS;                                        // the thread lost the CPU mid-reading
        long stamped = c.monotonic + c.skew - 7 * MS;
        assertThat(clock.toNanoTime(stamped, c.monotonic)).isEqualTo(c.monotonic - 7 * MS);
    }
}
