package dev.parley.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.RawWsClient;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static dev.parley.server.conformance.Proto.SHORT;
import static java.nio.charset.StandardCharsets.UTF_8;
import static dev.parley.server.conformance.Proto.msg;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec B.1 (framing and JSON handling) and B.14 (other message types). */
class FramingTest {
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

    private static WsClient joinedOp(String id) {
        return Proto.joined(server, id, Proto.join(group, "op", "op"));
    }

    @Test
    void W1_W8_B2_everyServerFrameIsOneJsonObjectOfAKnownType() {
        Set<String> serverTypes = Set.of("handshake", "joined", "user", "chathistory", "offer", "answer", "ice",
                "renegotiate", "close", "abort", "chat", "usermessage", "ping", "pong");
        String a = Proto.unique("a");
        String b = Proto.unique("b");
        String g = Proto.standardGroup(server, "");
        try (WsClient ca = Proto.joined(server, a, Proto.join(g, "op", "op"));
             WsClient cb = Proto.joined(server, b, Proto.join(g, "op", "op"))) {
            ca.send(msg("type", "chat", "value", "one"));
            ca.send(msg("type", "chat", "value", "two"));
            ca.send(msg("type", "ping"));
            ca.send(msg("type", "groupaction", "kind", "lock"));
            ca.send(msg("type", "abort", "id", "x"));
            ca.send(Proto.leave(g));
            List<JsonNode> got = ca.drain(Duration.ofMillis(500));
            got.addAll(cb.drain(Duration.ZERO));
            assertThat(got).hasSizeGreaterThanOrEqualTo(8);
            for (JsonNode m : got) {
                assertThat(m.isObject()).as("%s", m).isTrue();
                assertThat(serverTypes).as("%s", m).contains(m.path("type").asText());
            }
            // W8: two chats arrive as two frames, never batched.
            assertThat(got.stream().filter(m -> m.path("type").asText().equals("chat")).count()).isEqualTo(4);
        }
    }

    @Test
    void W2_messageOver1MiBCloses1009() {
        try (WsClient c = server.handshake(Proto.unique("c"))) {
            String big = "x".repeat(1 << 20);
            c.send(msg("type", "chat", "value", big));
            assertThat(c.awaitClose().code()).isEqualTo(1009);
        }
    }

    @Test
    void W2_L1_messageJustUnder1MiBIsAccepted() {
        String id = Proto.unique("c");
        try (WsClient c = joinedOp(id)) {
            String big = "y".repeat((1 << 20) - 200);
            c.send(msg("type", "chat", "value", big));
            JsonNode chat = c.expectType("chat");
            assertThat(chat.path("value").asText()).hasSize(big.length());
            assertThat(c.isClosed()).isFalse();
        }
    }

    /** A chat message of exactly {@code size} bytes of JSON text. */
    private static String chatOfSize(int size) {
        String shell = msg("type", "chat", "value", "");
        return msg("type", "chat", "value", "q".repeat(size - shell.length()));
    }

    @Test
    void W2_exactly1MiBIsAcceptedAndOneByteMoreIs1009() {
        String id = Proto.unique("c");
        try (WsClient c = joinedOp(id)) {
            String exact = chatOfSize(1 << 20);
            assertThat(exact).hasSize(1 << 20);
            c.send(exact);
            assertThat(c.expectType("chat").path("value").asText()).hasSize((1 << 20) - msg("type", "chat", "value", "").length());
            c.send(chatOfSize((1 << 20) + 1));
            assertThat(c.awaitClose().code()).isEqualTo(1009);
        }
    }

