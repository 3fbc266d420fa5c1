package dev.parley.server.record;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MD15: where recordings go and how they are named. */
class RecordingFilesTest {
    @TempDir
    Path root;

    @Test
    void MD15_nameIsTheLocalStartTimeWithMillisecondsThenTheEscapedUsername() {
        LocalDateTime t = LocalDateTime.of(2024, 1, 2, 3, 4, 5, 6_000_000);
        assertThat(RecordingFiles.baseName(t, "a/b\\c")).isEqualTo("2024-01-02T03:04:05.006-a-slash-b-backslash-c");
        assertThat(RecordingFiles.baseName(t, "")).isEqualTo("2024-01-02T03:04:05.006");
        assertThat(RecordingFiles.baseName(t, null)).isEqualTo("2024-01-02T03:04:05.006");
    }

    @Test
    void MD15_nestedGroupDirectoriesAreCreatedPrivate() throws Exception {
        Path dir = RecordingFiles.groupDirectory(root, "outer/inner");
        assertThat(dir).isEqualTo(root.resolve("outer").resolve("inner")).isDirectory();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("outer")))).isEqualTo("rwx------");
        assertThat(RecordingFiles.groupDirectory(root, "outer/inner")).as("idempotent").isEqualTo(dir);
        assertThatThrownBy(() -> RecordingFiles.groupDirectory(root, "../escape")).hasMessageContaining("escapes");
    }

    @Test
    void MD15_existingNamesGetASuffixAndFilesAreOwnerOnly() throws Exception {
        Path dir = RecordingFiles.groupDirectory(root, "g");
        AsyncFileOutput.Opened first = RecordingFiles.create(dir, "base", "webm");
        AsyncFileOutput.Opened second = RecordingFiles.create(dir, "base", "webm");
        AsyncFileOutput.Opened third = RecordingFiles.create(dir, "base", "webm");
        first.channel().close();
        second.channel().close();
        third.channel().close();
        assertThat(first.path().getFileName().toString()).isEqualTo("base.webm");
        assertThat(second.path().getFileName().toString()).isEqualTo("base-01.webm");
        assertThat(third.path().getFileName().toString()).isEqualTo("base-02.webm");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.path()))).isEqualTo("rw-------");
    }

    @Test
    void MD15_afterNinetyNineSuffixesCreationFails() throws Exception {
        Path dir = RecordingFiles.groupDirectory(root, "g");
        for (int i = 0; i < 100; i++) {
            RecordingFiles.create(dir, "full", "webm").channel().close();
        }
        assertThat(dir.resolve("full-99.webm")).exists();
        assertThatThrownBy(() -> RecordingFiles.create(dir, "full", "webm")).hasMessageContaining("too many");
    }
}
