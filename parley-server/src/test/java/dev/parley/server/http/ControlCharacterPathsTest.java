package dev.parley.server.http;

import dev.parley.server.testing.RawHttp;
import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Paths whose decoded form holds a control character name no group and no file: they are
 * answered 404 like any other missing group (H17, H18), never 500, and the server keeps serving.
 * (The reference answers 500 for a NUL, because opening such a file fails with EINVAL; a
 * client's mistake is not a server fault.) A malformed escape makes the request unparseable:
 * 400, as the reference's HTTP server answers.
 */
class ControlCharacterPathsTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(f -> f.group("g", "{}"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/group/%00", "/group/%00/", "/group/a%00b/", "/group/%01/", "/group/%0A/",
            "/group/%0d%0a/", "/group/%1F/", "/group/%7F/", "/group/g%00/", "/group/%00/.status",
            "/group/g/%00/", "/group/%C2%80/", "/%00", "/%00/", "/x%00.html", "/public-groups.json%00",
            "/group/%00/.whip", "/recordings/%00/", "/recordings/g/%00", "/ws%00"})
    void H18_controlCharactersInAPathAre404(String target) {
        RawHttp.Response r = RawHttp.to(server).target(target).send();
        assertThat(r.status()).as(target).isEqualTo(404);
        assertThat(RawHttp.to(server).target("/group/g/.status").send().status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/group/%", "/group/%0", "/group/%g0/", "/group/a%2/", "/%zz"})
    void malformedEscapesAre400(String target) {
        assertThat(RawHttp.to(server).target(target).send().status()).as(target).isEqualTo(400);
        assertThat(RawHttp.to(server).target("/group/g/.status").send().status()).isEqualTo(200);
    }
}
