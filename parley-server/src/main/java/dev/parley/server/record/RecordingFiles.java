package dev.parley.server.record;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/** The recordings layout of MD15: one directory per group, one file per recorded stream. */
final class RecordingFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");

    private RecordingFiles() {
    }

    /** Creates {@code <root>/<group>/} (mode 0700) if needed; a group with slashes nests. */
    static Path groupDirectory(Path root, String group) throws IOException {
        Path dir = root.resolve(group).normalize();
        if (!dir.startsWith(root.normalize())) {
            throw new IOException("group name escapes the recordings directory: " + group);
        }
        if (POSIX) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
        return dir;
    }

    /** The file name without suffix or extension: local start time, then the username (MD15). */
    static String baseName(LocalDateTime start, String username) {
        String name = STAMP.format(start);
        if (username != null && !username.isEmpty()) {
            name += "-" + username.replace("/", "-slash-").replace("\\", "-backslash-");
        }
        return name;
    }

    /** Creates the file (mode 0600), adding -01 … -99 when the name is taken. */
    static AsyncFileOutput.Opened create(Path dir, String base, String extension) throws IOException {
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        FileAttribute<?>[] attributes = POSIX
                ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        for (int i = 0; i < 100; i++) {
            Path p = dir.resolve(base + (i == 0 ? "" : String.format("-%02d", i)) + "." + extension);
            try {
                return new AsyncFileOutput.Opened(p, FileChannel.open(p, options, attributes));
            } catch (FileAlreadyExistsException e) {
                // try the next suffix
            }
        }
        throw new IOException("too many recordings named " + base);
    }
}
