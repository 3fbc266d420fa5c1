package dev.parley.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.parley.protocol.Json;
import dev.parley.server.cluster.SharedWrites;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The stateful tokens file, {@code <data>/var/tokens.jsonl} (D17–D21). The file is the truth: it is
 * re-read whenever its size or modification time changes, so that external edits take effect.
 * All operations are serialised by one lock; they are short apart from file I/O.
 *
 * <p>Errors: {@link #get} treats an unreadable file as "no token" (D18: every lookup fails). The
 * other operations throw {@link TokenStoreException} when the file cannot be read or written.
 */
public final class TokenStore {
    private static final Logger LOG = LoggerFactory.getLogger(TokenStore.class);
    static final Duration PURGE_AFTER = Duration.ofDays(7);
    static final Duration PURGE_INTERVAL = Duration.ofMinutes(15);
    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    /** Sorts by expiry, tokens without expiry first (T8). */
    private static final Comparator<StatefulToken> BY_EXPIRY =
            Comparator.comparing(StatefulToken::expires, Comparator.nullsFirst(Comparator.naturalOrder()));

    private final Path file;
    private final Clock clock;
    private final Object lock = new Object();
    private final SharedWrites writes;

    // Guarded by lock. tokens is null until a successful load; stamp describes the file it came from.
    private Map<String, StatefulToken> tokens;
    private long loadedSize = -1;
    private FileTime loadedMtime;

    public TokenStore(Path tokensFile, Clock clock) {
        this(tokensFile, clock, SharedWrites.NONE);
    }

    /** With {@code writes}, changes are also serialised with other processes (cluster nodes) sharing the file. */
    public TokenStore(Path tokensFile, Clock clock, SharedWrites writes) {
        this.file = tokensFile;
        this.clock = clock;
        this.writes = writes;
    }

    /** What serialises writes with other processes; the admin API takes it around its writes too. */
    public SharedWrites sharedWrites() {
        return writes;
    }

    public Path file() {
        return file;
    }

    /** The token with exactly this name; empty when absent or when the file cannot be read (D18). */
    public Optional<StatefulToken> get(String name) {
        synchronized (lock) {
            try {
                return Optional.ofNullable(load().get(name));
            } catch (TokenStoreException e) {
                LOG.warn("tokens file {} unusable: {}", file, e.getMessage());
                return Optional.empty();
            }
        }
    }

    /** Tokens whose group is exactly {@code group}, by expiry with non-expiring ones first (T8). */
    public List<StatefulToken> list(String group) {
        synchronized (lock) {
            return load().values().stream().filter(t -> t.group().equals(group)).sorted(BY_EXPIRY).toList();
        }
    }

    /** Every token, in the same order as {@link #list}. */
    public List<StatefulToken> listAll() {
        synchronized (lock) {
            return load().values().stream().sorted(BY_EXPIRY).toList();
        }
    }

    /** Appends a new token (D18). Throws if a token with that name exists. */
    public StatefulToken add(StatefulToken token) {
        try (SharedWrites.Held ignored = writes.acquire()) {   // first: other nodes sharing the file
            synchronized (lock) {
                Map<String, StatefulToken> current = load();
                if (current.containsKey(token.token())) {
                    throw new TokenStoreException("token already exists");
                }
                appendTo(current, token);
                return token;
            }
        }
    }

    /**
     * Replaces the named token by {@code change(old)} and rewrites the file atomically. Returns
     * empty if there is no such token. The name of the result must not change.
     */
    public Optional<StatefulToken> update(String name, UnaryOperator<StatefulToken> change) {
        try (SharedWrites.Held ignored = writes.acquire()) {   // first: other nodes sharing the file
            synchronized (lock) {
                Map<String, StatefulToken> current = load();
                StatefulToken old = current.get(name);
                if (old == null) {
                    return Optional.empty();
                }
                StatefulToken updated = change.apply(old);
                if (!updated.token().equals(name)) {
                    throw new IllegalArgumentException("a token's name cannot change");
                }
                current.put(name, updated);
                rewriteOrRestore(current, name, old);
                return Optional.of(updated);
            }
        }
    }

    /** Removes the named token; removes the file with the last token (D18). */
    public boolean delete(String name) {
        try (SharedWrites.Held ignored = writes.acquire()) {   // first: other nodes sharing the file
            synchronized (lock) {
                Map<String, StatefulToken> current = load();
                StatefulToken old = current.remove(name);
                if (old == null) {
                    return false;
                }
                rewriteOrRestore(current, name, old);
                return true;
            }
        }
    }

    /** A check made under the store's lock, against the tokens file's ETag (null when no file). */
    @FunctionalInterface
    public interface Precondition {
        Precondition NONE = (etag, exists) -> true;

        /** @param exists whether the addressed token exists */
        boolean holds(String etag, boolean exists);
    }

    public enum PutOutcome { CREATED, REPLACED, OTHER_GROUP, PRECONDITION_FAILED }

    public enum DeleteOutcome { DELETED, ABSENT, PRECONDITION_FAILED }

    /**
     * Creates or replaces a token, for the API (H59 PUT). A token of the same name in another group
     * is left alone ({@link PutOutcome#OTHER_GROUP}, checked before the precondition). New tokens are
     * appended, replacements rewrite the file atomically.
     */
    public PutOutcome put(StatefulToken token, Precondition precondition) {
        try (SharedWrites.Held ignored = writes.acquire()) {   // first: other nodes sharing the file
            synchronized (lock) {
                Map<String, StatefulToken> current = load();
                StatefulToken old = current.get(token.token());
                if (old != null && !old.group().equals(token.group())) {
                    return PutOutcome.OTHER_GROUP;
                }
                if (!precondition.holds(currentEtag(), old != null)) {
                    return PutOutcome.PRECONDITION_FAILED;
                }
                if (old == null) {
                    appendTo(current, token);
                    return PutOutcome.CREATED;
                }
                current.put(token.token(), token);
                rewriteOrRestore(current, token.token(), old);
                return PutOutcome.REPLACED;
            }
        }
    }

    /** Deletes a token after checking a precondition (H59 DELETE); absence is reported first. */
    public DeleteOutcome delete(String name, Precondition precondition) {
        try (SharedWrites.Held ignored = writes.acquire()) {   // first: other nodes sharing the file
            synchronized (lock) {
                Map<String, StatefulToken> current = load();
                StatefulToken old = current.get(name);
                if (old == null) {
                    return DeleteOutcome.ABSENT;
                }
                if (!precondition.holds(currentEtag(), true)) {
                    return DeleteOutcome.PRECONDITION_FAILED;
                }
                current.remove(name);
                rewriteOrRestore(current, name, old);
                return DeleteOutcome.DELETED;
            }
        }
    }

    /** D20: removes tokens that expired more than 7 days ago; returns how many. */
    public int purgeExpired() {
        try (SharedWrites.Held ignored = writes.acquire()) {   // first: other nodes sharing the file
            synchronized (lock) {
                Map<String, StatefulToken> current = load();
                Instant cutoff = clock.instant().minus(PURGE_AFTER);
                Map<String, StatefulToken> kept = new LinkedHashMap<>();
                current.forEach((name, t) -> {
                    if (t.expires() == null || !t.expires().isBefore(cutoff)) {
                        kept.put(name, t);
                    }
                });
                int removed = current.size() - kept.size();
                if (removed > 0) {
                    try {
                        rewrite(kept);
                    } catch (IOException e) {
                        invalidate();
                        throw new TokenStoreException("cannot rewrite tokens file: " + e.getMessage(), e);
                    }
                    tokens = kept;
                }
                return removed;
            }
        }
    }

    /** Appends to the file, then to {@code current}; a failed write invalidates what was loaded. */
    private void appendTo(Map<String, StatefulToken> current, StatefulToken token) {
        try {
            append(token);
        } catch (IOException e) {
            invalidate();
            throw new TokenStoreException("cannot write tokens file: " + e.getMessage(), e);
        }
        current.put(token.token(), token);
    }

    /** Runs {@link #purgeExpired} every 15 minutes (D20); errors are logged. */
    public ScheduledFuture<?> schedulePurge(ScheduledExecutorService executor) {
        long period = PURGE_INTERVAL.toMillis();
        return executor.scheduleWithFixedDelay(() -> {
            try {
                int n = purgeExpired();
                if (n > 0) {
                    LOG.info("purged {} expired tokens", n);
                }
            } catch (RuntimeException e) {
                LOG.warn("token purge failed: {}", e.getMessage());
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /** D21: {@code "<size>-<mtime ns>"} including the quotes, or null when there is no file. */
    public String etag() {
        synchronized (lock) {
            return currentEtag();
        }
    }

    private String currentEtag() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return "\"" + a.size() + "-" + nanos(a.lastModifiedTime()) + "\"";
        } catch (IOException e) {
            return null;
        }
    }

    private static long nanos(FileTime t) {
        Instant i = t.toInstant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    // --- file handling, all called with lock held ---

    /** The current tokens, re-reading the file if it changed. */
    private Map<String, StatefulToken> load() {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            tokens = new LinkedHashMap<>();
            loadedSize = -1;
            loadedMtime = null;
            return tokens;
        } catch (IOException e) {
            invalidate();
            throw new TokenStoreException("cannot stat tokens file: " + e.getMessage(), e);
        }
        if (tokens != null && attributes.size() == loadedSize
                && attributes.lastModifiedTime().equals(loadedMtime)) {
            return tokens;
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            tokens = new LinkedHashMap<>();
            loadedSize = -1;
            loadedMtime = null;
            return tokens;
        } catch (IOException e) {
            invalidate();
            throw new TokenStoreException("cannot read tokens file: " + e.getMessage(), e);
        }
        Map<String, StatefulToken> parsed = new LinkedHashMap<>();
        try (MappingIterator<JsonNode> values = Json.MAPPER.readerFor(JsonNode.class).readValues(content)) {
            while (values.hasNextValue()) {
                StatefulToken t = StatefulToken.fromJson(values.nextValue());
                parsed.put(t.token(), t);
            }
        } catch (IOException | RuntimeException | StatefulToken.InvalidTokenException e) {
            // D18: one bad record makes the whole file unusable until it is fixed.
            invalidate();
            throw new TokenStoreException("bad tokens file: " + e.getMessage(), e);
        }
        tokens = parsed;
        loadedSize = attributes.size();
        loadedMtime = attributes.lastModifiedTime();
        return tokens;
    }

    private void invalidate() {
        tokens = null;
        loadedSize = -1;
        loadedMtime = null;
    }

    private void stampFromFile() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            loadedSize = a.size();
            loadedMtime = a.lastModifiedTime();
        } catch (IOException e) {
            invalidate();
        }
    }

    private void append(StatefulToken token) throws IOException {
        createDirectory();
        byte[] line = (Json.write(token.toJson()) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, openOptions(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ), filePermissions())) {
            long size = ch.size();
            if (size > 0) {
                // An external editor may have left the last line without its newline.
                ByteBuffer last = ByteBuffer.allocate(1);
                ch.read(last, size - 1);
                if (last.get(0) != '\n') {
                    ch.write(ByteBuffer.wrap(new byte[] {'\n'}), size);
                    size++;
                }
            }
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                size += ch.write(buffer, size);
            }
            ch.force(true);
        }
        stampFromFile();
    }

    private void rewriteOrRestore(Map<String, StatefulToken> current, String name, StatefulToken old) {
        try {
            rewrite(current);
        } catch (IOException e) {
            current.put(name, old);
            invalidate();
            throw new TokenStoreException("cannot rewrite tokens file: " + e.getMessage(), e);
        }
    }

    /** Atomic replacement: temp file in the same directory, fsync, rename. No tokens → no file. */
    private void rewrite(Map<String, StatefulToken> all) throws IOException {
        if (all.isEmpty()) {
            Files.deleteIfExists(file);
            loadedSize = -1;
            loadedMtime = null;
            return;
        }
        createDirectory();
        StringBuilder text = new StringBuilder();
        all.values().stream().sorted(BY_EXPIRY).forEach(t -> text.append(Json.write(t.toJson())).append('\n'));
        Path dir = directory();
        Path temp = POSIX
                ? Files.createTempFile(dir, ".tokens", ".tmp", PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, ".tokens", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory(dir);
        stampFromFile();
    }

    private Path directory() {
        return file.toAbsolutePath().getParent();
    }

    private void createDirectory() throws IOException {
        Path dir = directory();
        if (Files.isDirectory(dir)) {
            return;
        }
        if (POSIX) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    private static FileAttribute<?>[] filePermissions() {
        return POSIX
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }

    private static java.util.Set<StandardOpenOption> openOptions(StandardOpenOption... options) {
        return java.util.Set.of(options);
    }

    private static void syncDirectory(Path dir) {
        // Makes the rename durable; not every platform can open a directory, which is harmless.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot sync directory {}: {}", dir, e.getMessage());
        }
    }

    /** The tokens file cannot be read, parsed or written. */
    public static final class TokenStoreException extends RuntimeException {
        public TokenStoreException(String message) {
            super(message);
        }

        public TokenStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
