package dev.parley.server.http;

import dev.parley.server.testing.RawHttp;
import dev.parley.server.testing.RawHttp.Response;
import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Spec A.3: group pages (H14–H23) and the group half of H6. */
class GroupPagesTest {
    static final String CSP_TAIL = "ws: wss: 'self'; img-src 'self'; media-src blob: 'self'; "
            + "script-src 'unsafe-eval' 'self'; default-src 'self'";

    @TempDir
    static Path base;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Path staticDir = Files.createDirectories(base.resolve("static"));
        Files.writeString(staticDir.resolve("galene.html"), "<p>the group page</p>");
        Files.setLastModifiedTime(staticDir.resolve("galene.html"), FileTime.from(Instant.ofEpochSecond(1_600_000_000L, 5)));
        Files.writeString(staticDir.resolve("index.html"), "<p>landing</p>");
        server = TestServer.builder().staticDir(staticDir).start(f -> {
            f.group("plain", "{}");
            f.group("auth", "{\"authServer\": \"https://auth.example.org/token\"}");
            f.group("moved", "{\"redirect\": \"https://elsewhere.example.org/group/x/\"}");
            f.group("broken", "{\"public\": tru");
            f.group("unknownkey", "{\"no-such-key\": 1}");
            f.group("nested/child", "{}");
            f.group(".hidden", "{}");
            f.group("dir/.hidden", "{}");
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Response get(String target) {
        return RawHttp.to(server).target(target).send();
    }

    @Test
    void H6_groupPageHasCspWithoutAuthServer() {
        Response r = get("/group/plain/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Security-Policy")).isEqualTo("connect-src " + CSP_TAIL);
        assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void H6_authServerAppearsInCspOnlyOnItsGroupsPage() {
        Response r = get("/group/auth/");
        assertThat(r.header("Content-Security-Policy"))
                .isEqualTo("connect-src https://auth.example.org/token " + CSP_TAIL);
        assertThat(get("/").header("Content-Security-Policy")).doesNotContain("auth.example.org");
        assertThat(get("/group/plain/").header("Content-Security-Policy")).doesNotContain("auth.example.org");
    }

    @Test
    void H14_groupNamesWithDotComponentsAreUnreachable() {
        assertThat(get("/group/.hidden/").status()).isEqualTo(404);
        assertThat(get("/group/.hidden/.status").status()).isEqualTo(404);
        assertThat(get("/group/dir/.hidden/").status()).isEqualTo(404);
    }

    @Test
    void H14_kindIsTheFirstDottedComponent() {
        // Only a bare ".status" is the status; anything after it is an unknown kind.
        assertThat(get("/group/plain/.status/x").status()).isEqualTo(404);
        assertThat(get("/group/plain/.status").status()).isEqualTo(200);
    }

    @Test
    void H15_statusJsonIs308ToStatus() {
        Response r = get("/group/plain/.status.json");
        assertThat(r.status()).isEqualTo(308);
        assertThat(r.header("Location")).isEqualTo("/group/plain/.status");
        assertThat(get("/group/nested/child/.status.json").header("Location")).isEqualTo("/group/nested/child/.status");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/group/plain/.foo", "/group/plain/.foo/", "/group/plain/.status.xml"})
    void H16_otherDottedKindsAre404(String target) {
        Response r = get(target);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
    }

    @Test
    void H17_emptyNameIs404() {
        assertThat(get("/group/").status()).isEqualTo(404);
    }

    @Test
    void H17_nestedNamesWork() {
        assertThat(get("/group/nested/child/").status()).isEqualTo(200);
        assertThat(get("/group/nested/child").header("Location")).isEqualTo("/group/nested/child/");
    }

    @Test
    void H18_unknownGroupIs404BeforeTheSlashRedirect() {
        assertThat(get("/group/unknown/").status()).isEqualTo(404);
        assertThat(get("/group/unknown").status()).isEqualTo(404);
        // An intermediate directory is not a group.
        assertThat(get("/group/nested/").status()).isEqualTo(404);
    }

    @Test
    void H18_unreadableDescriptionIs500() {
        assertThat(get("/group/broken/").status()).isEqualTo(500);
        assertThat(get("/group/unknownkey/").status()).isEqualTo(500);
    }

    @Test
    void H8_illegalGroupNameIs500() {
        assertThat(get("/group/a%5Cb/").status()).isEqualTo(500);
    }

    @Test
    void H19_missingSlashRedirectsAndDropsQuery() {
        Response r = get("/group/plain?token=secret");
        assertThat(r.status()).isEqualTo(308);
        assertThat(r.header("Location")).isEqualTo("/group/plain/");
    }

    @Test
    void H20_queryIsKeptOnTheCanonicalPage() {
        Response r = get("/group/plain/?token=secret");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("<p>the group page</p>");
    }

    @Test
    void H20_longTokensInTheQueryAreAccepted() {
        // JWTs in ?token= can be several kilobytes long.
        Response r = get("/group/plain/?token=" + "a".repeat(10_000));
        assertThat(r.status()).isEqualTo(200);
    }

    @Test
    void H21_redirectGroupIs308ToItsTarget() {
        Response r = get("/group/moved/");
        assertThat(r.status()).isEqualTo(308);
        assertThat(r.header("Location")).isEqualTo("https://elsewhere.example.org/group/x/");
        // The slash redirect comes first.
        assertThat(get("/group/moved").header("Location")).isEqualTo("/group/moved/");
    }

    @Test
    void H22_groupPageIsGaleneHtmlWithCacheHeaders() {
        Response r = RawHttp.to(server).method("POST").target("/group/plain/").send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("<p>the group page</p>");
        assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(r.header("Cache-Control")).isEqualTo("max-age=1800");
        assertThat(r.header("ETag")).isEqualTo("\"21-1600000000000000005\"");
        Response cached = RawHttp.to(server).target("/group/plain/").header("If-None-Match", r.header("ETag")).send();
        assertThat(cached.status()).isEqualTo(304);
    }

    @Test
    void H23_accessReloadsAChangedDescription() throws Exception {
        server.files().group("changing", "{\"displayName\": \"First\"}");
        assertThat(get("/group/changing/.status").text()).contains("\"First\"");
        Path file = server.files().groups().resolve("changing.json");
        Files.writeString(file, "{\"displayName\": \"Second one\"}");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(get("/group/changing/.status").text()).contains("\"Second one\"");
        Files.delete(file);
        assertThat(get("/group/changing/").status()).isEqualTo(404);
    }

    @Test
    void H23_accessLoadsTheGroupIntoMemory() throws Exception {
        server.files().group("lazy", "{\"public\": true}");
        assertThat(server.server().context().groups().getLoaded("lazy")).isNull();
        assertThat(get("/group/lazy/").status()).isEqualTo(200);
        assertThat(server.server().context().groups().getLoaded("lazy")).isNotNull();
    }
}
