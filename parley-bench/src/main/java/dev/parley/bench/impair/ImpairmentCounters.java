package dev.parley.bench.impair;

import java.util.concurrent.atomic.AtomicLong;

/** What the emulated links of one group did to the datagrams from the server (shared by its links). */
public final class ImpairmentCounters {
    final AtomicLong arrived = new AtomicLong();
    final AtomicLong lost = new AtomicLong();
    final AtomicLong queueDrops = new AtomicLong();

    /** Media datagrams that reached the emulated link (RTP and RTCP). */
    public long arrived() {
        return arrived.get();
    }

    /** Dropped by the random loss. */
    public long lost() {
        return lost.get();
    }

    /** Dropped because the bottleneck queue (or the delay line) was full. */
    public long queueDrops() {
        return queueDrops.get();
    }
}
