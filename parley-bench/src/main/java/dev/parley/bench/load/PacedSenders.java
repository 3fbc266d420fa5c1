package dev.parley.bench.load;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread that produces and paces the video of every paced publisher of a load context:
 * it wakes when some publisher's next frame is due or its pacer lets a queued packet go, and
 * sleeps otherwise (no periodic tick). A frame and its paced packets stay on this thread, so a
 * publisher's queue needs no lock; nothing is allocated per packet or per wake-up.
 */
final class PacedSenders implements AutoCloseable {
    /** A paced publisher's video, run on this thread only. */
    interface Paced {
        /** Sends what is due at {@code nowNanos}; returns when it next needs to run. */
        long pace(long nowNanos);
    }

    private static final long IDLE_NANOS = 100_000_000L;
    private volatile Paced[] active = new Paced[0];
    private volatile boolean closed;
    private Thread thread;

    synchronized void add(Paced p) {
        Paced[] a = Arrays.copyOf(active, active.length + 1);
        a[a.length - 1] = p;
        active = a;
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().priority(Thread.MAX_PRIORITY).name("bench-pacer").start(this::run);
        } else {
            LockSupport.unpark(thread);
        }
    }

    synchronized void remove(Paced p) {
        Paced[] a = active;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == p) {
                Paced[] b = new Paced[a.length - 1];
                System.arraycopy(a, 0, b, 0, i);
                System.arraycopy(a, i + 1, b, i, a.length - i - 1);
                active = b;
                return;
            }
        }
    }

    private void run() {
        while (!closed) {
            long now = System.nanoTime();
            long next = now + IDLE_NANOS;
            for (Paced p : active) {
                long t;
                try {
                    t = p.pace(now);
                } catch (RuntimeException e) {
                    System.err.println("bench-pacer: " + e);
                    t = now + 1_000_000L;
                }
                if (t - next < 0) {
                    next = t;
                }
            }
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }
}
