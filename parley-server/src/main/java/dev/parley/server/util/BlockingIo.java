package dev.parley.server.util;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Platform threads for file-system calls that may block for good (a hung network disk, a FIFO).
 * A virtual thread blocked in {@code open} or {@code stat} keeps its carrier thread (the JDK does
 * not compensate for those calls), and there are only as many carriers as cores: two hung calls
 * would stop every virtual thread of the server. Here a hung disk only ties up these threads.
 */
public final class BlockingIo {
    private BlockingIo() {
    }

    /**
     * A pool of at most {@code threads} daemon platform threads with a queue of {@code queue}
     * tasks. It starts a thread only when no started one is idle, and a thread ends after 30 s
     * without work. (A plain ThreadPoolExecutor whose core size is {@code threads} starts a new
     * thread for every task until it has them all, so a server that served a few requests kept
     * its whole pool.)
     */
    public static ThreadPoolExecutor pool(String name, int threads, int queue) {
        GrowFirstQueue tasks = new GrowFirstQueue(queue);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, threads, 30, TimeUnit.SECONDS, tasks,
                Thread.ofPlatform().daemon().name(name + "-", 0).factory(), tasks);
        tasks.pool = pool;
        return pool;
    }

    /**
     * Refuses a task while the pool could start a thread and has none idle, which makes the
     * executor start one; otherwise queues it. A task refused in a race with a thread that was
     * just starting is queued by the rejection handler; only a full queue rejects it.
     */
    private static final class GrowFirstQueue extends LinkedBlockingQueue<Runnable> implements RejectedExecutionHandler {
        private volatile ThreadPoolExecutor pool;

        GrowFirstQueue(int capacity) {
            super(capacity);
        }

        @Override
        public boolean offer(Runnable task) {
            ThreadPoolExecutor p = pool;
            if (p != null && p.getPoolSize() < p.getMaximumPoolSize() && p.getActiveCount() >= p.getPoolSize()) {
                return false;
            }
            return super.offer(task);
        }

        @Override
        public void rejectedExecution(Runnable task, ThreadPoolExecutor executor) {
            if (executor.isShutdown() || !super.offer(task)) {
                throw new RejectedExecutionException("the " + executor + " queue is full");
            }
        }
    }

    /** The most "file-io" threads there can be; they end after 30 s without work. */
    public static final int FILE_THREADS = 32;

    private static final ThreadPoolExecutor FILES = pool("file-io", FILE_THREADS, 4096);

    /**
     * Runs {@code call} on a platform thread when the caller is a virtual thread (which then
     * waits unmounted); a platform caller runs it itself.
     */
    public static <T, E extends Exception> T call(Callable<T> call, Class<E> failure) throws E {
        if (!Thread.currentThread().isVirtual()) {
            return run(call, failure);
        }
        Future<T> f = FILES.submit(call);
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the disk", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (failure.isInstance(cause)) {
                throw failure.cast(cause);
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static <T, E extends Exception> T run(Callable<T> call, Class<E> failure) throws E {
        try {
            return call.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            if (failure.isInstance(e)) {
                throw failure.cast(e);
            }
            throw new IllegalStateException(e);
        }
    }
}
