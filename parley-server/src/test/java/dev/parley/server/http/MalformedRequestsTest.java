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

    @ParameterizedTest
    @ValueSource(strings = {"/%zz", "/group/%", "/galene-api/v0/%G0", "*"})
    void badTargetsAre400(String target) {
        assertThat(RawHttp.to(server).target(target).send().status()).isEqualTo(400);
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
