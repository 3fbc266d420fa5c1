package dev.parley.server.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises read-modify-write of the files that every node of a cluster shares (the tokens
 * file, group descriptions written through the admin API): a POSIX record lock on one lock
 * file, so that two nodes never rewrite from the same stale copy. The lock is re-entrant
 * within a thread; within one JVM (several nodes in a test) a plain lock per file comes first,
 * since the JVM refuses to lock the same file twice. A single node uses {@link #NONE}.
 */
public final class SharedWrites {
    /** No locking: a single node is the only writer (its own locks suffice). */
    public static final SharedWrites NONE = new SharedWrites(null);

    private static final ConcurrentHashMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

    private final Path lockFile;
    private FileChannel channel;            // guarded by the in-JVM lock

    private SharedWrites(Path lockFile) {
        this.lockFile = lockFile;
    }

    /** Locking on {@code lockFile} (created if absent, never deleted: its content does not matter). */
    public static SharedWrites on(Path lockFile) {
        return new SharedWrites(lockFile.toAbsolutePath().normalize());
    }

    /** The lock as a resource: {@code try (var held = writes.acquire()) { ... }}. */
    public Held acquire() {
        if (lockFile == null) {
            return () -> { };
        }
        ReentrantLock local = IN_JVM.computeIfAbsent(lockFile, p -> new ReentrantLock());
        local.lock();
        if (local.getHoldCount() == 1) {
            try {
                Files.createDirectories(lockFile.getParent());
                channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                channel.lock();
            } catch (IOException e) {
                closeChannel();
                local.unlock();
                throw new UncheckedIOException("cannot lock " + lockFile, e);
            }
        }
        return () -> {
            if (local.getHoldCount() == 1) {
                closeChannel();                 // closing the channel releases the record lock
            }
            local.unlock();
        };
    }

    private void closeChannel() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // the lock goes with the descriptor anyway
        } finally {
            channel = null;
        }
    }

    /** A held lock; closing releases it. */
    @FunctionalInterface
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }
}
