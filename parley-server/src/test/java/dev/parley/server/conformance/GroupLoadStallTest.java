package dev.parley.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.RawHttp;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.parley.server.conformance.Proto.join;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9: loading one group's file (G2, G4) must not hold up any other group. Group b's file
 * is a FIFO, so reading it blocks until the test writes to it: a slow disk, made exact.
 */
class GroupLoadStallTest {
    private static final String ANYONE = """
            {"wildcard-user": {"password": {"type": "wildcard"}, "permissions": "present"}}""";

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void G4_aStalledLoadOfOneGroupDoesNotBlockJoinsOfAnother() throws Exception {
        try (TestServer server = TestServer.start(f -> f.group("a", ANYONE))) {
            Path fifo = server.files().groups().resolve("b.json");
            // Made after the start, whose scan would otherwise wait for it.
            assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();
            try (WsClient stalled = server.handshake("stalled")) {
                stalled.send(join("b", "bob", "x"));
                stalled.expectSilence(Duration.ofSeconds(1));          // b's load is waiting on its file

                try (WsClient other = server.handshake("other")) {
                    other.send(join("a", "alice", "x"));
                    JsonNode joined = awaitType(other, "joined", 3);    // generous: up to 30 s
                    assertThat(joined.path("kind").asText()).isEqualTo("join");
                    assertThat(joined.path("group").asText()).isEqualTo("a");
                }
                assertThat(RawHttp.to(server).target("/group/a/.status").send().status()).isEqualTo(200);

                // The stalled load completes once its file can be read.
                try (FileOutputStream writer = new FileOutputStream(fifo.toFile())) {
                    writer.write(ANYONE.getBytes(StandardCharsets.UTF_8));
                }
                JsonNode late = awaitType(stalled, "joined", 3);
                assertThat(late.path("kind").asText()).isEqualTo("join");
                assertThat(late.path("group").asText()).isEqualTo("b");
            } finally {
                Files.deleteIfExists(fifo);
            }
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void G4_H10_stalledGroupPagesDoNotHoldUpOtherHttpRequests() throws Exception {
        try (TestServer server = TestServer.start(f -> f.group("a", ANYONE))) {
            Path fifo = server.files().groups().resolve("b.json");
            assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();
            // More stalled requests than the server has network threads, one connection each.
            int stalled = 4 * Runtime.getRuntime().availableProcessors() + 2;
            List<java.net.Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < stalled; i++) {
                    java.net.Socket s = new java.net.Socket("127.0.0.1", server.port());
                    s.getOutputStream().write(("GET /group/b/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    sockets.add(s);
                }
                Thread.sleep(1000);                                     // let them reach the file
                assertThat(RawHttp.to(server).target("/").send().status()).isEqualTo(200);
                assertThat(RawHttp.to(server).target("/group/a/").send().status()).isEqualTo(200);
                assertThat(RawHttp.to(server).target("/group/a/.status").send().status()).isEqualTo(200);
            } finally {
                try (FileOutputStream writer = new FileOutputStream(fifo.toFile())) {   // releases the readers
                    writer.write(ANYONE.getBytes(StandardCharsets.UTF_8));
                }
                Files.deleteIfExists(fifo);
                for (java.net.Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    /** Waits for a message of this type through several of the client's 10 s receive timeouts. */
    private static JsonNode awaitType(WsClient c, String type, int timeouts) {
        AssertionError last = null;
        for (int i = 0; i < timeouts; i++) {
            try {
                return c.expectType(type);
            } catch (AssertionError e) {
                last = e;
            }
        }
        throw last;
    }
}
