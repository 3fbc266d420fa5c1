package dev.parley.server.util;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
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

    /** A pool of at most {@code threads} daemon platform threads with a queue of {@code queue} tasks. */
    public static ThreadPoolExecutor pool(String name, int threads, int queue) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(queue), Thread.ofPlatform().daemon().name(name + "-", 0).factory());
        pool.allowCoreThreadTimeOut(true);
        return pool;
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
