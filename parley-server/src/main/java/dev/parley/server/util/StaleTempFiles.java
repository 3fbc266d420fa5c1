package dev.parley.server.util;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.regex.Pattern;

/**
 * Removes the temporary files that a server killed in the middle of an atomic write left behind
 * ({@code kill -9}, power loss). Only names this server itself creates are touched: a crash can
 * never leave anything else, and an operator's own files must survive whatever they are called.
 */
public final class StaleTempFiles {
    private static final Logger log = LoggerFactory.getLogger(StaleTempFiles.class);
    /**
     * {@link AtomicFiles}: {@code .tmp-<digits>.part}; the token store: {@code .tokens<digits>.tmp}.
     * Both come from {@link Files#createTempFile}, which puts an unsigned decimal number between
     * prefix and suffix.
     */
    private static final Pattern OWN_TEMP_NAME = Pattern.compile(
            Pattern.quote(AtomicFiles.TEMP_PREFIX) + "[0-9]+" + Pattern.quote(AtomicFiles.TEMP_SUFFIX)
                    + "|\\.tokens[0-9]+\\.tmp");
    /** Group files nest by group name; deeper trees are not the server's. */
    private static final int MAX_DEPTH = 32;

    private StaleTempFiles() {
    }

    static boolean isOwnTempName(String fileName) {
        return OWN_TEMP_NAME.matcher(fileName).matches();
    }

    /** Deletes our stale temp files in {@code dir} and below; returns how many. Never throws. */
    public static int removeUnder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int[] removed = {0};
        try {
            Files.walkFileTree(dir, java.util.Set.of(), MAX_DEPTH, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    // Symbolic links are reported as such (links are not followed): never removed.
                    if (attrs.isRegularFile() && isOwnTempName(file.getFileName().toString())) {
                        try {
                            Files.deleteIfExists(file);
                            removed[0]++;
                            log.info("removed {}, left behind by an interrupted write", file);
                        } catch (IOException e) {
                            log.warn("cannot remove stale temporary file {}: {}", file, e.getMessage());
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    log.debug("skipping {}: {}", file, e.getMessage());
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.warn("looking for stale temporary files in {}: {}", dir, e.getMessage());
        }
        return removed[0];
    }
}
