package dev.parley.server.record;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A file written by its own thread, so that the media loop never waits for the disk
 * (media-path.md: recording stays off the loops). Tasks run in submission order; the file
 * is created by the first one. An I/O error is logged once and later writes are dropped.
 */
final class AsyncFileOutput implements ByteSink {
    private static final Logger log = LoggerFactory.getLogger(AsyncFileOutput.class);

    /** Opens the file; returns its path (for logs) and channel. */
    interface Opener {
        Opened open() throws IOException;
    }

    record Opened(Path path, FileChannel channel) {
    }

    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("recording-writer").factory());
    private Opened file;          // writer thread only
    private boolean failed;       // writer thread only

    AsyncFileOutput(Opener opener) {
        run(() -> {
            file = opener.open();
            log.info("recording to {}", file.path());
            return null;
        });
    }

    private void run(Callable<Void> task) {
        try {
            thread.execute(() -> {
                if (failed) {
                    return;
                }
                try {
                    task.call();
                } catch (Exception e) {
                    failed = true;
                    log.warn("recording {} failed: {}", file == null ? "(not created)" : file.path(), e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: late bytes are dropped
        }
    }

    @Override
    public void append(byte[] chunk, int len) {
        run(() -> {
            ByteBuffer b = ByteBuffer.wrap(chunk, 0, len);
            while (b.hasRemaining()) {
                file.channel().write(b);
            }
            return null;
        });
    }

    @Override
    public void patch(long position, byte[] bytes) {
        run(() -> {
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
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return;
        }
        thread.shutdown();
    }

    /** Waits until everything queued is on disk and the file is closed. */
    boolean awaitClosed(long millis) throws InterruptedException {
        return thread.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }
}
