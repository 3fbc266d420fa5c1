package dev.parley.server.http;

import dev.parley.server.ServerContext;
import dev.parley.server.testing.RawHttp;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** H3, with the timeouts shortened to {@value #TIMEOUT_MS} ms (the server's are 60 s and 120 s). */
class HttpTimeoutsTest {
    static final long TIMEOUT_MS = 1500;
    @TempDir
    static Path dir;
    static HttpServer http;
    static ServerContext ctx;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        ctx = ServerContexts.in(dir);
        Path staticDir = ctx.options().staticDir();
        Path data = ctx.options().dataDir();
        Files.writeString(staticDir.resolve("index.html"), "hello");
        http = new HttpServer(ctx, StaticRoot.directory(staticDir), Duration.ofMillis(TIMEOUT_MS), Duration.ofMillis(TIMEOUT_MS));
        port = http.start(new InetSocketAddress("127.0.0.1", 0), true, data).getPort();
    }

    @AfterAll
    static void stop() {
        http.stop();
        ctx.media().close();
    }

    private static Socket open() throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout((int) (TIMEOUT_MS * 10));
        return s;
    }

    private static void send(Socket s, String text) throws Exception {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    @Test
    void H3_connectionWithoutCompleteHeadersIsClosed() throws Exception {
        try (Socket s = open()) {
            send(s, "GET / HTTP/1.1\r\nHost: x\r\n");
            // Closed by the server rather than left hanging until our own read timeout.
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void H3_idleKeepAliveConnectionIsClosed() throws Exception {
        try (Socket s = open()) {
            InputStream in = s.getInputStream();
            send(s, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(RawHttp.Response.read(in, false).text()).isEqualTo("hello");
            send(s, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(RawHttp.Response.read(in, false).text()).as("a prompt second request is served").isEqualTo("hello");
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void H3_webSocketsAreNotSubjectToTheHttpTimeouts() throws Exception {
        try (WsClient c = WsClient.open(URI.create("ws://127.0.0.1:" + port + "/ws"), null)) {
            Thread.sleep(TIMEOUT_MS * 2);
            c.send("{\"type\":\"handshake\",\"version\":[\"2\"],\"id\":\"timeouts\"}");
            assertThat(c.expect("handshake")).isNotNull();
        }
    }
}
