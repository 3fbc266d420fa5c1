package dev.parley.server.http;

import dev.parley.server.ServerContext;
import dev.parley.server.testing.RawHttp;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** H1: an address starting with "/" is a Unix-domain socket. */
class UnixSocketTest {
    @TempDir
    Path dir;

    @Test
    void H1_servesHttpOnAUnixDomainSocket() throws Exception {
        assumeTrue(Epoll.isAvailable(), "needs the epoll transport");
        ServerContext ctx = ServerContexts.in(dir);
        Files.writeString(ctx.options().staticDir().resolve("index.html"), "over a unix socket");
        Files.writeString(ctx.options().groupsDir().resolve("g.json"), "{}");
        Path socket = dir.resolve("parley.sock");
        Files.writeString(socket, "stale file from an earlier run");
        HttpServer http = new HttpServer(ctx, StaticRoot.directory(ctx.options().staticDir()));
        http.startUnix(socket, true, ctx.options().dataDir());
        try {
            assertThat(get(socket, "/").text()).isEqualTo("over a unix socket");
            RawHttp.Response status = get(socket, "/group/g/.status");
            assertThat(status.status()).isEqualTo(200);
            assertThat(status.text()).contains("\"location\":\"http://parley.example/group/g/\"");
        } finally {
            http.stop();
            ctx.media().close();
        }
    }

    private static RawHttp.Response get(Path socket, String path) throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: parley.example\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            return RawHttp.Response.read(Channels.newInputStream(ch), false);
        }
    }
}
