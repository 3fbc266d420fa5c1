package dev.parley.server.ws;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one session's work one task at a time, in arrival order, on a virtual thread that
 * exists only while there is work. It can also suspend itself for a while without holding
 * any thread (the J10 delay): tasks queued meanwhile wait until the continuation has run.
 */
final class SessionInbox {
    private static final Logger log = LoggerFactory.getLogger(SessionInbox.class);

    private final String name;
    private final Deque<Runnable> tasks = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile boolean suspended;
    private volatile boolean shutdown;

    SessionInbox(String name) {
        this.name = name;
    }

    /** Queues a task; false (and the task is not queued) once {@link #shutdown} was called. */
    boolean execute(Runnable task) {
        if (shutdown) {
            return false;
        }
        tasks.addLast(task);
        startDraining();
        return true;
    }

    /**
     * Called by a running task: no other task runs until {@code delayMillis} have passed and
     * {@code continuation} has run. Nothing waits on a thread meanwhile.
     */
    void suspendFor(long delayMillis, Runnable continuation) {
        suspended = true;
        CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS).execute(() -> {
            tasks.addFirst(continuation);
            suspended = false;
            startDraining();
        });
    }

    /** Accepts no new task; those already queued still run. */
    void shutdown() {
        shutdown = true;
    }

    private void startDraining() {
        if (!suspended && !tasks.isEmpty() && draining.compareAndSet(false, true)) {
            Thread.ofVirtual().name(name).start(this::drain);
        }
    }

    private void drain() {
        do {
            Runnable task;
            while (!suspended && (task = tasks.pollFirst()) != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("{}: task failed", name, e);
                }
            }
            draining.set(false);
            // a task queued (or a suspension ended) after the loop above saw nothing to do
        } while (!suspended && !tasks.isEmpty() && draining.compareAndSet(false, true));
    }
}
