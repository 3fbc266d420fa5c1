package dev.parley.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The single thread on which a {@link ServerConnection} changes its state and runs every
 * callback. Serialising everything here is what lets callbacks observe a consistent
 * connection without locks, in the order the events happened.
 */
final class EventLoop implements Executor {
    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;

    EventLoop(String name) {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        // a closed connection keeps no thread: the next event starts a new one (still one at a time)
        executor.setKeepAliveTime(5, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs the task later on the loop; a throwing task is logged and never kills the loop. */
    @Override
    public void execute(Runnable task) {
        if (executor.isShutdown()) {
            return;
        }
        executor.execute(() -> runGuarded(task));
    }

    /** Runs now when already on the loop, otherwise waits for the loop to run it. */
    <T> T call(Supplier<T> task) {
        if (inLoop()) {
            return task.get();
        }
        try {
            return CompletableFuture.supplyAsync(task, executor).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    ScheduledFuture<?> every(long periodMillis, Runnable task) {
        return executor.scheduleAtFixedRate(() -> runGuarded(task), periodMillis, periodMillis,
                TimeUnit.MILLISECONDS);
    }

    ScheduledFuture<?> after(long delayMillis, Runnable task) {
        return executor.schedule(() -> runGuarded(task), delayMillis, TimeUnit.MILLISECONDS);
    }

    void shutdown() {
        executor.shutdown();
    }

    static void runGuarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, "callback failed", e);
        }
    }
}
