package dev.parley.server.http;

import dev.parley.server.testing.RawHttp;
import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input gets a clear 4xx, and the server keeps serving. */
class MalformedRequestsTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(f -> f.group("g", "{}"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A malformed escape makes the request unparseable: 400, as the reference's HTTP server answers. */
    @ParameterizedTest
    @ValueSource(strings = {"/%zz", "/group/%", "/galene-api/v0/%G0", "*", "/group/%0", "/group/%g0/", "/group/a%2/"})
    void badTargetsAre400(String target) {
        assertThat(RawHttp.to(server).target(target).send().status()).as(target).isEqualTo(400);
        assertThat(RawHttp.to(server).target("/group/g/.status").send().status()).isEqualTo(200);
    }

    /**
     * A decoded path holding a control character names no group and no file: 404 like any other
     * missing group (H17, H18), never 500. (The reference answers 500 for a NUL, because opening
     * such a file fails with EINVAL; a client's mistake is not a server fault.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"/group/%00", "/group/%00/", "/group/a%00b/", "/group/%01/", "/group/%0A/",
            "/group/%0d%0a/", "/group/%1F/", "/group/%7F/", "/group/g%00/", "/group/%00/.status",
            "/group/g/%00/", "/group/%C2%80/", "/%00", "/%00/", "/x%00.html", "/public-groups.json%00",
            "/group/%00/.whip", "/recordings/%00/", "/recordings/g/%00", "/ws%00"})
    void H18_controlCharactersInAPathAre404(String target) {
        assertThat(RawHttp.to(server).target(target).send().status()).as(target).isEqualTo(404);
        assertThat(RawHttp.to(server).target("/group/g/.status").send().status()).isEqualTo(200);
    }

    @Test
    void absoluteFormTargetsAreServedByPath() {
        assertThat(RawHttp.to(server).target("http://127.0.0.1/group/g/.status").send().status()).isEqualTo(200);
        assertThat(RawHttp.to(server).target("http://127.0.0.1/group/g?x=1").send().header("Location"))
                .isEqualTo("/group/g/");
    }

    @Test
    void garbageIs400() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            assertThat(RawHttp.Response.read(in, false).status()).isEqualTo(400);
        }
        assertThat(RawHttp.to(server).target("/group/g/.status").send().status()).isEqualTo(200);
    }

    @Test
    void badJsonAndCredentialsInTheApiAreAnswered() {
        assertThat(RawHttp.to(server).target("/galene-api/v0/.stats").header("Authorization", "Basic !!!").send().status())
                .isEqualTo(401);
        assertThat(RawHttp.to(server).target("/galene-api/v0/.stats").header("Authorization", "Bearer").send().status())
                .isEqualTo(401);
    }
}
