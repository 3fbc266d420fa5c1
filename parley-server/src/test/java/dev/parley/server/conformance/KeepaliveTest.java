package dev.parley.server.conformance;

import dev.parley.server.testing.TestServer;
import dev.parley.server.ws.ClientSession;
import dev.parley.server.ws.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.parley.server.conformance.Proto.msg;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * KA2's timer decisions at 20 s and 45 s of silence, driven with explicit times instead of
 * waiting (the 20 s ping is also observed for real in {@link HandshakeTest}). The session
 * is the server's own, on a recording transport.
 */
class KeepaliveTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A transport that records what the session does with it. */
    static final class RecordingConnection implements Connection {
        final List<String> sent = new CopyOnWriteArrayList<>();
        final List<String> closes = new CopyOnWriteArrayList<>();

        @Override
        public boolean sendText(String text) {
            sent.add(text);
            return true;
        }

        @Override
        public void close(int code, String reason) {
            closes.add(code + " " + reason);
        }

        @Override
        public void abort() {
            closes.add("abort");
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1:1";
        }
    }

    private static void until(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private static ClientSession handshaken(RecordingConnection c) {
        ClientSession s = new ClientSession(server.server().context(), c);
        s.received(msg("type", "handshake", "version", List.of("2"), "id", Proto.unique("k")));
        until(() -> c.sent.size() == 1);
        return s;
    }

    @Test
    void KA2_noPingWithin20sPingAfter20sCloseAfter45s() {
        RecordingConnection c = new RecordingConnection();
        ClientSession s = handshaken(c);
        long last = s.lastReceivedNanos();
        s.keepalive(last + 19 * SECOND);
        assertThat(c.sent).hasSize(1);
        s.keepalive(last + 21 * SECOND);
        assertThat(c.sent).hasSize(2);
        assertThat(c.sent.get(1)).isEqualTo("{\"type\":\"ping\"}");
        assertThat(c.closes).isEmpty();
        s.keepalive(last + 46 * SECOND);
        assertThat(c.closes).containsExactly("1011 ");
    }

    @Test
    void KA2_anyValidMessageResetsTheSilence() {
        RecordingConnection c = new RecordingConnection();
        ClientSession s = handshaken(c);
        long first = s.lastReceivedNanos();
        s.received(msg("type", "pong"));
        until(() -> s.lastReceivedNanos() != first);
        long last = s.lastReceivedNanos();
        s.keepalive(last + 44 * SECOND);
        assertThat(c.closes).isEmpty();
        s.keepalive(last + 46 * SECOND);
        assertThat(c.closes).containsExactly("1011 ");
    }
}
