package dev.parley.server.http;

import dev.parley.server.testing.RawHttp;
import dev.parley.server.testing.RawHttp.Response;
import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** Spec A.7: the recordings directory over HTTP (H36–H43). */
class RecordingsTest {
    static final Instant OLD = Instant.ofEpochSecond(1_650_000_000L, 42);
    static TestServer server;
    static Path recordings;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(f -> {
            String group = """
                    {"allow-recording": true,
                     "users": {"rec": {"password": "r", "permissions": "op"},
                               "viewer": {"password": "v", "permissions": "present"}}}""";
            f.group("rec", group);
            f.group("nested/sub", group);
            f.group("norec", "{\"users\": {\"rec\": {\"password\": \"r\", \"permissions\": \"op\"}}}");
            f.data("var/tokens.jsonl", "{\"token\":\"rec-token\",\"group\":\"rec\",\"username\":\"t\","
                    + "\"permissions\":[\"record\",\"op\"],\"expires\":\"2099-01-01T00:00:00Z\"}\n");
        });
        recordings = server.recordingsDir();
        write("rec/a.webm", "aaaa", OLD);
        write("rec/b.webm", "bbbbbbbb", Instant.now());
        write("rec/c.webm", "doomed", OLD);
        write("rec/<odd> & \"name\".webm", "x", OLD);
        Files.createDirectories(recordings.resolve("rec/subdir"));
        write("nested/sub/n.webm", "nnn", OLD);
        write("norec/x.webm", "x", OLD);
        write("stray.webm", "s", OLD);
        write(".hidden/h.webm", "h", OLD);
        Files.writeString(recordings.getParent().resolve("outside.txt"), "outside secret");
        Files.createSymbolicLink(recordings.resolve("rec/link.webm"), recordings.getParent().resolve("outside.txt"));
    }

    private static void write(String name, String content, Instant mtime) throws Exception {
        Path p = recordings.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        Files.setLastModifiedTime(p, FileTime.from(mtime));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static RawHttp as(String method, String target) {
        return RawHttp.to(server).method(method).target(target).header("Authorization", basic("rec", "r"));
    }

    @Test
    void H36_rootRedirectsAndHasNoGroup() {
        Response r = RawHttp.to(server).target("/recordings").send();
        assertThat(r.status()).isEqualTo(308);
        assertThat(r.header("Location")).isEqualTo("/recordings/");
        Response slash = as("GET", "/recordings/").send();
        assertThat(slash.status()).isEqualTo(400);
        assertThat(slash.text().trim()).isEqualTo("Bad group name");
    }

    @Test
    void H37_missingPathIs404BeforeAuthentication() {
        assertThat(RawHttp.to(server).target("/recordings/rec/missing.webm").send().status()).isEqualTo(404);
        assertThat(RawHttp.to(server).target("/recordings/nogroup/").send().status()).isEqualTo(404);
        // Existing paths ask for credentials.
        assertThat(RawHttp.to(server).target("/recordings/rec/a.webm").send().status()).isEqualTo(401);
    }

    @Test
    void H37_pathsStayInsideTheRoot() {
        Response dots = as("GET", "/recordings/%2e%2e/outside.txt").send();
        assertThat(dots.status()).isEqualTo(301);
        assertThat(dots.header("Location")).isEqualTo("/outside.txt");
        Response link = as("GET", "/recordings/rec/link.webm").send();
        assertThat(link.status()).isEqualTo(404);
        assertThat(link.text()).doesNotContain("outside secret");
    }

    @Test
    void H38_canonicalFormsAndBadGroups() {
        Response dir = as("GET", "/recordings/rec").send();
        assertThat(dir.status()).isEqualTo(308);
        assertThat(dir.header("Location")).isEqualTo("/recordings/rec/");
        Response file = as("GET", "/recordings/rec/a.webm/").send();
        assertThat(file.status()).isEqualTo(404);
        assertThat(as("GET", "/recordings/stray.webm").send().status()).isEqualTo(400);
        assertThat(as("GET", "/recordings/.hidden/").send().status()).isEqualTo(400);
        assertThat(as("GET", "/recordings/.hidden/h.webm").send().status()).isEqualTo(400);
        assertThat(as("GET", "/recordings/nested/sub/").send().status()).isEqualTo(200);
        assertThat(as("GET", "/recordings/nested/sub/n.webm").send().text()).isEqualTo("nnn");
    }

    @Test
    void H39_basicAuthWithRecordPermission() {
        Response none = RawHttp.to(server).target("/recordings/rec/").send();
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).isEqualTo("basic realm=\"recordings/rec\"");
        assertThat(none.text().trim()).isEqualTo("Haha!");
        assertThat(RawHttp.to(server).target("/recordings/rec/").header("Authorization", basic("viewer", "v")).send().status())
                .isEqualTo(401);
        // Without allow-recording, op does not include record.
        assertThat(RawHttp.to(server).target("/recordings/norec/").header("Authorization", basic("rec", "r")).send().status())
                .isEqualTo(401);
        assertThat(as("GET", "/recordings/rec/").send().status()).isEqualTo(200);
    }

    @Test
    void H39_tokensAreNotAccepted() {
        Response r = RawHttp.to(server).target("/recordings/rec/").header("Authorization", "Bearer rec-token").send();
        assertThat(r.status()).isEqualTo(401);
    }

    @Test
    void H39_wrongPasswordIsDelayed() {
        long start = System.nanoTime();
        Response r = RawHttp.to(server).target("/recordings/rec/").header("Authorization", basic("rec", "wrong")).send();
        assertThat(r.status()).isEqualTo(401);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(200_000_000L);
    }

    @Test
    void H40_directoryListing() {
        Response r = as("GET", "/recordings/rec/").send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(r.header("Cache-Control")).isEqualTo("no-cache");
        String html = r.text();
        assertThat(html).contains("<a href=\"./a.webm\">a.webm</a>", "<td>4</td>", "<td>8</td>")
                .contains("name=\"filename\" value=\"a.webm\"", "name=\"q\" value=\"delete\"", "method=\"post\"")
                .contains("&lt;odd&gt; &amp; &#34;name&#34;.webm")
                .doesNotContain("subdir", "<odd>");
        assertThat(html.indexOf("a.webm")).isLessThan(html.indexOf("b.webm"));
        Response head = as("HEAD", "/recordings/rec/").send();
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void H41_deleteForm() {
        Response r = as("POST", "/recordings/rec/")
                .body("application/x-www-form-urlencoded", "filename=c.webm&q=delete").send();
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.header("Location")).isEqualTo("/recordings/rec/");
        assertThat(recordings.resolve("rec/c.webm")).doesNotExist();
        assertThat(as("POST", "/recordings/rec/").body("application/x-www-form-urlencoded", "filename=c.webm&q=delete")
                .send().status()).isEqualTo(404);
    }

    @Test
    void H41_deleteFormErrors() {
        Response unknown = as("POST", "/recordings/rec/").body("application/x-www-form-urlencoded", "q=rename&filename=a.webm").send();
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.text().trim()).isEqualTo("Unknown query");
        Response noName = as("POST", "/recordings/rec/").body("application/x-www-form-urlencoded", "q=delete").send();
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.text().trim()).isEqualTo("No filename provided");
        Response slash = as("POST", "/recordings/rec/").body("application/x-www-form-urlencoded", "q=delete&filename=..%2Fnorec%2Fx.webm").send();
        assertThat(slash.status()).isEqualTo(400);
        assertThat(slash.text().trim()).isEqualTo("Bad character in filename");
        assertThat(recordings.resolve("norec/x.webm")).exists();
        assertThat(recordings.resolve("rec/a.webm")).exists();
    }

    @Test
    void H42_otherMethodsOnDirectoriesAre405() {
        Response r = as("PUT", "/recordings/rec/").send();
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.header("Allow")).isEqualTo("OPTIONS, HEAD,GET");
    }

    @Test
    void H43_filesAreServedWithEtagAndCacheHeaders() {
        Response old = as("GET", "/recordings/rec/a.webm").send();
        assertThat(old.status()).isEqualTo(200);
        assertThat(old.text()).isEqualTo("aaaa");
        assertThat(old.header("ETag")).isEqualTo("\"4-1650000000000000042\"");
        assertThat(old.header("Cache-Control")).isEqualTo("max-age=1800");
        assertThat(old.header("Content-Type")).isEqualTo("video/webm");
        Response recent = as("GET", "/recordings/rec/b.webm").send();
        assertThat(recent.header("Cache-Control")).isEqualTo("no-cache");
        Response posted = as("POST", "/recordings/rec/a.webm").send();
        assertThat(posted.status()).isEqualTo(200);
        assertThat(posted.text()).isEqualTo("aaaa");
        Response range = as("GET", "/recordings/rec/b.webm").header("Range", "bytes=0-1").send();
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.text()).isEqualTo("bb");
        Response cached = as("GET", "/recordings/rec/a.webm").header("If-None-Match", old.header("ETag")).send();
        assertThat(cached.status()).isEqualTo(304);
    }
}
