package dev.parley.server.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The peak of the used heap while it is open, sampled every 20 ms, above what was in use after
 * a GC at the start. The server runs in the test's JVM, so this is the server's heap too.
 */
final class HeapPeak implements AutoCloseable {
    private final long before;
    private final AtomicLong peak;
    private final Thread sampler;
    private volatile boolean open = true;

    HeapPeak() {
        System.gc();
        before = used();
        peak = new AtomicLong(before);
        sampler = Thread.ofPlatform().daemon().name("heap-sampler").start(() -> {
            while (open) {
                peak.accumulateAndGet(used(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private static long used() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** Bytes above the starting point at the highest sample. */
    long growth() {
        return peak.get() - before;
    }

    @Override
    public void close() throws InterruptedException {
        open = false;
        sampler.join();
    }

    @Override
    public String toString() {
        return "used heap before " + (before >> 20) + " MiB, peak " + (peak.get() >> 20) + " MiB, growth "
                + (growth() >> 20) + " MiB";
    }
}
