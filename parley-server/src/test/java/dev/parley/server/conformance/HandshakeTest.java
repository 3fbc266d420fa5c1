package dev.parley.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.parley.server.conformance.Proto.SHORT;
import static dev.parley.server.conformance.Proto.msg;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec B.2 (handshake) and B.3 (keepalive). */
class HandshakeTest {
    static TestServer server;
    static String group;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        group = Proto.standardGroup(server, "");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /**
     * The two slow timers share one wait: a client that never handshakes is dropped after 15 s
     * (HS1), and a handshaken client that stays silent is pinged after 20 s (KA2; the timer
     * ticks every 10 s, so the ping comes at the 30 s tick). The 45 s disconnection is not tested.
     */
    @Test
    void HS1_KA2_silentClientsAreDroppedBeforeHandshakeAndPingedAfter() throws Exception {
        try (WsClient c = server.connect(); WsClient quiet = server.handshake(Proto.unique("quiet"))) {
            Thread.sleep(2000);
            assertThat(c.isClosed()).as("still open well before 15 s").isFalse();
            long deadline = System.nanoTime() + Duration.ofSeconds(25).toNanos();
            while (!c.isClosed() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(c.isClosed()).isTrue();
            assertThat(c.awaitClose().code()).as("no close frame: abnormal closure").isIn(-1, 1006);
            assertThat(c.drain(Duration.ZERO)).isEmpty();
            assertThat(quiet.drain(Duration.ZERO)).as("no ping before 20 s of silence").isEmpty();
            java.util.List<JsonNode> got = new java.util.ArrayList<>();
            long pingDeadline = System.nanoTime() + Duration.ofSeconds(25).toNanos();
            while (got.isEmpty() && System.nanoTime() < pingDeadline) {
                got.addAll(quiet.drain(Duration.ofMillis(200)));
            }
            assertThat(got).containsExactly(Proto.obj("type", "ping"));
            assertThat(quiet.isClosed()).isFalse();
            quiet.send(msg("type", "pong"));
            quiet.send(msg("type", "ping"));
            quiet.expect("pong");
        }
    }

    @Test
    void HS1_invalidJsonFirstMessageClosesWithoutCloseFrame() {
        try (WsClient c = server.connect()) {
            c.send("{not json");
            assertThat(c.awaitClose().code()).as("no close frame: abnormal closure").isIn(-1, 1006);
            assertThat(c.drain(Duration.ZERO)).isEmpty();
        }
    }

    @Test
    void HS2_firstMessageNotHandshakeIsClosed1002() {
        try (WsClient c = server.connect()) {
            c.send(msg("type", "ping"));
            WsClient.Closed closed = c.awaitClose();
            assertThat(closed.code()).isEqualTo(1002);
            assertThat(closed.reason()).isEqualTo("you must handshake first");
            assertThat(c.drain(Duration.ZERO)).isEmpty();
        }
    }

    @Test
    void HS2_joinBeforeHandshakeIsClosed1002() {
        try (WsClient c = server.connect()) {
            c.send(Proto.join(group, "op", "op"));
            assertThat(c.awaitClose().code()).isEqualTo(1002);
        }
    }

    @Test
    void HS3_J8_emptyIdHandshakesButEveryJoinFails() {
        try (WsClient c = server.connect()) {
            c.send(msg("type", "handshake", "version", java.util.List.of("2"), "id", ""));
            c.expect("handshake");
            JsonNode joined = Proto.joinReply(c, Proto.join(group, "op", "op"));
            assertThat(joined.path("kind").asText()).isEqualTo("fail");
            assertThat(joined.path("value").asText()).isEqualTo("internal server error");
            assertThat(joined.has("error")).isFalse();
        }
    }

    @Test
    void HS3_idIsOpaqueAndUsedForTheLifetimeOfTheConnection() {
        String id = "weird id/with:chars\u00e9";
        try (WsClient c = server.handshake(id)) {
            Proto.joinOk(c, id, Proto.join(group, "op", "op"));
            c.send(msg("type", "chat", "value", "x"));
            c.expectType("chat");
            c.send(Proto.leave(group));
            c.expectMatching(m -> Proto.isType(m, "joined", "leave"));
            Proto.joinOk(c, id, Proto.join(group, "op", "op"));
        }
    }

    @Test
    void HS4_replyIsExactlyTypeAndVersion2() {
        try (WsClient c = server.connect()) {
            c.send(msg("type", "handshake", "version", java.util.List.of("2", "3"), "id", Proto.unique("c")));
            JsonNode h = c.expect("handshake");
            assertThat(h).isEqualTo(Proto.obj("type", "handshake", "version", java.util.List.of("2")));
            c.expectSilence(SHORT);
        }
    }

    @Test
    void HS5_unknownVersionGetsWarningButProceeds() {
        String id = Proto.unique("c");
        try (WsClient c = server.connect()) {
            c.send(msg("type", "handshake", "version", java.util.List.of("1"), "id", id));
            c.expect("handshake");
            JsonNode w = c.expect("usermessage");
            assertThat(w).isEqualTo(Proto.obj("type", "usermessage", "kind", "warning", "dest", id,
                    "privileged", true, "value",
                    "This client is using an unknown protocol version.\nPerhaps it needs upgrading?\nTrying to continue, things may break."));
            Proto.joinOk(c, id, Proto.join(group, "op", "op"));
        }
    }

    @Test
    void HS5_missingVersionGetsWarning() {
        String id = Proto.unique("c");
        try (WsClient c = server.connect()) {
            c.send(msg("type", "handshake", "id", id));
            c.expect("handshake");
            assertThat(c.expect("usermessage").path("kind").asText()).isEqualTo("warning");
        }
    }

    @Test
    void HS4_HS5_version2GetsNoWarning() {
        try (WsClient c = server.handshake(Proto.unique("c"))) {
            c.expectSilence(SHORT);
        }
    }

    @Test
    void HS6_secondHandshakeIsUnexpectedMessage() {
        String id = Proto.unique("c");
        try (WsClient c = server.handshake(id)) {
            c.send(msg("type", "handshake", "version", java.util.List.of("2"), "id", id));
            JsonNode err = c.expect("usermessage");
            assertThat(err.path("kind").asText()).isEqualTo("error");
            assertThat(err.path("value").asText()).isEqualTo("unexpected message");
            WsClient.Closed closed = c.awaitClose();
            assertThat(closed.code()).isEqualTo(1002);
            assertThat(closed.reason()).isEqualTo("unexpected message");
        }
    }

    @Test
    void HS7_messagesMayBePipelinedBeforeTheServerHandshake() {
        String id = Proto.unique("c");
        try (WsClient c = server.connect()) {
            c.send(msg("type", "handshake", "version", java.util.List.of("2"), "id", id));
            c.send(Proto.join(group, "op", "op"));
            c.send(msg("type", "chat", "value", "pipelined"));
            c.expect("handshake");
            assertThat(c.expect("joined").path("kind").asText()).isEqualTo("join");
            c.expectMatching(m -> Proto.isUser(m, "add", id));
            assertThat(c.expectType("chat").path("value").asText()).isEqualTo("pipelined");
        }
    }

    @Test
    void KA1_pingGetsPongAndPongIsIgnored() {
        try (WsClient c = server.handshake(Proto.unique("c"))) {
            c.send(msg("type", "ping"));
            assertThat(c.expect("pong")).isEqualTo(Proto.obj("type", "pong"));
            c.send(msg("type", "pong"));
            c.expectSilence(SHORT);
            assertThat(c.isClosed()).isFalse();
        }
    }

    @Test
    void KA3_repeatedClientPingsWhileJoinedAreNotErrors() {
        String id = Proto.unique("c");
        try (WsClient c = Proto.joined(server, id, Proto.join(group, "op", "op"))) {
            for (int i = 0; i < 5; i++) {
                c.send(msg("type", "ping"));
                c.expect("pong");
            }
            assertThat(c.isClosed()).isFalse();
        }
    }
}
