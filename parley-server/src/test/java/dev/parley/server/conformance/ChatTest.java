package dev.parley.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.parley.server.conformance.Proto.SHORT;
import static dev.parley.server.conformance.Proto.isType;
import static dev.parley.server.conformance.Proto.isUser;
import static dev.parley.server.conformance.Proto.join;
import static dev.parley.server.conformance.Proto.msg;
import static dev.parley.server.conformance.Proto.obj;
import static dev.parley.server.conformance.Proto.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec B.9 (chat) and B.10 (user messages). */
class ChatTest {
    private static final String RFC3339_SECONDS = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(Z|[+-]\\d\\d:\\d\\d)";
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A group with op/op, bob/bob (present), cap/cap (["caption"] verbatim), obs/obs (observe), wildcard any (message). */
    private static String group(String extra) {
        String name = unique("chat");
        Proto.writeGroup(server, name, """
                {%s"users": {"op": {"password": "op", "permissions": "op"},
                           "bob": {"password": "bob", "permissions": "present"},
                           "cap": {"password": "cap", "permissions": ["caption"]},
                           "obs": {"password": "obs", "permissions": "observe"}},
                 "wildcard-user": {"password": "any", "permissions": "message"}}
                """.formatted(extra.isEmpty() ? "" : extra + ","));
        return name;
    }

    private static String group() {
        return group("");
    }

    /** Two members a (op) and b (bob); b has seen a and a has seen b. */
    private record Pair(String a, String b, WsClient ca, WsClient cb) implements AutoCloseable {
        static Pair of(String g) {
            String a = unique("a");
            String b = unique("b");
            WsClient ca = Proto.joined(server, a, join(g, "op", "op"));
            WsClient cb = Proto.joined(server, b, join(g, "bob", "bob"));
            ca.expectMatching(m -> isUser(m, "add", b));
            return new Pair(a, b, ca, cb);
        }

        @Override
        public void close() {
            ca.close();
            cb.close();
        }
    }

    @Test
    void C2_chatBeforeJoiningIsUserError() {
        String id = unique("c");
        try (WsClient c = server.handshake(id)) {
            c.send(msg("type", "chat", "value", "x"));
            JsonNode err = c.expectType("usermessage");
            assertThat(err).isEqualTo(obj("type", "usermessage", "kind", "error", "dest", id, "privileged", true,
                    "value", "join a group first"));
            c.send(msg("type", "usermessage", "kind", "info", "value", "x"));
            assertThat(Proto.nextError(c)).isEqualTo("join a group first");
            assertThat(c.isClosed()).isFalse();
        }
    }

    @Test
    void C3_P5_chatWithoutMessagePermissionIsNotForwarded() {
        String g = group();
        String o = unique("o");
        try (Pair p = Pair.of(g); WsClient obs = Proto.joined(server, o, join(g, "obs", "obs"))) {
            obs.send(msg("type", "chat", "value", "silent"));
            assertThat(Proto.nextError(obs)).isEqualTo("not authorised");
            obs.send(msg("type", "chat", "kind", "me", "value", "silent"));
            assertThat(Proto.nextError(obs)).isEqualTo("not authorised");
            assertThat(p.ca().drain(SHORT)).noneMatch(m -> isType(m, "chat", null));
            assertThat(obs.isClosed()).isFalse();
        }
    }

    @Test
    void C3_captionNeedsCaptionPermission() {
        String g = group();
        try (Pair p = Pair.of(g)) {
            p.cb().send(msg("type", "chat", "kind", "caption", "value", "cc"));
            assertThat(Proto.nextError(p.cb())).isEqualTo("not authorised");
            p.ca().send(msg("type", "chat", "kind", "caption", "value", "cc"));
            assertThat(p.cb().expectType("chat").path("kind").asText()).isEqualTo("caption");
        }
    }

    @Test
    void C3_P4_captionPermissionAloneAllowsCaptionsOnly() {
        String g = group();
        String c = unique("cap");
        try (Pair p = Pair.of(g); WsClient cap = Proto.joined(server, c, join(g, "cap", "cap"))) {
            cap.send(msg("type", "chat", "kind", "caption", "value", "subtitle"));
            assertThat(p.cb().expectType("chat").path("value").asText()).isEqualTo("subtitle");
            cap.send(msg("type", "chat", "value", "plain"));
            assertThat(Proto.nextError(cap)).isEqualTo("not authorised");
        }
    }

