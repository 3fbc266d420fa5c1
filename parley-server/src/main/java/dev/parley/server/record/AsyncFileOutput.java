package dev.parley.server.record;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A file written by its own thread, so that the media loop never waits for the disk
 * (media-path.md: recording stays off the loops). Tasks run in submission order; the file
 * is created by the first one. An I/O error is logged once and later writes are dropped.
 *
 * <p>The bytes waiting to be written are bounded. When a disk cannot keep up (or hangs), the
 * bound is reached: this output then drops everything after it, so the file holds a clean
 * prefix of the recording, and reports the overflow once, so that the recording is stopped
 * and the operators told. Dropping frames until the next keyframe instead would hide the
 * problem while the file silently loses pieces, and a disk that is this far behind does not
 * catch up by itself.
 */
final class AsyncFileOutput implements ByteSink {
    private static final Logger log = LoggerFactory.getLogger(AsyncFileOutput.class);
    /** About a minute of a 2 Mbit/s stream: covers a slow disk's hiccups, not a dead disk. */
    static final long DEFAULT_MAX_PENDING_BYTES = 16L << 20;

    /** Opens the file; returns its path (for logs) and channel. */
    interface Opener {
        Opened open() throws IOException;
    }

    record Opened(Path path, FileChannel channel) {
    }

    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("recording-writer").factory());   // a hung disk must not pin a carrier
    private final long maxPendingBytes;
    private final Runnable onOverflow;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private volatile Path path;    // for logs from other threads
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private Opened file;          // writer thread only
    private boolean failed;       // writer thread only

    AsyncFileOutput(Opener opener) {
        this(opener, DEFAULT_MAX_PENDING_BYTES, () -> { });
    }

    /** {@code onOverflow} runs once, on the caller's thread, when the bound is reached: it must not block. */
    AsyncFileOutput(Opener opener, long maxPendingBytes, Runnable onOverflow) {
        this.maxPendingBytes = maxPendingBytes;
        this.onOverflow = onOverflow;
        run(0, () -> {
            try {
                file = opener.open();
            } finally {
                opened.complete(null);
            }
            path = file.path();
            log.info("recording to {}", file.path());
            return null;
        });
    }

    /**
     * Waits until this output's file has been created, or its creation failed or was dropped,
     * so that the next file of a stream gets the next name (MD16: -01, -02… in order).
     */
    void awaitOpened() {
        opened.join();                              // only ever completed normally
    }

    /** Queues a task holding {@code bytes} until it has run; drops it when over the bound. */
    private void run(long bytes, Callable<Void> task) {
        if (overflowed.get()) {
            return;
        }
        if (pending.addAndGet(bytes) > maxPendingBytes) {
            pending.addAndGet(-bytes);
            overflow();
            return;
        }
        try {
            thread.execute(() -> {
                try {
                    if (!failed) {
                        task.call();
                    }
                } catch (Exception e) {
                    failed = true;
                    log.warn("recording {} failed: {}", file == null ? "(not created)" : file.path(), e.toString());
                } finally {
                    pending.addAndGet(-bytes);
                }
            });
        } catch (RejectedExecutionException e) {
            pending.addAndGet(-bytes);      // closed: late bytes are dropped
        }
    }

    private void overflow() {
        if (overflowed.compareAndSet(false, true)) {
            log.warn("recording {} stopped: {} MiB are waiting to be written, the disk cannot keep up",
                    path == null ? "(file not created yet)" : path, pending.get() >> 20);
            onOverflow.run();
        }
    }

    /** Bytes queued and not yet written. */
    long pendingBytes() {
        return pending.get();
    }

    boolean overflowed() {
        return overflowed.get();
    }

    @Override
    public void append(byte[] chunk, int len) {
        run(len, () -> {
            ByteBuffer b = ByteBuffer.wrap(chunk, 0, len);
            while (b.hasRemaining()) {
                file.channel().write(b);
            }
            return null;
        });
    }

    @Override
    public void patch(long position, byte[] bytes) {
        run(bytes.length, () -> {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            long p = position;
            while (b.hasRemaining()) {
                p += file.channel().write(b, p);
            }
            return null;
        });
    }

    @Override
    public void close() {
        try {
            thread.execute(() -> {
                if (file != null) {
                    try {
                        file.channel().close();
                    } catch (IOException e) {
                        log.warn("closing recording {} failed: {}", file.path(), e.toString());
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            return;
        }
        thread.shutdown();
    }

    /** Waits until everything queued is on disk and the file is closed. */
    boolean awaitClosed(long millis) throws InterruptedException {
        return thread.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }
}
