package dev.parley.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static dev.parley.server.conformance.Proto.isType;
import static dev.parley.server.conformance.Proto.join;
import static dev.parley.server.conformance.Proto.msg;
import static dev.parley.server.conformance.Proto.obj;
import static dev.parley.server.conformance.Proto.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec C.6 (permissions), observed through joins and the actions each permission grants. */
class PermissionTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<String> permissionsOf(String groupJson, String user) {
        String g = unique("perm");
        Proto.writeGroup(server, g, groupJson);
        String id = unique("c");
        try (WsClient c = server.handshake(id)) {
            return Proto.strings(Proto.joinOk(c, id, join(g, user, "pw")).path("permissions"));
        }
    }

    private static String single(String permissions, String extra) {
        return "{%s\"users\": {\"u\": {\"password\": \"pw\", \"permissions\": %s}}}"
                .formatted(extra.isEmpty() ? "" : extra + ",", permissions);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "op|op,present,message,caption,token",
            "present|present,message",
            "message|message",
            "observe|",
            "caption|caption",
            "admin|admin",
    })
    void P1_P2_namedSetsExpand(String name, String expected) {
        List<String> want = expected == null ? List.of() : Arrays.asList(expected.split(","));
        assertThat(permissionsOf(single("\"" + name + "\"", ""), "u")).containsExactlyElementsOf(want);
    }

    @Test
    void P2_unknownNamedSetMakesTheDescriptionInvalid() {
        String g = unique("perm");
        Proto.writeGroup(server, g, single("\"superuser\"", ""));
        try (WsClient c = server.handshake(unique("c"))) {
            assertThat(Proto.joinReply(c, join(g, "u", "pw")).path("value").asText()).isEqualTo("internal server error");
        }
    }

    @Test
    void P3_allowRecordingPrependsRecordToOpSets() {
        assertThat(permissionsOf(single("\"op\"", "\"allow-recording\": true"), "u"))
                .containsExactly("record", "op", "present", "message", "caption", "token");
        assertThat(permissionsOf(single("\"present\"", "\"allow-recording\": true"), "u"))
                .containsExactly("present", "message");
    }

    @Test
    void P3_unrestrictedTokensPrependsTokenToPresentSets() {
        assertThat(permissionsOf(single("\"present\"", "\"unrestricted-tokens\": true"), "u"))
                .containsExactly("token", "present", "message");
        assertThat(permissionsOf(single("\"op\"", "\"unrestricted-tokens\": true"), "u"))
                .containsExactly("op", "present", "message", "caption", "token");
        assertThat(permissionsOf(single("\"message\"", "\"unrestricted-tokens\": true"), "u"))
                .containsExactly("message");
    }

    @Test
    void P3_P4_wildcardUserGetsAugmentationsToo() {
        String json = "{\"allow-recording\": true, \"wildcard-user\": {\"password\": \"pw\", \"permissions\": \"op\"}}";
        assertThat(permissionsOf(json, "anyone")).containsExactly("record", "op", "present", "message", "caption", "token");
    }

    @Test
    void P4_arraysAreVerbatimWithoutAugmentation() {
        assertThat(permissionsOf(single("[\"present\"]", "\"allow-recording\": true, \"unrestricted-tokens\": true"), "u"))
                .containsExactly("present");
        assertThat(permissionsOf(single("[\"op\", \"message\"]", "\"allow-recording\": true"), "u"))
                .containsExactly("op", "message");
        assertThat(permissionsOf(single("[]", ""), "u")).isEmpty();
    }

    @Test
    void P5_P6_presentWithoutMessageCannotChat() {
        String g = unique("perm");
        Proto.writeGroup(server, g, single("[\"present\"]", ""));
        String id = unique("c");
        try (WsClient c = Proto.joined(server, id, join(g, "u", "pw"))) {
            c.send(msg("type", "chat", "value", "x"));
            assertThat(Proto.nextError(c)).isEqualTo("not authorised");
        }
    }

    @Test
    void P6_opWithoutTokenCannotListTokensAndTokenAloneCanMakeThem() {
        String g = unique("perm");
        Proto.writeGroup(server, g, """
                {"users": {"o": {"password": "pw", "permissions": ["op"]},
                           "t": {"password": "pw", "permissions": ["token"]}}}""");
        try (WsClient o = Proto.joined(server, unique("c"), join(g, "o", "pw"))) {
            o.send(msg("type", "groupaction", "kind", "listtokens"));
            assertThat(o.expectMatching(m -> isType(m, "usermessage", "tokenlist")).path("error").asText())
                    .isEqualTo("not-authorised");
            // op alone still moderates
            o.send(msg("type", "groupaction", "kind", "setdata", "value", obj("x", 1)));
            o.expectMatching(m -> isType(m, "joined", "change"));
        }
        try (WsClient t = Proto.joined(server, unique("c"), join(g, "t", "pw"))) {
            t.send(msg("type", "groupaction", "kind", "maketoken", "value", obj("group", g, "expires", 1000)));
            JsonNode reply = t.expectMatching(m -> isType(m, "usermessage", "token"));
            assertThat(reply.has("error")).isFalse();
            t.send(msg("type", "groupaction", "kind", "lock"));
            assertThat(Proto.nextError(t)).isEqualTo("not authorised");
        }
    }

    @Test
    void P6_receivingNeedsNoPermission() {
        String g = unique("perm");
        Proto.writeGroup(server, g, single("\"observe\"", ""));
        String id = unique("c");
        try (WsClient c = Proto.joined(server, id, join(g, "u", "pw"))) {
            c.send(msg("type", "request", "request", obj("", List.of("audio", "video"))));
            c.send(msg("type", "ping"));
            c.expectType("pong");
            assertThat(c.skipped()).noneMatch(m -> isType(m, "usermessage", "error"));
        }
    }
}