    @Test
    void C4_C5_C6_broadcastFieldsAsForwarded() {
        String g = group();
        try (Pair p = Pair.of(g)) {
            p.cb().send(msg("type", "chat", "source", p.b(), "username", "bob", "kind", "me",
                    "value", obj("any", List.of(1, "json")), "time", "1999-01-01T00:00:00Z", "privileged", true));
            for (WsClient c : List.of(p.ca(), p.cb())) {
                JsonNode chat = c.expectType("chat");
                assertThat(chat.path("source").asText()).isEqualTo(p.b());
                assertThat(chat.path("username").asText()).isEqualTo("bob");
                assertThat(chat.path("kind").asText()).isEqualTo("me");
                assertThat(chat.path("value")).isEqualTo(obj("any", List.of(1, "json")));
                assertThat(chat.path("time").asText()).matches(RFC3339_SECONDS).isNotEqualTo("1999-01-01T00:00:00Z");
                assertThat(chat.has("privileged")).as("bob is not op").isFalse();
                assertThat(chat.path("id").asText()).hasSize(11).matches("[A-Za-z0-9_-]{11}");
                assertThat(chat.has("dest")).isFalse();
            }
        }
    }

    @Test
    void C4_privilegedReflectsOpAtSendTime() {
        String g = group();
        try (Pair p = Pair.of(g)) {
            p.ca().send(msg("type", "chat", "value", "from op"));
            assertThat(p.cb().expectType("chat").path("privileged").asBoolean()).isTrue();
            p.ca().send(msg("type", "useraction", "kind", "unop", "dest", p.a()));
            p.ca().expectMatching(m -> isUser(m, "change", p.a()));
            p.ca().send(msg("type", "chat", "value", "no longer op"));
            JsonNode chat = p.cb().expectType("chat");
            assertThat(chat.path("value").asText()).isEqualTo("no longer op");
            assertThat(chat.has("privileged")).isFalse();
        }
    }

    @Test
    void C4_clientIdIsKeptAndIdsAreFreshOtherwise() {
        String g = group();
        try (Pair p = Pair.of(g)) {
            p.ca().send(msg("type", "chat", "id", "my-own-id", "value", "1"));
            assertThat(p.cb().expectType("chat").path("id").asText()).isEqualTo("my-own-id");
            p.ca().send(msg("type", "chat", "value", "2"));
            p.ca().send(msg("type", "chat", "value", "3"));
            String id2 = p.cb().expectType("chat").path("id").asText();
            String id3 = p.cb().expectType("chat").path("id").asText();
            assertThat(id2).hasSize(11).isNotEqualTo(id3);
            assertThat(id3).hasSize(11);
        }
    }

    @Test
    void C4_C7_privateMessagesGetNoGeneratedId() {
        String g = group();
        try (Pair p = Pair.of(g)) {
            p.ca().send(msg("type", "chat", "dest", p.b(), "value", "psst"));
            JsonNode chat = p.cb().expectType("chat");
            assertThat(chat.has("id")).isFalse();
            assertThat(chat.path("dest").asText()).isEqualTo(p.b());
            assertThat(chat.path("time").asText()).matches(RFC3339_SECONDS);
            p.ca().send(msg("type", "chat", "dest", p.b(), "id", "kept", "value", "psst"));
            assertThat(p.cb().expectType("chat").path("id").asText()).isEqualTo("kept");
        }
    }

    @Test
    void C5_missingSourceAndUsernameAreNotFilledIn() {
        String g = group();
        try (Pair p = Pair.of(g)) {
            p.ca().send(msg("type", "chat", "value", "anon"));
            JsonNode chat = p.cb().expectType("chat");
            assertThat(chat.has("source")).isFalse();
            assertThat(chat.has("username")).isFalse();
        }
    }

    @Test
    void C6_noechoSkipsTheSender() {
        String g = group();
        try (Pair p = Pair.of(g)) {
            p.ca().send(msg("type", "chat", "noecho", true, "value", "quiet"));
            JsonNode chat = p.cb().expectType("chat");
            assertThat(chat.path("noecho").asBoolean()).isTrue();
            p.ca().send(msg("type", "ping"));
            p.ca().expectType("pong");
            assertThat(p.ca().skipped()).noneMatch(m -> isType(m, "chat", null));
        }
    }

