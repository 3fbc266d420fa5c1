package dev.parley.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Json;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.parley.server.conformance.Proto.isType;
import static dev.parley.server.conformance.Proto.join;
import static dev.parley.server.conformance.Proto.msg;
import static dev.parley.server.conformance.Proto.obj;
import static dev.parley.server.conformance.Proto.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec B.13 (tokens over the protocol) and GA9. */
class TokenProtocolTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** op/op (op: includes token), bob/bob (present), tok/tok (["token","present","message"]), taken/x. */
    private static String group() {
        String name = unique("tk");
        Proto.writeGroup(server, name, """
                {"users": {"op": {"password": "op", "permissions": "op"},
                           "bob": {"password": "bob", "permissions": "present"},
                           "tok": {"password": "tok", "permissions": ["token", "present", "message"]},
                           "taken": {"password": "x", "permissions": "message"}}}
                """);
        return name;
    }

    private static Path tokensFile() {
        return server.files().data().resolve("var/tokens.jsonl");
    }

    private static void appendToken(JsonNode token) throws IOException {
        Files.createDirectories(tokensFile().getParent());
        Files.writeString(tokensFile(), Json.write(token) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static JsonNode action(WsClient c, String kind, Object value) {
        c.send(msg("type", "groupaction", "kind", kind, "value", value));
        return c.expectMatching(m -> isType(m, "usermessage", kind.equals("listtokens") ? "tokenlist" : "token"));
    }

    private static void assertFailure(JsonNode reply, String error, String text) {
        assertThat(reply.path("error").asText()).isEqualTo(error);
        assertThat(reply.path("value").asText()).isEqualTo(text);
        assertThat(reply.path("privileged").asBoolean()).isTrue();
        assertThat(reply.has("dest")).isFalse();
    }

    @Test
    void T1_T4_T9_maketokenSuccess() throws IOException {
        String g = group();
        String id = unique("c");
        try (WsClient c = Proto.joined(server, id, join(g, "op", "op"))) {
            JsonNode reply = action(c, "maketoken", obj("group", g, "expires", 86_400_000,
                    "permissions", List.of("present", "message"), "includeSubgroups", true));
            assertThat(reply.has("error")).isFalse();
            assertThat(reply.has("dest")).isFalse();
            assertThat(reply.path("privileged").asBoolean()).isTrue();
            JsonNode t = reply.path("value");
            assertThat(t.path("token").asText()).matches("[A-Za-z0-9_-]{11}");
            assertThat(t.path("group").asText()).isEqualTo(g);
            assertThat(t.has("includeSubgroups")).as("T9").isFalse();
            assertThat(t.has("username")).isFalse();
            assertThat(Proto.strings(t.path("permissions"))).containsExactly("present", "message");
            assertThat(t.path("issuedBy").asText()).isEqualTo("op");
            Instant expires = Instant.parse(t.path("expires").asText());
            assertThat(expires).isBetween(Instant.now().plus(Duration.ofHours(23)), Instant.now().plus(Duration.ofHours(25)));
            Instant issuedAt = Instant.parse(t.path("issuedAt").asText());
            assertThat(issuedAt).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
            assertThat(t.path("issuedAt").asText()).endsWith("Z");
            assertThat(Files.readString(tokensFile())).contains(t.path("token").asText());
            // the token works
            String other = unique("t");
            try (WsClient u = server.handshake(other)) {
                JsonNode joined = Proto.joinOk(u, other, msg("type", "join", "kind", "join", "group", g,
                        "username", "guest", "token", t.path("token").asText()));
                assertThat(joined.path("username").asText()).isEqualTo("guest");
                assertThat(Proto.strings(joined.path("permissions"))).containsExactly("present", "message");
            }
            // T9: not valid for a subgroup, even one that exists and admits a hierarchical token of g
            String sub = g + "/sub";
            Proto.writeGroup(server, sub, """
                    {"users": {"op": {"password": "op", "permissions": "op"}}}
                    """);
            String hierarchical = unique("hier");
            appendToken(obj("token", hierarchical, "group", g, "includeSubgroups", true,
                    "permissions", List.of("present"), "expires", Instant.now().plusSeconds(3600).toString()));
            assertThat(subgroupJoin(sub, hierarchical).path("kind").asText())
                    .as("control: the subgroup exists and takes a hierarchical token of its parent").isEqualTo("join");
            JsonNode refused = subgroupJoin(sub, t.path("token").asText());
            assertThat(refused.path("kind").asText()).as("T9").isEqualTo("fail");
            assertThat(refused.path("value").asText()).isEqualTo("not authorised");
        }
    }

    private static JsonNode subgroupJoin(String subgroup, String token) {
        try (WsClient u = server.handshake(unique("t"))) {
            return Proto.joinReply(u, msg("type", "join", "kind", "join", "group", subgroup,
                    "username", "guest", "token", token));
        }
    }

    @Test
    void T1_repliesGoOnlyToTheRequester() {
        String g = group();
        String b = unique("b");
        try (WsClient c = Proto.joined(server, unique("c"), join(g, "op", "op"));
             WsClient other = Proto.joined(server, b, join(g, "bob", "bob"))) {
            c.expectMatching(m -> Proto.isUser(m, "add", b));
            action(c, "maketoken", obj("group", g, "expires", 1000));
            action(c, "listtokens", null);
            action(c, "edittoken", obj("token", "missing", "expires", 1000));
            assertThat(other.drain(Proto.SHORT)).noneMatch(m -> isType(m, "usermessage", null));
        }
    }

    @Test
    void T2_T4_maketokenWithAbsoluteTimesAndNullPermissions() {
        String g = group();
        try (WsClient c = Proto.joined(server, unique("c"), join(g, "op", "op"))) {
            String exp = Instant.now().plus(Duration.ofDays(2)).toString();
            JsonNode t = action(c, "maketoken", obj("group", g, "expires", exp, "not-before", -60_000, "username", "fred")).path("value");
            assertThat(Instant.parse(t.path("expires").asText())).isEqualTo(Instant.parse(exp));
            assertThat(Instant.parse(t.path("not-before").asText())).isBefore(Instant.now());
            assertThat(t.path("username").asText()).isEqualTo("fred");
            assertThat(t.has("permissions")).isTrue();
            assertThat(t.path("permissions").isNull()).isTrue();
        }
    }

    @Test
    void T2_P6_maketokenRequiresTokenPermission() {
        String g = group();
        try (WsClient c = Proto.joined(server, unique("c"), join(g, "bob", "bob"))) {
            assertFailure(action(c, "maketoken", obj("group", g, "expires", 1000)), "not-authorised", "not authorised");
        }
    }

    @Test
    void T2_typeErrors() {
        String g = group();
        try (WsClient c = Proto.joined(server, unique("c"), join(g, "op", "op"))) {
            assertFailure(action(c, "maketoken", "str"), "error", "bad token value");
            assertFailure(action(c, "maketoken", null), "error", "bad token value");
            assertFailure(action(c, "maketoken", obj("group", 1, "expires", 1000)), "error", "bad string value");
            assertFailure(action(c, "maketoken", obj("group", g, "username", List.of(), "expires", 1000)), "error", "bad string value");
            assertFailure(action(c, "maketoken", obj("group", g, "permissions", "op", "expires", 1000)), "error", "bad string list");
            assertFailure(action(c, "maketoken", obj("group", g, "permissions", List.of(1), "expires", 1000)), "error", "bad string list");
            assertFailure(action(c, "maketoken", obj("group", g, "expires", "tomorrow")), "error", "bad time value");
            assertFailure(action(c, "maketoken", obj("group", g, "expires", true)), "error", "bad time value");
            assertFailure(action(c, "maketoken", obj("group", g, "expires", 1000, "not-before", obj())), "error", "bad time value");
            assertThat(c.isClosed()).isFalse();
        }
    }

    @Test
    void T3_maketokenCheckOrder() {
        String g = group();
        try (WsClient c = Proto.joined(server, unique("c"), join(g, "tok", "tok"))) {
            assertFailure(action(c, "maketoken", obj("token", "mine", "group", "other")), "error", "client specified token");
            assertFailure(action(c, "maketoken", obj("group", "other", "username", "taken")), "error", "wrong group in token");
            assertFailure(action(c, "maketoken", obj("username", "taken")), "error", "wrong group in token");
            assertFailure(action(c, "maketoken", obj("group", g, "username", "taken")), "error", "token doesn't expire");
            assertFailure(action(c, "maketoken", obj("group", g, "username", "taken", "expires", 1000,
                    "permissions", List.of("op"))), "error", "that username is taken");
            assertFailure(action(c, "maketoken", obj("group", g, "expires", 1000, "permissions", List.of("op"))),
                    "not-authorised", "not authorised");
            JsonNode ok = action(c, "maketoken", obj("group", g, "expires", 1000, "permissions", List.of("token", "message")));
            assertThat(ok.has("error")).isFalse();
            assertThat(ok.path("value").path("issuedBy").asText()).isEqualTo("tok");
        }
    }

    @Test
    void T4_issuedByOmittedForEmptyUsername() {
        String g = unique("tk");
        Proto.writeGroup(server, g, "{\"wildcard-user\": {\"password\": \"p\", \"permissions\": \"op\"}}");
        try (WsClient c = Proto.joined(server, unique("c"), join(g, "", "p"))) {
            JsonNode t = action(c, "maketoken", obj("group", g, "expires", 1000)).path("value");
            assertThat(t.has("issuedBy")).isFalse();
        }
    }

    @Test
    void T5_edittokenRequiresOpAndToken() {
        String g = group();
        try (WsClient c = Proto.joined(server, unique("c"), join(g, "tok", "tok"))) {
            String name = action(c, "maketoken", obj("group", g, "expires", 60_000)).path("value").path("token").asText();
            assertFailure(action(c, "edittoken", obj("token", name, "expires", -1000)), "not-authorised", "not authorised");
            assertFailure(action(c, "listtokens", null), "not-authorised", "not authorised");
        }
        String g2 = unique("tk");
        Proto.writeGroup(server, g2, "{\"users\": {\"o\": {\"password\": \"o\", \"permissions\": [\"op\"]}}}");
        try (WsClient c = Proto.joined(server, unique("c"), join(g2, "o", "o"))) {
            assertFailure(action(c, "edittoken", obj("token", "x", "expires", -1000)), "not-authorised", "not authorised");
            assertFailure(action(c, "listtokens", null), "not-authorised", "not authorised");
            assertFailure(action(c, "maketoken", obj("group", g2, "expires", 1000)), "not-authorised", "not authorised");
        }
    }

    @Test
    void T5_onlyTimesMayBeEdited() {
        String g = group();
        try (WsClient c = Proto.joined(server, unique("c"), join(g, "op", "op"))) {
            String name = action(c, "maketoken", obj("group", g, "expires", 60_000)).path("value").path("token").asText();
            assertFailure(action(c, "edittoken", obj("token", name, "group", g)), "error", "this field cannot be edited");
            assertFailure(action(c, "edittoken", obj("token", name, "username", "")), "error", "this field cannot be edited");
            assertFailure(action(c, "edittoken", obj("token", name, "permissions", List.of())), "error", "this field cannot be edited");
            assertFailure(action(c, "edittoken", "x"), "error", "bad token value");
            JsonNode ok = action(c, "edittoken", obj("token", name, "group", "", "not-before", 0));
            assertThat(ok.has("error")).isFalse();
            assertThat(ok.path("value").has("not-before")).isTrue();
        }
    }

    @Test
    void T6_edittokenUnknownTokenAndUpdate() {
        String g = group();
        try (WsClient c = Proto.joined(server, unique("c"), join(g, "op", "op"))) {
            assertFailure(action(c, "edittoken", obj("token", "no-such-token", "expires", 1000)), "error", "file does not exist");
            JsonNode made = action(c, "maketoken", obj("group", g, "expires", 60_000)).path("value");
            String exp = Instant.now().plus(Duration.ofDays(3)).toString();
            JsonNode edited = action(c, "edittoken", obj("token", made.path("token").asText(), "expires", exp)).path("value");
            assertThat(Instant.parse(edited.path("expires").asText())).isEqualTo(Instant.parse(exp));
            assertThat(edited.path("token").asText()).isEqualTo(made.path("token").asText());
            assertThat(edited.path("issuedAt")).isEqualTo(made.path("issuedAt"));
            assertThat(edited.path("group")).isEqualTo(made.path("group"));
        }
    }

    @Test
    void T6_edittokenDoesNotCheckTheGroup() throws IOException {
        String g = group();
        String foreign = "foreign-" + unique("t");
        appendToken(obj("token", foreign, "group", "elsewhere", "expires", Instant.now().plusSeconds(3600).toString()));
        try (WsClient c = Proto.joined(server, unique("c"), join(g, "op", "op"))) {
            JsonNode reply = action(c, "edittoken", obj("token", foreign, "expires", 5000));
            assertThat(reply.has("error")).isFalse();
            assertThat(reply.path("value").path("group").asText()).isEqualTo("elsewhere");
        }
    }

    @Test
    void T7_D19_revokedTokenNoLongerAdmits() {
        String g = group();
        try (WsClient c = Proto.joined(server, unique("c"), join(g, "op", "op"))) {
            String name = action(c, "maketoken", obj("group", g, "expires", 86_400_000,
                    "permissions", List.of("message"))).path("value").path("token").asText();
            String u1 = unique("u");
            try (WsClient u = server.handshake(u1)) {
                Proto.joinOk(u, u1, msg("type", "join", "kind", "join", "group", g, "username", "x", "token", name));
            }
            JsonNode revoked = action(c, "edittoken", obj("token", name, "expires", -1000)).path("value");
            assertThat(Instant.parse(revoked.path("expires").asText())).isBefore(Instant.now());
            try (WsClient u = server.handshake(unique("u"))) {
                JsonNode r = Proto.joinReply(u, msg("type", "join", "kind", "join", "group", g, "username", "x", "token", name));
                assertThat(r.path("kind").asText()).isEqualTo("fail");
                assertThat(r.path("value").asText()).isEqualTo("not authorised");
                assertThat(r.has("error")).isFalse();
            }
        }
    }

    @Test
    void T8_listtokensFiltersByExactGroupAndSortsByExpiry() throws IOException {
        String g = group();
        String tag = unique("L");
        Instant now = Instant.now();
        appendToken(obj("token", tag + "-late", "group", g, "expires", now.plusSeconds(7200).toString()));
        appendToken(obj("token", tag + "-none", "group", g));
        appendToken(obj("token", tag + "-early", "group", g, "expires", now.plusSeconds(60).toString()));
        appendToken(obj("token", tag + "-sub", "group", g + "/sub", "expires", now.plusSeconds(60).toString()));
        appendToken(obj("token", tag + "-hier", "group", "", "includeSubgroups", true,
                "expires", now.plusSeconds(60).toString()));
        try (WsClient c = Proto.joined(server, unique("c"), join(g, "op", "op"))) {
            JsonNode made = action(c, "maketoken", obj("group", g, "expires", 3_600_000)).path("value");
            JsonNode reply = action(c, "listtokens", null);
            assertThat(reply.has("error")).isFalse();
            assertThat(reply.path("privileged").asBoolean()).isTrue();
            assertThat(reply.path("value").isArray()).isTrue();
            assertThat(Proto.strings(reply.path("value").findValues("token").stream()
                    .collect(Json.MAPPER.getNodeFactory()::arrayNode, (a, n) -> a.add(n), (a, b) -> a.addAll(b))))
                    .containsExactly(tag + "-none", tag + "-early", made.path("token").asText(), tag + "-late");
        }
    }

    @Test
    void T8_listtokensWithNoTokensIsEmptyArray() {
        String g = group();
        try (WsClient c = Proto.joined(server, unique("c"), join(g, "op", "op"))) {
            JsonNode reply = action(c, "listtokens", null);
            assertThat(reply.has("error")).isFalse();
            assertThat(reply.path("value").size()).isZero();
        }
    }
}