    @Test
    void W1_W2_fragmentedMessagesAreReassembledAndTheLimitAppliesToTheWhole() throws Exception {
        try (RawWsClient c = new RawWsClient(server.port(), 0)) {
            String id = Proto.unique("frag");
            c.sendText(msg("type", "handshake", "version", List.of("2"), "id", id));
            c.readUntil("handshake");
            c.sendText(Proto.join(group, "op", "op"));
            c.readUntil("\"user\"");
            byte[] whole = msg("type", "chat", "value", "in two parts").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            c.sendFrame(false, 0x1, java.util.Arrays.copyOfRange(whole, 0, 10));
            c.sendFrame(true, 0x0, java.util.Arrays.copyOfRange(whole, 10, whole.length));
            assertThat(c.readUntil("in two parts").opcode()).isEqualTo(0x1);
            byte[] half = new byte[600 * 1024];
            java.util.Arrays.fill(half, (byte) 'a');
            c.sendFrame(false, 0x1, "{\"type\":\"chat\",\"value\":\"".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            c.sendFrame(false, 0x0, half);
            c.sendFrame(true, 0x0, half);
            RawWsClient.Frame close = c.readUntil("never");
            assertThat(close.opcode()).isEqualTo(0x8);
            assertThat(close.closeCode()).isEqualTo(1009);
        }
    }

    /**
     * RFC 6455 §8.1: a text message that is not UTF-8 fails the connection with 1007, whether it
     * comes before or after the handshake, in one frame or split across fragments; nothing of
     * it is processed (the chat never reaches the group).
     */
    @ParameterizedTest
    @ValueSource(strings = {"ff", "c0af", "eda080", "f4908080", "e282", "80"})
    void RFC6455_invalidUtf8TextCloses1007(String badHex) throws Exception {
        byte[] bad = java.util.HexFormat.of().parseHex(badHex);
        try (RawWsClient before = new RawWsClient(server.port(), 0)) {
            before.sendFrame(true, 0x1, concat("{\"type\":\"handshake\",\"id\":\"".getBytes(UTF_8), bad, "\"}".getBytes(UTF_8)));
            assertThat(before.readUntil("never").closeCode()).isEqualTo(1007);
        }
        String watcherId = Proto.unique("watch");
        try (WsClient watcher = joinedOp(watcherId); RawWsClient c = new RawWsClient(server.port(), 0)) {
            c.sendText(msg("type", "handshake", "version", List.of("2"), "id", Proto.unique("utf8")));
            c.readUntil("handshake");
            c.sendText(Proto.join(group, "op", "op"));
            c.readUntil("\"user\"");
            byte[] chat = concat("{\"type\":\"chat\",\"value\":\"bad".getBytes(UTF_8), bad, "\"}".getBytes(UTF_8));
            int split = 20;   // inside "bad", before the invalid bytes: only the continuation is invalid
            c.sendFrame(false, 0x1, java.util.Arrays.copyOfRange(chat, 0, split));
            c.sendFrame(true, 0x0, java.util.Arrays.copyOfRange(chat, split, chat.length));
            RawWsClient.Frame close = c.readUntil("never");
            assertThat(close.opcode()).isEqualTo(0x8);
            assertThat(close.closeCode()).isEqualTo(1007);
            assertThat(watcher.drain(SHORT)).noneMatch(m -> m.path("type").asText().equals("chat"));
        }
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void W4_emptyUsernamesArePresentInServerMessages() {
        String g = Proto.standardGroup(server, "");
        String a = Proto.unique("a");
        String b = Proto.unique("b");
        try (WsClient ca = Proto.joined(server, a, Proto.join(g, "op", "op")); WsClient cb = server.handshake(b)) {
            JsonNode joined = Proto.joinOk(cb, b, Proto.join(g, "", "any"));
            assertThat(joined.has("username")).isTrue();
            assertThat(joined.path("username").asText()).isEmpty();
            JsonNode add = ca.expectMatching(m -> Proto.isUser(m, "add", b));
            assertThat(add.has("username")).isTrue();
            assertThat(add.path("username").asText()).isEmpty();
            cb.send(msg("type", "chat", "username", "", "value", "from nobody"));
            JsonNode chat = ca.expectType("chat");
            assertThat(chat.has("username")).as("forwarded as received (C5)").isTrue();
            assertThat(chat.path("username").asText()).isEmpty();
            cb.close();
            JsonNode gone = ca.expectMatching(m -> Proto.isUser(m, "delete", b));
            assertThat(gone.has("username")).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{not json",
            "[1,2]",
            "{\"type\":\"chat\",\"time\":12345,\"value\":\"x\"}",
            "{\"type\":\"handshake\",\"version\":\"2\"}",
            "{\"type\":\"join\",\"kind\":\"join\",\"group\":\"G\",\"username\":\"op\",\"password\":\"op\",\"data\":[1]}",
            "{\"type\":\"chat\",\"privileged\":\"yes\",\"value\":\"x\"}",
            "{\"type\":\"chat\",\"noecho\":1,\"value\":\"x\"}",
            "{\"type\":42}",
            "{\"type\":\"chat\",\"dest\":{},\"value\":\"x\"}",
            "{\"type\":\"join\",\"kind\":\"join\",\"group\":\"G\",\"username\":7}",
            "{\"type\":\"chat\",\"permissions\":[1],\"value\":\"x\"}",
    })
    void W3_typeErrorsAndInvalidJsonClose1011WithoutMessage(String text) {
        try (WsClient c = joinedOp(Proto.unique("c"))) {
            c.send(text.replace("\"G\"", "\"" + group + "\""));
            WsClient.Closed closed = c.awaitClose();
            assertThat(closed.code()).isEqualTo(1011);
            assertThat(closed.reason()).isEmpty();
            assertThat(c.drain(Duration.ZERO)).noneMatch(m -> Proto.isType(m, "usermessage", "error"));
        }
    }

    @Test
    void W3_unknownFieldsAreIgnored() {
        String id = Proto.unique("c");
        try (WsClient c = joinedOp(id)) {
            c.send("{\"type\":\"chat\",\"value\":\"hi\",\"frobnicate\":[1,{\"a\":2}],\"extra\":7}");
            JsonNode chat = c.expectType("chat");
            assertThat(chat.path("value").asText()).isEqualTo("hi");
            assertThat(chat.has("frobnicate")).isFalse();
        }
    }

    @Test
    void W4_privilegedOmittedWhenFalseAndUsernamePresentWhenEmpty() {
        String id = Proto.unique("c");
        try (WsClient c = server.handshake(id)) {
            // a failed join before any authorisation: username is "" and present
            JsonNode fail = Proto.joinReply(c, Proto.join(group, "op", "wrong"));
            assertThat(fail.has("username")).isTrue();
            assertThat(fail.path("username").asText()).isEmpty();
            assertThat(fail.has("permissions")).isFalse();
            Proto.joinOk(c, id, Proto.join(group, "someone", "any"));
            c.send(msg("type", "chat", "value", "plain"));
            JsonNode chat = c.expectType("chat");
            assertThat(chat.has("privileged")).isFalse();
            assertThat(chat.has("noecho")).isFalse();
            assertThat(chat.has("dest")).isFalse();
            assertThat(chat.has("kind")).isFalse();
        }
    }

    @Test
    void W4_valuePresentWheneverNonNull() {
        String id = Proto.unique("c");
        try (WsClient c = joinedOp(id)) {
            c.send(msg("type", "chat", "value", ""));
            JsonNode chat = c.expectType("chat");
            assertThat(chat.has("value")).isTrue();
            assertThat(chat.path("value").asText()).isEmpty();
            c.send(msg("type", "chat", "value", false));
            assertThat(c.expectType("chat").path("value").isBoolean()).isTrue();
            c.send(msg("type", "chat", "value", 0));
            assertThat(c.expectType("chat").path("value").isNumber()).isTrue();
        }
    }

    @Test
    void W5_W6_spoofedSourceIsProtocolError() {
        String id = Proto.unique("c");
        try (WsClient c = joinedOp(id)) {
            c.send(msg("type", "chat", "source", "someone-else", "value", "x"));
            JsonNode err = c.expectType("usermessage");
            assertThat(err.path("kind").asText()).isEqualTo("error");
            assertThat(err.path("value").asText()).isEqualTo("spoofed client id");
            assertThat(err.path("privileged").asBoolean()).isTrue();
            assertThat(err.path("dest").asText()).isEqualTo(id);
            WsClient.Closed closed = c.awaitClose();
            assertThat(closed).isEqualTo(new WsClient.Closed(1002, "spoofed client id"));
        }
    }

    @Test
    void W5_spoofedUsernameIsProtocolErrorEvenWhenEmpty() {
        String id = Proto.unique("c");
        try (WsClient c = joinedOp(id)) {
            c.send(msg("type", "ping", "username", ""));
            assertThat(Proto.nextError(c)).isEqualTo("spoofed username");
            assertThat(c.awaitClose()).isEqualTo(new WsClient.Closed(1002, "spoofed username"));
        }
    }

    @Test
    void W5_spoofedUsernameBeforeJoinIsCheckedAgainstEmpty() {
        try (WsClient c = server.handshake(Proto.unique("c"))) {
            c.send(msg("type", "ping", "username", "op"));
            assertThat(Proto.nextError(c)).isEqualTo("spoofed username");
            assertThat(c.awaitClose().code()).isEqualTo(1002);
        }
    }

    @Test
    void W5_matchingOrAbsentSourceAndUsernameAreAccepted() {
        String id = Proto.unique("c");
        try (WsClient c = joinedOp(id)) {
            c.send(msg("type", "chat", "source", id, "username", "op", "value", "a"));
            c.send(msg("type", "chat", "source", "", "value", "b"));
            c.send(msg("type", "chat", "value", "c"));
            c.send(msg("type", "ping", "source", id, "username", "op"));
            assertThat(c.expectType("chat").path("value").asText()).isEqualTo("a");
            assertThat(c.expectType("chat").path("value").asText()).isEqualTo("b");
            assertThat(c.expectType("chat").path("value").asText()).isEqualTo("c");
            c.expectType("pong");
            assertThat(c.isClosed()).isFalse();
        }
    }

    @Test
    void W5_sourceIsCheckedOnJoinToo() {
        try (WsClient c = server.handshake(Proto.unique("c"))) {
            c.send(msg("type", "join", "kind", "join", "group", group, "source", "impostor",
                    "username", "op", "password", "op"));
            assertThat(Proto.nextError(c)).isEqualTo("spoofed client id");
            assertThat(c.awaitClose().code()).isEqualTo(1002);
        }
    }

    @Test
    void W5_joinMayCarryAnyUsername() {
        String id = Proto.unique("c");
        try (WsClient c = joinedOp(id)) {
            c.send(Proto.leave(group));
            c.expectMatching(m -> Proto.isType(m, "joined", "leave"));
            JsonNode joined = Proto.joinOk(c, id, Proto.join(group, "another", "any"));
            assertThat(joined.path("username").asText()).isEqualTo("another");
        }
    }

    @Test
    void B1_unknownTypeIsUnexpectedMessage() {
        try (WsClient c = joinedOp(Proto.unique("c"))) {
            c.send(msg("type", "frobnicate"));
            assertThat(Proto.nextError(c)).isEqualTo("unexpected message");
            assertThat(c.awaitClose()).isEqualTo(new WsClient.Closed(1002, "unexpected message"));
        }
    }

    @Test
    void B1_missingTypeIsUnexpectedMessage() {
        try (WsClient c = server.handshake(Proto.unique("c"))) {
            c.send(msg("value", "x"));
            assertThat(Proto.nextError(c)).isEqualTo("unexpected message");
            assertThat(c.awaitClose()).isEqualTo(new WsClient.Closed(1002, "unexpected message"));
        }
    }

    @Test
    void B1_serverOnlyTypesFromAClientAreUnexpected() {
        for (String type : List.of("joined", "user", "chathistory")) {
            try (WsClient c = server.handshake(Proto.unique("c"))) {
                c.send(msg("type", type));
                assertThat(Proto.nextError(c)).isEqualTo("unexpected message");
                assertThat(c.awaitClose().code()).isEqualTo(1002);
            }
        }
    }

    @Test
    void B1_allClientTypesAreAcceptedWithoutClosing() {
        String id = Proto.unique("c");
        try (WsClient c = joinedOp(id)) {
            c.send(msg("type", "ping"));
            c.send(msg("type", "pong"));
            c.send(msg("type", "request", "request", Proto.obj("", List.of("audio", "video"))));
            c.send(msg("type", "renegotiate", "id", "u1"));
            c.send(msg("type", "close", "id", "u1"));
            c.send(msg("type", "ice", "id", "u1", "candidate", Proto.obj("candidate", "")));
            c.send(msg("type", "answer", "id", "u1", "sdp", ""));
            c.send(msg("type", "abort", "id", "u1"));
            c.send(msg("type", "chat", "value", "x"));
            c.send(msg("type", "usermessage", "kind", "info", "value", "x"));
            c.send(msg("type", "useraction", "kind", "setdata", "dest", id, "value", Proto.obj()));
            c.send(msg("type", "groupaction", "kind", "setdata", "value", Proto.obj()));
            c.send(msg("type", "ping"));
            c.expectType("pong");
            c.expectType("pong");
            assertThat(c.isClosed()).isFalse();
            assertThat(c.skipped()).noneMatch(m -> Proto.isType(m, "usermessage", "error"));
        }
    }

    @Test
    void W6_W3_jsonErrorAfterHandshakeSendsNothingThenCloses1011() {
        try (WsClient c = server.handshake(Proto.unique("c"))) {
            c.send("{\"type\":");
            assertThat(c.awaitClose()).isEqualTo(new WsClient.Closed(1011, ""));
            assertThat(c.drain(Duration.ZERO)).isEmpty();
        }
    }

    @Test
    void W3_nullCountsAsAbsent() {
        String id = Proto.unique("c");
        try (WsClient c = joinedOp(id)) {
            c.send("{\"type\":\"chat\",\"value\":\"n\",\"dest\":null,\"kind\":null,\"time\":null}");
            assertThat(c.expectType("chat").path("value").asText()).isEqualTo("n");
            c.expectSilence(SHORT);
        }
    }
}