    @Test
    void C6_C9_C10_broadcastsOfAnyKindAreStoredAndReplayed() {
        String g = group();
        try (Pair p = Pair.of(g)) {
            p.ca().send(msg("type", "chat", "source", p.a(), "username", "op", "value", "plain"));
            p.ca().send(msg("type", "chat", "kind", "me", "value", "waves"));
            p.ca().send(msg("type", "chat", "kind", "caption", "value", "cap"));
            p.ca().send(msg("type", "chat", "noecho", true, "value", "noecho too"));
            p.ca().send(msg("type", "chat", "dest", p.b(), "value", "private"));
            p.cb().expectMatching(m -> m.path("value").asText().equals("private"));
            String n = unique("n");
            try (WsClient c = server.handshake(n)) {
                c.send(join(g, "x", "any"));
                c.expectType("joined");
                List<JsonNode> history = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    history.add(c.expect("chathistory"));
                }
                assertThat(c.expect("user").path("id").asText()).isEqualTo(n);
                assertThat(history).extracting(h -> h.path("value").asText())
                        .containsExactly("plain", "waves", "cap", "noecho too");
                JsonNode first = history.get(0);
                assertThat(first.path("source").asText()).isEqualTo(p.a());
                assertThat(first.path("username").asText()).isEqualTo("op");
                assertThat(first.path("id").asText()).hasSize(11);
                assertThat(first.path("time").asText()).matches(RFC3339_SECONDS);
                assertThat(history.get(1).path("kind").asText()).isEqualTo("me");
                for (JsonNode h : history) {
                    assertThat(h.has("privileged")).isFalse();
                    assertThat(h.has("dest")).isFalse();
                    assertThat(h.has("noecho")).isFalse();
                }
            }
        }
    }

    @Test
    void C7_privateMessageGoesOnlyToDestWithoutEcho() {
        String g = group();
        String t = unique("t");
        try (Pair p = Pair.of(g); WsClient third = Proto.joined(server, t, join(g, "x", "any"))) {
            p.ca().expectMatching(m -> isUser(m, "add", t));
            p.ca().send(msg("type", "chat", "dest", p.b(), "noecho", false, "value", "for bob"));
            assertThat(p.cb().expectType("chat").path("value").asText()).isEqualTo("for bob");
            assertThat(p.ca().drain(SHORT)).noneMatch(m -> isType(m, "chat", null));
            assertThat(third.drain(Proto.SHORT)).noneMatch(m -> isType(m, "chat", null));
        }
    }

    @Test
    void C7_unknownDestIsUserUnknown() {
        String g = group();
        try (Pair p = Pair.of(g)) {
            p.ca().send(msg("type", "chat", "dest", "nobody", "value", "x"));
            assertThat(Proto.nextError(p.ca())).isEqualTo("user unknown");
            p.ca().send(msg("type", "usermessage", "kind", "info", "dest", "nobody", "value", "x"));
            assertThat(Proto.nextError(p.ca())).isEqualTo("user unknown");
            assertThat(p.ca().isClosed()).isFalse();
        }
    }

    @Test
    void C9_historyKeepsTheLast50() {
        String g = group();
        try (Pair p = Pair.of(g)) {
            for (int i = 1; i <= 55; i++) {
                p.ca().send(msg("type", "chat", "value", "m" + i));
            }
            p.cb().expectMatching(m -> m.path("value").asText().equals("m55"));
            String n = unique("n");
            try (WsClient c = server.handshake(n)) {
                c.send(join(g, "x", "any"));
                c.expectType("joined");
                List<String> values = new ArrayList<>();
                JsonNode m;
                while ((m = c.next()).path("type").asText().equals("chathistory")) {
                    values.add(m.path("value").asText());
                }
                assertThat(values).hasSize(50);
                assertThat(values.get(0)).isEqualTo("m6");
                assertThat(values.get(49)).isEqualTo("m55");
            }
        }
    }

    @Test
    void C10_entriesOlderThanMaxHistoryAgeAreDropped() throws Exception {
        String g = group("\"max-history-age\": 1");
        try (Pair p = Pair.of(g)) {
            p.ca().send(msg("type", "chat", "value", "old"));
            p.cb().expectType("chat");
            Thread.sleep(2100);
            p.ca().send(msg("type", "chat", "value", "fresh"));
            p.cb().expectType("chat");
            String n = unique("n");
            try (WsClient c = server.handshake(n)) {
                c.send(join(g, "x", "any"));
                c.expectType("joined");
                assertThat(c.expect("chathistory").path("value").asText()).isEqualTo("fresh");
                assertThat(c.expect("user").path("id").asText()).isEqualTo(n);
            }
        }
    }

    @Test
    void C11_G6_historyIsNeverWrittenToDiskButSurvivesRejoin() throws IOException {
        String g = group();
        String secret = "history-marker-" + unique("z");
        try (Pair p = Pair.of(g)) {
            p.ca().send(msg("type", "chat", "value", secret));
            p.cb().expectType("chat");
        }
        Path root = server.files().groups().getParent();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain(secret);
            }
        }
        String n = unique("n");
        try (WsClient c = server.handshake(n)) {
            c.send(join(g, "x", "any"));
            c.expectType("joined");
            assertThat(c.expect("chathistory").path("value").asText()).isEqualTo(secret);
        }
    }

    @Test
    void C12_privateChatToSelfIsDelivered() {
        String g = group();
        try (Pair p = Pair.of(g)) {
            p.cb().send(msg("type", "chat", "dest", p.b(), "value", "note to self"));
            JsonNode chat = p.cb().expectType("chat");
            assertThat(chat.path("value").asText()).isEqualTo("note to self");
            assertThat(p.ca().drain(SHORT)).noneMatch(m -> isType(m, "chat", null));
        }
    }

    @Test
    void C12_arbitraryKindsNeedOnlyMessageAndAreForwardedVerbatim() {
        String g = group();
        String w = unique("w");
        try (Pair p = Pair.of(g); WsClient plain = Proto.joined(server, w, join(g, "x", "any"))) {
            plain.send(msg("type", "chat", "kind", "Weird-Kind", "value", "x"));
            assertThat(p.cb().expectType("chat").path("kind").asText()).isEqualTo("Weird-Kind");
        }
    }

    @Test
    void M1_usermessageIsForwardedWithTimeAndPrivilegedButNoId() {
        String g = group();
        try (Pair p = Pair.of(g)) {
            p.ca().send(msg("type", "usermessage", "kind", "info", "source", p.a(), "dest", p.b(), "value", "hello"));
            JsonNode um = p.cb().expectType("usermessage");
            assertThat(um.path("kind").asText()).isEqualTo("info");
            assertThat(um.path("source").asText()).isEqualTo(p.a());
            assertThat(um.path("dest").asText()).isEqualTo(p.b());
            assertThat(um.path("privileged").asBoolean()).isTrue();
            assertThat(um.path("time").asText()).matches(RFC3339_SECONDS);
            assertThat(um.has("id")).isFalse();
            p.ca().send(msg("type", "usermessage", "kind", "info", "value", "broadcast"));
            JsonNode b = p.cb().expectType("usermessage");
            assertThat(b.has("id")).isFalse();
            assertThat(p.ca().expectType("usermessage").path("value").asText()).isEqualTo("broadcast");
        }
    }

    @Test
    void M1_usermessageNeedsMessageEvenForCaptionKind() {
        String g = group();
        String c = unique("cap");
        try (Pair p = Pair.of(g); WsClient cap = Proto.joined(server, c, join(g, "cap", "cap"))) {
            cap.send(msg("type", "usermessage", "kind", "caption", "value", "x"));
            assertThat(Proto.nextError(cap)).isEqualTo("not authorised");
            assertThat(p.cb().drain(SHORT)).noneMatch(m -> isType(m, "usermessage", "caption"));
        }
    }

    @Test
    void M1_usermessagesAreNeverStoredInHistory() {
        String g = group();
        try (Pair p = Pair.of(g)) {
            p.ca().send(msg("type", "usermessage", "kind", "info", "value", "ephemeral"));
            p.cb().expectType("usermessage");
            String n = unique("n");
            try (WsClient c = server.handshake(n)) {
                c.send(join(g, "x", "any"));
                c.expectType("joined");
                assertThat(c.expect("user").path("id").asText()).isEqualTo(n);
            }
        }
    }

    @Test
    void M2_muteAllIsForwardedAsIsWithNoecho() {
        String g = group();
        try (Pair p = Pair.of(g)) {
            p.ca().send(msg("type", "usermessage", "kind", "mute", "noecho", true, "value", null));
            JsonNode mute = p.cb().expectType("usermessage");
            assertThat(mute.path("kind").asText()).isEqualTo("mute");
            assertThat(mute.path("privileged").asBoolean()).isTrue();
            p.ca().send(msg("type", "ping"));
            p.ca().expectType("pong");
            assertThat(p.ca().skipped()).noneMatch(m -> isType(m, "usermessage", "mute"));
        }
    }

    @Test
    void M2_nonOpCanSendAnyKindButUnprivileged() {
        String g = group();
        try (Pair p = Pair.of(g)) {
            p.cb().send(msg("type", "usermessage", "kind", "kicked", "dest", p.a(), "value", "fake"));
            JsonNode m = p.ca().expectType("usermessage");
            assertThat(m.path("kind").asText()).isEqualTo("kicked");
            assertThat(m.has("privileged")).isFalse();
            assertThat(p.ca().isClosed()).isFalse();
        }
    }
}
