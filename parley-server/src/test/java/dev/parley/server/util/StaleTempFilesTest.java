package dev.parley.server.util;

import dev.parley.server.testing.RawHttp;
import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 9: temp files left by a {@code kill -9} during an atomic write are removed at start, nothing else is. */
class StaleTempFilesTest {
    @TempDir
    Path outside;

    @Test
    void startRemovesOurStaleTempFilesAndNothingElse() throws Exception {
        List<Path> stale = new ArrayList<>();
        List<Path> kept = new ArrayList<>();
        Path victim = Files.writeString(outside.resolve("victim.txt"), "not ours");
        try (TestServer server = TestServer.start(f -> {
            f.group("a", "{\"public\": true}");
            stale.add(Files.writeString(f.groups().resolve(".tmp-8123456789012345678.part"), "{\"half"));
            stale.add(Files.writeString(Files.createDirectories(f.groups().resolve("sub/deeper")).resolve(".tmp-1.part"), "x"));
            stale.add(Files.writeString(f.data().resolve(".tmp-42.part"), "-----BEGIN"));
            stale.add(Files.writeString(Files.createDirectories(f.data().resolve("var")).resolve(".tokens977.tmp"), "{"));
            for (String name : List.of(".tmp-abc.part", "x.tmp-1.part", ".tmp-1.part.bak", ".tmp-.part", "notes.part",
                    ".tokens.tmp", ".tmp-12.partial", "tmp-1.part")) {
                kept.add(Files.writeString(f.groups().resolve(name), "operator's file"));
            }
            kept.add(Files.createDirectories(f.groups().resolve(".tmp-5.part")));
            kept.add(Files.createSymbolicLink(f.data().resolve(".tmp-6.part"), victim));
        })) {
            for (Path p : stale) {
                assertThat(p).as("stale temp file %s", p).doesNotExist();
            }
            for (Path p : kept) {
                assertThat(Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).as("kept %s", p).isTrue();
            }
            assertThat(victim).hasContent("not ours");
            assertThat(server.files().groups().resolve("a.json")).exists();
            assertThat(RawHttp.to(server).target("/public-groups.json").send().text()).contains("\"a\"");
        }
    }
}
