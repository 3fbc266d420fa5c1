package dev.parley.server.http;

import dev.parley.server.Main;
import dev.parley.server.testing.RawHttp;
import dev.parley.server.testing.RawHttp.Response;
import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Spec A.1: listener defaults, path cleaning and subtree redirects (H1, H4), canonical host (H5), 404 body (H7). */
class RoutingTest {
    static TestServer server;
    static TestServer canonical;
    static Path staticDir;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(f -> f.group("test", "{\"public\": true}"));
        staticDir = Files.createTempDirectory("parley-static-");
        Files.writeString(staticDir.resolve("index.html"), "<p>landing</p>");
        Files.writeString(staticDir.resolve("galene.html"), "<p>group page</p>");
        Files.writeString(staticDir.resolve("404.html"), "<p>custom missing page</p>");
        canonical = TestServer.builder().staticDir(staticDir).start(f -> {
            f.group("test", "{\"public\": true}");
            f.data("config.json", "{\"canonicalHost\": \"galene.example.org:8443\"}");
        });
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        canonical.close();
        try (var walk = Files.walk(staticDir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static Response get(TestServer s, String target) {
        return RawHttp.to(s).target(target).send();
    }

    @Test
    void H1_defaultListenAddressIs8443() {
        CommandLine.Model.OptionSpec http = new CommandLine(new Main()).getCommandSpec().findOption("-http");
        assertThat(http.defaultValue()).isEqualTo(":8443");
        CommandLine.Model.OptionSpec insecure = new CommandLine(new Main()).getCommandSpec().findOption("-insecure");
        assertThat(insecure).isNotNull();
    }

    @ParameterizedTest
    @CsvSource({
            "/a/../index.html, /index.html",
            "//index.html, /index.html",
            "/./index.html, /index.html",
            "/group/./test/, /group/test/",
            "/group//test/, /group/test/",
            "/group/test/.., /group",
            "/group/x/../test/.status, /group/test/.status",
            "/a/., /a",
            "/a/b/../, /a/",
            "/galene-api//v0/.stats, /galene-api/v0/.stats",
    })
    void H4_uncleanPathsAre301ToTheCleanedPath(String target, String location) {
        Response r = get(server, target);
        assertThat(r.status()).isEqualTo(301);
        assertThat(r.header("Location")).isEqualTo(location);
    }

    @Test
    void H4_cleaningRedirectKeepsTheQuery() {
        Response r = get(server, "/group//test/?token=abc");
        assertThat(r.status()).isEqualTo(301);
        assertThat(r.header("Location")).isEqualTo("/group/test/?token=abc");
    }

    @Test
    void H4_cleaningRedirectEscapesTheLocation() {
        Response r = get(server, "/x%20y/../a%20b");
        assertThat(r.status()).isEqualTo(301);
        assertThat(r.header("Location")).isEqualTo("/a%20b");
    }

    @Test
    void H4_cleaningRunsBeforeAnyHandler() {
        // /ws, /public-groups.json and the API are cleaned too.
        assertThat(get(server, "//ws").header("Location")).isEqualTo("/ws");
        assertThat(get(server, "/x/../public-groups.json").status()).isEqualTo(301);
    }

    @ParameterizedTest
    @CsvSource({"/group, /group/", "/galene-api, /galene-api/"})
    void H4_subtreeRootWithoutSlashIs301(String target, String location) {
        Response r = get(server, target);
        assertThat(r.status()).isEqualTo(301);
        assertThat(r.header("Location")).isEqualTo(location);
    }

    @Test
    void H4_routesDispatchByPrefix() {
        assertThat(get(server, "/").status()).isEqualTo(200);
        assertThat(get(server, "/group/test/").status()).isEqualTo(200);
        assertThat(get(server, "/group/test/.status").header("Content-Type")).isEqualTo("application/json");
        assertThat(get(server, "/public-groups.json").text()).startsWith("[");
        assertThat(get(server, "/ws").status()).isEqualTo(400);
        // /ws is an exact route; /ws/ belongs to the static files.
        assertThat(get(server, "/ws/").status()).isEqualTo(404);
    }

    @ParameterizedTest
    @CsvSource({
            "/index.html?x=1, /index.html",
            "/, /",
            "/no-such-file, /no-such-file",
            "/group/test/, /group/test/",
            "/group/test/.status, /group/test/.status",
            "/group/test/.status.json, /group/test/.status.json",
            "/group/unknown/, /group/unknown/",
            "/group/test/.whip, /group/test/.whip",
            "/recordings/test/, /recordings/test/",
    })
    void H5_otherHostIsRedirectedToTheCanonicalHostWithoutQuery(String target, String path) {
        Response r = RawHttp.to(canonical).target(target).header("Host", "other.example.org").send();
        assertThat(r.status()).isEqualTo(301);
        assertThat(r.header("Location")).isEqualTo("https://galene.example.org:8443" + path);
    }

    @Test
    void H5_hostComparisonIsCaseInsensitiveAndCountsThePort() {
        Response same = RawHttp.to(canonical).target("/index.html").header("Host", "GALENE.example.ORG:8443").send();
        assertThat(same.status()).isEqualTo(200);
        Response otherPort = RawHttp.to(canonical).target("/index.html").header("Host", "galene.example.org:443").send();
        assertThat(otherPort.status()).isEqualTo(301);
        Response noPort = RawHttp.to(canonical).target("/index.html").header("Host", "galene.example.org").send();
        assertThat(noPort.status()).isEqualTo(301);
    }

    @Test
    void H5_wsPublicGroupsAndApiAreNeverRedirected() {
        Response ws = RawHttp.to(canonical).target("/ws").header("Host", "other.example.org").send();
        assertThat(ws.status()).isEqualTo(400);
        Response pub = RawHttp.to(canonical).target("/public-groups.json").header("Host", "other.example.org").send();
        assertThat(pub.status()).isEqualTo(200);
        assertThat(pub.text()).contains("\"test\"");
        Response api = RawHttp.to(canonical).target("/galene-api/v0/.stats").header("Host", "other.example.org").send();
        assertThat(api.status()).isNotEqualTo(301);
        assertThat(api.header("Location")).isNull();
    }

    @Test
    void H5_recordingsRootRedirectIsNotTheCanonicalOne() {
        Response r = RawHttp.to(canonical).target("/recordings").header("Host", "other.example.org").send();
        assertThat(r.status()).isEqualTo(308);
        assertThat(r.header("Location")).isEqualTo("/recordings/");
    }

    @Test
    void H7_notFoundUsesTheStaticRoots404Page() {
        Response r = RawHttp.to(canonical).target("/missing").header("Host", "galene.example.org:8443").send();
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(r.text()).isEqualTo("<p>custom missing page</p>");
        Response group = RawHttp.to(canonical).target("/group/unknown/").header("Host", "galene.example.org:8443").send();
        assertThat(group.status()).isEqualTo(404);
        assertThat(group.text()).isEqualTo("<p>custom missing page</p>");
    }

    @Test
    void H7_notFoundWithout404HtmlIsAMinimalPage(@TempDir Path empty) throws Exception {
        try (TestServer s = TestServer.builder().staticDir(empty).start(f -> { })) {
            Response r = get(s, "/missing");
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
            assertThat(r.text().trim()).isEqualTo("<p>Not found</p>");
        }
    }
}
