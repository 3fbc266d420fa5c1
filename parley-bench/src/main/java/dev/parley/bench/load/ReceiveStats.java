package dev.parley.bench.load;

import dev.parley.bench.metrics.LatencyHistogram;
import java.util.concurrent.atomic.AtomicLong;

/** What all subscribers of a run received, for the current measurement window. */
public final class ReceiveStats {
    final LatencyHistogram latency = new LatencyHistogram();
    final AtomicLong packets = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong nacksSent = new AtomicLong();
    final AtomicLong plisSent = new AtomicLong();
    final AtomicLong keyframes = new AtomicLong();

    public LatencyHistogram latency() {
        return latency;
    }

    public long packets() {
        return packets.get();
    }

    public long bytes() {
        return bytes.get();
    }

    public long nacksSent() {
        return nacksSent.get();
    }

    public long plisSent() {
        return plisSent.get();
    }

    /** Starts a new window (counters are read as deltas; the histogram is cleared). */
    public void resetLatency() {
        latency.reset();
    }
}
