package dev.parley.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenStoreTest {
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

    @TempDir
    Path dataDir;
    private Path file;
    private MutableClock clock;
    private TokenStore store;

    @BeforeEach
    void setUp() {
        file = dataDir.resolve("var").resolve("tokens.jsonl");
        clock = new MutableClock(NOW);
        store = new TokenStore(file, clock);
    }

    private static StatefulToken token(String name, String group, Instant expires) {
        return new StatefulToken(name, group, false, null, List.of("present"), expires, null, null, null);
    }

    @Test
    void D17_jsonFieldNames() throws Exception {
        StatefulToken t = new StatefulToken("abc", "g/sub", true, "", List.of("op", "present"),
                Instant.parse("2026-05-02T10:00:00Z"), Instant.parse("2026-05-01T09:00:00Z"),
                Instant.parse("2026-05-01T08:00:00.5Z"), "alice");
        JsonNode j = t.toJson();
        assertThat(j).isEqualTo(Json.parse("""
                {"token":"abc","group":"g/sub","includeSubgroups":true,"username":"",
                 "permissions":["op","present"],"expires":"2026-05-02T10:00:00Z",
                 "not-before":"2026-05-01T09:00:00Z","issuedAt":"2026-05-01T08:00:00.500Z","issuedBy":"alice"}"""));
        assertThat(StatefulToken.fromJson(j)).isEqualTo(t);

        StatefulToken minimal = new StatefulToken("n", "g", false, null, null, null, null, null, null);
        assertThat(minimal.toJson()).isEqualTo(Json.parse("{\"token\":\"n\",\"group\":\"g\",\"permissions\":null}"));
        assertThat(StatefulToken.fromJson(minimal.toJson())).isEqualTo(minimal);
    }

    @Test
    void D17_readsOffsetsAndIgnoresUnknownFields() throws Exception {
        StatefulToken t = StatefulToken.fromJson(Json.parse(
                "{\"token\":\"x\",\"group\":\"g\",\"expires\":\"2026-05-02T12:00:00+02:00\",\"extra\":1}"));
        assertThat(t.expires()).isEqualTo(Instant.parse("2026-05-02T10:00:00Z"));
        assertThat(t.username()).isNull();
    }

    @Test
    void D17_fileRoundTripWithModes() throws Exception {
        StatefulToken a = token("a", "g", NOW.plusSeconds(60));
        store.add(a);
        assertThat(Files.exists(file)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(1);
        assertThat(Json.parse(lines.get(0))).isEqualTo(a.toJson());

        TokenStore fresh = new TokenStore(file, clock);
        assertThat(fresh.get("a")).contains(a);
        assertThat(fresh.get("A")).isEmpty();
    }

    @Test
    void D18_missingFileMeansNoTokens() {
        assertThat(store.get("x")).isEmpty();
        assertThat(store.list("g")).isEmpty();
        assertThat(store.etag()).isNull();
    }

    @Test
    void D18_newTokensAreAppended() throws Exception {
        store.add(token("a", "g", NOW.plusSeconds(60)));
        String before = Files.readString(file);
        store.add(token("b", "g", NOW.plusSeconds(30)));
        assertThat(Files.readString(file)).startsWith(before);
        assertThat(Files.readAllLines(file)).hasSize(2);
        assertThatThrownBy(() -> store.add(token("a", "h", null))).isInstanceOf(TokenStore.TokenStoreException.class);
    }

    @Test
    void D18_externalEditIsPickedUp() throws Exception {
        store.add(token("a", "g", NOW.plusSeconds(60)));
        assertThat(store.get("a")).isPresent();
        Files.writeString(file, Json.write(token("b", "g", NOW.plusSeconds(60)).toJson()) + "\n");
        // Make sure the modification time differs even on coarse-grained file systems.
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(store.get("a")).isEmpty();
        assertThat(store.get("b")).isPresent();
    }

    @Test
    void D18_appendAfterExternalLineWithoutNewline() throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, Json.write(token("a", "g", NOW).toJson()));
        store.add(token("b", "g", NOW));
        assertThat(Files.readAllLines(file)).hasSize(2);
        assertThat(new TokenStore(file, clock).get("a")).isPresent();
    }

    @Test
    void D18_parseErrorMakesEveryLookupFail() throws Exception {
        store.add(token("a", "g", NOW.plusSeconds(60)));
        Files.writeString(file, "{\"token\":\"x\",\"group\":3}\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(store.get("a")).isEmpty();
        assertThatThrownBy(() -> store.list("g")).isInstanceOf(TokenStore.TokenStoreException.class);
        assertThatThrownBy(() -> store.delete("a")).isInstanceOf(TokenStore.TokenStoreException.class);

        Files.writeString(file, "{\"token\":\"a\",\"group\":\"g\"}\nnot json\n");
        assertThat(store.get("a")).isEmpty();

        Files.writeString(file, "{\"token\":\"a\",\"group\":\"g\"}\n\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        assertThat(store.get("a")).isPresent();
    }

    @Test
    void D18_updateAndDeleteRewriteAtomically() throws Exception {
        store.add(token("a", "g", NOW.plusSeconds(60)));
        store.add(token("b", "g", NOW.plusSeconds(30)));
        Object inodeBefore = Files.getAttribute(file, "unix:ino");
        Instant later = NOW.plusSeconds(600);
        assertThat(store.update("a", t -> t.withExpires(later))).map(StatefulToken::expires).contains(later);
        assertThat(Files.getAttribute(file, "unix:ino")).isNotEqualTo(inodeBefore);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
        assertThat(new TokenStore(file, clock).get("a")).map(StatefulToken::expires).contains(later);
        assertThat(store.update("zzz", t -> t)).isEmpty();

        assertThat(store.delete("a")).isTrue();
        assertThat(store.delete("a")).isFalse();
        assertThat(new TokenStore(file, clock).get("a")).isEmpty();
        assertThat(store.get("b")).isPresent();
        assertThat(store.delete("b")).isTrue();
        assertThat(Files.exists(file)).isFalse();
        assertThat(store.etag()).isNull();
    }

    @Test
    void T8_listIsExactGroupSortedByExpiryNoExpiryFirst() {
        store.add(token("late", "g", NOW.plusSeconds(300)));
        store.add(token("never", "g", null));
        store.add(token("early", "g", NOW.plusSeconds(10)));
        store.add(token("sub", "g/s", NOW.plusSeconds(1)));
        store.add(new StatefulToken("hier", "", true, null, null, NOW, null, null, null));
        assertThat(store.list("g")).extracting(StatefulToken::token).containsExactly("never", "early", "late");
        assertThat(store.list("g/s")).extracting(StatefulToken::token).containsExactly("sub");
        assertThat(store.listAll()).hasSize(5);
    }

    @Test
    void D20_purgeRemovesTokensExpiredMoreThanSevenDaysAgo() {
        store.add(token("old", "g", NOW.minus(Duration.ofDays(8))));
        store.add(token("recent", "g", NOW.minus(Duration.ofDays(6))));
        store.add(token("never", "g", null));
        store.add(token("future", "g", NOW.plusSeconds(60)));
        assertThat(store.purgeExpired()).isEqualTo(1);
        assertThat(new TokenStore(file, clock).listAll()).extracting(StatefulToken::token)
                .containsExactlyInAnyOrder("recent", "never", "future");
        assertThat(store.purgeExpired()).isZero();
        clock.advance(Duration.ofDays(2));
        assertThat(store.purgeExpired()).isEqualTo(1);
        assertThat(store.get("recent")).isEmpty();
    }

    @Test
    void D21_etagIsSizeAndMtimeNanos() throws Exception {
        store.add(token("a", "g", NOW));
        Instant mtime = Instant.parse("2026-01-02T03:04:05.123456789Z");
        Files.setLastModifiedTime(file, FileTime.from(mtime));
        long size = Files.size(file);
        assertThat(store.etag()).isEqualTo("\"" + size + "-" + (mtime.getEpochSecond() * 1_000_000_000L + 123456789)
                + "\"");
    }

    @Test
    void D19_validity() {
        StatefulToken t = new StatefulToken("t", "a", false, null, null, NOW.plusSeconds(10),
                NOW.minusSeconds(10), null, null);
        assertThat(t.validFor("a", NOW)).isTrue();
        assertThat(t.validFor("a", NOW.plusSeconds(10))).isTrue();
        assertThat(t.validFor("a", NOW.plusSeconds(11))).isFalse();
        assertThat(t.validFor("a", NOW.minusSeconds(11))).isFalse();
        assertThat(t.validFor("a/b", NOW)).isFalse();
        assertThat(t.validFor("ab", NOW)).isFalse();
        assertThat(t.withExpires(null).validFor("a", NOW)).isFalse();

        StatefulToken sub = new StatefulToken("t", "a", true, null, null, NOW.plusSeconds(10), null, null, null);
        assertThat(sub.validFor("a", NOW)).isTrue();
        assertThat(sub.validFor("a/b", NOW)).isTrue();
        assertThat(sub.validFor("a/b/c", NOW)).isTrue();
        assertThat(sub.validFor("ab", NOW)).isFalse();

        StatefulToken global = new StatefulToken("t", "", true, null, List.of("admin"), NOW.plusSeconds(10), null,
                null, null);
        assertThat(global.validFor("anything", NOW)).isTrue();
        assertThat(global.isGlobalAdmin(NOW)).isTrue();
        assertThat(global.isGlobalAdmin(NOW.plusSeconds(11))).isFalse();
        assertThat(new StatefulToken("t", "", false, null, List.of("admin"), NOW.plusSeconds(10), null, null, null)
                .isGlobalAdmin(NOW)).isFalse();
    }

    @Test
    void H59_putCreatesReplacesAndRefusesOtherGroup() throws Exception {
        assertThat(store.put(token("a", "g", NOW), TokenStore.Precondition.NONE))
                .isEqualTo(TokenStore.PutOutcome.CREATED);
        assertThat(store.put(token("a", "g", NOW.plusSeconds(5)), TokenStore.Precondition.NONE))
                .isEqualTo(TokenStore.PutOutcome.REPLACED);
        assertThat(new TokenStore(file, clock).get("a")).map(StatefulToken::expires).contains(NOW.plusSeconds(5));
        assertThat(store.put(token("a", "other", NOW), (etag, exists) -> {
            throw new AssertionError("the group conflict is found before the precondition");
        })).isEqualTo(TokenStore.PutOutcome.OTHER_GROUP);
        String etag = store.etag();
        assertThat(store.put(token("a", "g", NOW), (e, exists) -> !e.equals(etag)))
                .isEqualTo(TokenStore.PutOutcome.PRECONDITION_FAILED);
        assertThat(store.put(token("b", "g", NOW), (e, exists) -> !exists && e.equals(etag)))
                .isEqualTo(TokenStore.PutOutcome.CREATED);
    }

    @Test
    void H59_deleteWithPrecondition() {
        assertThat(store.delete("a", TokenStore.Precondition.NONE)).isEqualTo(TokenStore.DeleteOutcome.ABSENT);
        store.add(token("a", "g", NOW));
        assertThat(store.delete("a", (etag, exists) -> false))
                .isEqualTo(TokenStore.DeleteOutcome.PRECONDITION_FAILED);
        String etag = store.etag();
        assertThat(store.delete("a", (e, exists) -> exists && e.equals(etag)))
                .isEqualTo(TokenStore.DeleteOutcome.DELETED);
        assertThat(Files.exists(file)).isFalse();
    }

    @Test
    void T4_randomNamesAreElevenBase64UrlCharacters() {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < 100; i++) {
            String n = StatefulToken.randomName();
            assertThat(n).matches("[A-Za-z0-9_-]{11}");
            names.add(n);
        }
        assertThat(names).hasSize(100);
    }
}
