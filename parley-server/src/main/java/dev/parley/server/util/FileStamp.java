package dev.parley.server.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * Size and modification time of a file: what the server compares to decide whether to
 * re-read a description or configuration (G4, L5), and what ETags are made of (H13).
 */
public record FileStamp(boolean exists, long size, long mtimeNanos) {
    public static final FileStamp MISSING = new FileStamp(false, 0, 0);

    public static FileStamp of(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileStamp(true, a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS));
        } catch (IOException e) {
            return MISSING;
        }
    }

    /** The ETag form of H13 and D21: {@code "<size>-<mtime ns>"}. */
    public String etag() {
        return "\"" + size + "-" + mtimeNanos + "\"";
    }
}
