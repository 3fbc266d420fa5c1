package dev.parley.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;

import static dev.parley.server.conformance.Proto.isType;
import static dev.parley.server.conformance.Proto.join;
import static dev.parley.server.conformance.Proto.msg;
import static dev.parley.server.conformance.Proto.obj;
import static dev.parley.server.conformance.Proto.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec D.2 and D.4 (stateful tokens written to {@code data/var/tokens.jsonl}), observed through joins. */
class StatefulTokenAuthTest {
    static final String HOUR = Instant.now().plusSeconds(3600).toString();
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(f -> {
            f.group("tg", """
                    {"auto-subgroups": true, "users": {"taken": {"password": "t", "permissions": "op"}}}""");
            f.group("other", "{}");
            f.data("var/tokens.jsonl", String.join("\n",
                    line(obj("token", "named", "group", "tg", "username", "alice", "permissions", List.of("present", "message"), "expires", HOUR)),
                    line(obj("token", "emptyname", "group", "tg", "username", "", "permissions", List.of("message"), "expires", HOUR)),
                    line(obj("token", "noname", "group", "tg", "permissions", List.of("message"), "expires", HOUR)),
                    line(obj("token", "nullperms", "group", "tg", "username", "np", "permissions", null, "expires", HOUR)),
                    line(obj("token", "Case", "group", "tg", "username", "c", "permissions", List.of(), "expires", HOUR)),
                    line(obj("token", "noexpiry", "group", "tg", "username", "x", "permissions", List.of())),
                    line(obj("token", "expired", "group", "tg", "username", "x", "expires", "2000-01-01T00:00:00Z")),
                    line(obj("token", "future", "group", "tg", "username", "x", "expires", HOUR,
                            "not-before", Instant.now().plusSeconds(600).toString())),
                    line(obj("token", "started", "group", "tg", "username", "x", "expires", HOUR,
                            "not-before", "2000-01-01T00:00:00Z")),
                    line(obj("token", "flat", "group", "tg", "username", "x", "expires", HOUR)),
                    line(obj("token", "hier", "group", "tg", "includeSubgroups", true, "username", "h", "expires", HOUR)),
                    line(obj("token", "root", "group", "", "includeSubgroups", true, "username", "r", "expires", HOUR)),
                    line(obj("token", "rootflat", "group", "", "username", "r", "expires", HOUR))) + "\n");
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String line(ObjectNode o) {
        return Json.write(o);
    }

    /** "joined:<username>:<permissions>", or "fail:<value>[:<error>]". */
    static String outcome(TestServer s, String group, String token, String username, String password) {
        String id = unique("c");
        try (WsClient c = s.handshake(id)) {
            ObjectNode m = obj("type", "join", "kind", "join", "group", group, "token", token);
            if (username != null) {
                m.put("username", username);
            }
            if (password != null) {
                m.put("password", password);
            }
            JsonNode r = Proto.joinReply(c, Json.write(m));
            if (r.path("kind").asText().equals("join")) {
                return "joined:" + r.path("username").asText() + ":" + String.join(",", Proto.strings(r.path("permissions")));
            }
            return "fail:" + r.path("value").asText() + (r.has("error") ? ":" + r.path("error").asText() : "");
        }
    }

    private static String outcome(String group, String token, String username) {
        return outcome(server, group, token, username, null);
    }

    @Test
    void D8_D9_D11_tokenUsernameWinsAndPasswordIsIgnored() {
        assertThat(outcome("tg", "named", null)).isEqualTo("joined:alice:present,message");
        assertThat(outcome(server, "tg", "named", "mallory", "wrong")).isEqualTo("joined:alice:present,message");
        assertThat(outcome("tg", "named", "taken")).as("non-empty token username ignores the client's")
                .isEqualTo("joined:alice:present,message");
    }

    @Test
    void D8_unknownTokenIsNotAuthorised() {
        assertThat(outcome("tg", "no-such-token", "x")).isEqualTo("fail:not authorised");
    }

    @Test
    void D11_namesAreCaseSensitive() {
        assertThat(outcome("tg", "Case", null)).isEqualTo("joined:c:");
        assertThat(outcome("tg", "case", null)).isEqualTo("fail:not authorised");
        assertThat(outcome("tg", "NAMED", null)).isEqualTo("fail:not authorised");
    }

    @Test
    void D9_D10_emptyUsernameTokenUsesTheClientsOrEmpty() {
        assertThat(outcome("tg", "emptyname", "bob")).isEqualTo("joined:bob:message");
        assertThat(outcome("tg", "emptyname", null)).isEqualTo("joined::message");
        assertThat(outcome("tg", "emptyname", "taken"))
                .isEqualTo("fail:not authorised: this username is taken:duplicate-username");
    }

    @Test
    void D10_J7_tokenWithoutUsernameFieldNeedsAClientUsername() {
        assertThat(outcome("tg", "noname", null)).isEqualTo("fail:username required:need-username");
        assertThat(outcome("tg", "noname", "zoe")).isEqualTo("joined:zoe:message");
        assertThat(outcome("tg", "noname", "")).as("\"\" counts as sent").isEqualTo("joined::message");
        assertThat(outcome("tg", "noname", "taken"))
                .isEqualTo("fail:not authorised: this username is taken:duplicate-username");
    }

    @Test
    void J6_J7_needUsernameReplyShape() {
        try (WsClient c = server.handshake(unique("c"))) {
            JsonNode r = Proto.joinReply(c, Proto.tokenJoin("tg", "noname"));
            assertThat(r).isEqualTo(obj("type", "joined", "kind", "fail", "group", "tg", "username", "",
                    "value", "username required", "error", "need-username"));
            assertThat(c.isClosed()).isFalse();
        }
    }

    @Test
    void P5_D17_nullPermissionsMeansNone() {
        assertThat(outcome("tg", "nullperms", null)).isEqualTo("joined:np:");
    }

    @Test
    void D19_expiryIsRequiredAndChecked() {
        assertThat(outcome("tg", "noexpiry", null)).isEqualTo("fail:not authorised");
        assertThat(outcome("tg", "expired", null)).isEqualTo("fail:not authorised");
    }

    @Test
    void D19_notBefore() {
        assertThat(outcome("tg", "future", null)).isEqualTo("fail:not authorised");
        assertThat(outcome("tg", "started", null)).isEqualTo("joined:x:");
    }

    @Test
    void D19_groupMatching() {
        assertThat(outcome("tg", "flat", null)).isEqualTo("joined:x:");
        assertThat(outcome("tg/sub", "flat", null)).isEqualTo("fail:not authorised");
        assertThat(outcome("other", "flat", null)).isEqualTo("fail:not authorised");
        assertThat(outcome("tg/sub", "hier", null)).isEqualTo("joined:h:");
        assertThat(outcome("tg/sub/deeper", "hier", null)).isEqualTo("joined:h:");
        assertThat(outcome("tg", "hier", null)).isEqualTo("joined:h:");
        assertThat(outcome("other", "hier", null)).isEqualTo("fail:not authorised");
        assertThat(outcome("other", "root", null)).isEqualTo("joined:r:");
        assertThat(outcome("tg/sub", "root", null)).isEqualTo("joined:r:");
        assertThat(outcome("other", "rootflat", null)).isEqualTo("fail:not authorised");
    }

    @Test
    void D18_externalAppendsTakeEffect() throws IOException {
        String name = unique("ext");
        assertThat(outcome("tg", name, null)).isEqualTo("fail:not authorised");
        Files.writeString(server.files().data().resolve("var/tokens.jsonl"),
                line(obj("token", name, "group", "tg", "username", "late", "expires", HOUR)) + "\n",
                StandardOpenOption.APPEND);
        assertThat(outcome("tg", name, null)).isEqualTo("joined:late:");
    }

    @Test
    void D18_parseErrorAnywhereFailsEveryLookupAndMissingFileMeansNoTokens() throws Exception {
        try (TestServer s = TestServer.start(f -> {
            f.group("tg", "{}");
            f.data("var/tokens.jsonl", line(obj("token", "good", "group", "tg", "username", "g", "expires", HOUR)) + "\n");
        })) {
            Path file = s.files().data().resolve("var/tokens.jsonl");
            assertThat(outcome(s, "tg", "good", null, null)).isEqualTo("joined:g:");
            Files.writeString(file, "{broken\n", StandardOpenOption.APPEND);
            assertThat(outcome(s, "tg", "good", null, null)).isEqualTo("fail:not authorised");
            Files.delete(file);
            assertThat(outcome(s, "tg", "good", null, null)).isEqualTo("fail:not authorised");
        }
    }

    @Test
    void D17_T4_createdFileIsPrivate() throws Exception {
        try (TestServer s = TestServer.start(f -> f.group("tg", "{\"users\": {\"op\": {\"password\": \"op\", \"permissions\": \"op\"}}}"))) {
            String id = unique("c");
            String name;
            try (WsClient c = Proto.joined(s, id, join("tg", "op", "op"))) {
                c.send(msg("type", "groupaction", "kind", "maketoken", "value", obj("group", "tg", "expires", 60_000,
                        "username", "")));
                JsonNode reply = c.expectMatching(m -> isType(m, "usermessage", "token"));
                assertThat(reply.has("error")).isFalse();
                name = reply.path("value").path("token").asText();
            }
            Path file = s.files().data().resolve("var/tokens.jsonl");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
            JsonNode stored = Json.parse(Files.readAllLines(file).getFirst());
            assertThat(stored.path("token").asText()).isEqualTo(name);
            assertThat(stored.path("group").asText()).isEqualTo("tg");
            assertThat(stored.has("username")).isTrue();
            assertThat(stored.path("issuedBy").asText()).isEqualTo("op");
            assertThat(outcome(s, "tg", name, "newcomer", null)).isEqualTo("joined:newcomer:");
        }
    }
}
