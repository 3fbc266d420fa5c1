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

/** Spec A.2 (H10–H13) and the static half of H6, against a {@code -static} directory. */
class StaticFilesTest {
    static final String CSP = "connect-src ws: wss: 'self'; img-src 'self'; media-src blob: 'self'; "
            + "script-src 'unsafe-eval' 'self'; default-src 'self'";
    static final Instant MTIME = Instant.ofEpochSecond(1_700_000_000L, 123_456_789L);

    @TempDir
    static Path base;
    static Path staticDir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        staticDir = Files.createDirectories(base.resolve("static"));
        write("index.html", "<p>landing</p>");
        write("app.js", "console.log(1);");
        write("third-party/lib.js", "lib();");
        write("docs/index.html", "<p>docs</p>");
        Files.createDirectories(staticDir.resolve("empty"));
        write("digits.txt", "0123456789");
        Files.writeString(base.resolve("secret.txt"), "top secret");
        Files.createSymbolicLink(staticDir.resolve("escape.txt"), base.resolve("secret.txt"));
        Files.createSymbolicLink(staticDir.resolve("inside.txt"), staticDir.resolve("digits.txt"));
        server = TestServer.builder().staticDir(staticDir).start(f -> { });
    }

    private static void write(String name, String content) throws Exception {
        Path p = staticDir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        Files.setLastModifiedTime(p, FileTime.from(MTIME));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Response request(String method, String target) {
        return RawHttp.to(server).method(method).target(target).send();
    }

    @Test
    void H6_staticResponsesCarryTheSecurityHeaders() {
        for (String target : new String[]{"/", "/app.js", "/missing", "/empty/", "/docs"}) {
            Response r = request("GET", target);
            assertThat(r.header("Content-Security-Policy")).as(target).isEqualTo(CSP);
            assertThat(r.header("Referrer-Policy")).as(target).isEqualTo("no-referrer");
            assertThat(r.header("X-Content-Type-Options")).as(target).isEqualTo("nosniff");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
    void H10_anyMethodGetsTheFile(String method) {
        Response r = request(method, "/app.js");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("console.log(1);");
    }

    @Test
    void H10_headHasHeadersOnly() {
        Response r = request("HEAD", "/app.js");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(r.header("Content-Length")).isEqualTo("15");
        assertThat(r.header("ETag")).isNotNull();
    }

    @Test
    void H10_rangeRequestsWork() {
        Response r = RawHttp.to(server).target("/digits.txt").header("Range", "bytes=2-5").send();
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.text()).isEqualTo("2345");
        assertThat(r.header("Content-Range")).isEqualTo("bytes 2-5/10");
        Response suffix = RawHttp.to(server).target("/digits.txt").header("Range", "bytes=-3").send();
        assertThat(suffix.text()).isEqualTo("789");
        Response open = RawHttp.to(server).method("POST").target("/digits.txt").header("Range", "bytes=7-").send();
        assertThat(open.status()).isEqualTo(206);
        assertThat(open.text()).isEqualTo("789");
        Response unsatisfiable = RawHttp.to(server).target("/digits.txt").header("Range", "bytes=20-30").send();
        assertThat(unsatisfiable.status()).isEqualTo(416);
    }

    @Test
    void H10_conditionalRequestsWork() {
        String etag = request("GET", "/app.js").header("ETag");
        Response r = RawHttp.to(server).target("/app.js").header("If-None-Match", etag).send();
        assertThat(r.status()).isEqualTo(304);
        assertThat(r.header("ETag")).isEqualTo(etag);
        Response other = RawHttp.to(server).target("/app.js").header("If-None-Match", "\"1-2\"").send();
        assertThat(other.status()).isEqualTo(200);
        Response weak = RawHttp.to(server).target("/app.js").header("If-None-Match", "W/" + etag).send();
        assertThat(weak.status()).isEqualTo(200);
        Response list = RawHttp.to(server).target("/app.js").header("If-None-Match", "\"1-2\", " + etag).send();
        assertThat(list.status()).isEqualTo(304);
        Response ifMatch = RawHttp.to(server).target("/app.js").header("If-Match", "\"1-2\"").send();
        assertThat(ifMatch.status()).isEqualTo(412);
        Response since = RawHttp.to(server).target("/app.js")
                .header("If-Modified-Since", "Tue, 14 Nov 2023 22:13:20 GMT").send();
        assertThat(since.status()).isEqualTo(304);
    }

    @Test
    void H10_filesAreConfinedToTheRoot() {
        // Encoded dots are decoded, so the path is cleaned (H4) before any file is opened.
        Response encoded = request("GET", "/%2e%2e/secret.txt");
        assertThat(encoded.status()).isEqualTo(301);
        assertThat(encoded.header("Location")).isEqualTo("/secret.txt");
        assertThat(request("GET", "/secret.txt").status()).isEqualTo(404);
        Response link = request("GET", "/escape.txt");
        assertThat(link.status()).isEqualTo(404);
        assertThat(link.text()).doesNotContain("top secret");
        assertThat(request("GET", "/inside.txt").text()).isEqualTo("0123456789");
    }

    @Test
    void H11_rootServesIndexHtml() {
        Response r = request("GET", "/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("<p>landing</p>");
        assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
    }

    @Test
    void H12_directoryWithoutSlashIs308() {
        Response r = request("GET", "/docs?x=1");
        assertThat(r.status()).isEqualTo(308);
        assertThat(r.header("Location")).isEqualTo("/docs/");
        assertThat(request("GET", "/empty").status()).isEqualTo(308);
    }

    @Test
    void H12_directoryServesItsIndexHtml() {
        Response r = request("GET", "/docs/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("<p>docs</p>");
    }

    @Test
    void H12_directoryWithoutIndexIs403() {
        Response r = request("GET", "/empty/");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.text().trim()).isEqualTo("Forbidden");
    }

    @Test
    void H13_etagIsSizeAndMtimeNanos() {
        Response r = request("GET", "/app.js");
        assertThat(r.header("ETag")).isEqualTo("\"15-1700000000123456789\"");
        Response index = request("GET", "/docs/");
        assertThat(index.header("ETag")).isEqualTo("\"11-1700000000123456789\"");
    }

    @Test
    void H13_cacheControlDependsOnThirdParty() {
        assertThat(request("GET", "/third-party/lib.js").header("Cache-Control")).isEqualTo("max-age=86400");
        assertThat(request("GET", "/app.js").header("Cache-Control")).isEqualTo("max-age=1800");
        assertThat(request("GET", "/").header("Cache-Control")).isEqualTo("max-age=1800");
    }
}
