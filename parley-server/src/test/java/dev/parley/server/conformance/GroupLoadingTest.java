package dev.parley.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;

import static dev.parley.server.conformance.Proto.SHORT;
import static dev.parley.server.conformance.Proto.isType;
import static dev.parley.server.conformance.Proto.isUser;
import static dev.parley.server.conformance.Proto.join;
import static dev.parley.server.conformance.Proto.msg;
import static dev.parley.server.conformance.Proto.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec C.1–C.5: naming, loading, subgroups, join checks, autolock/autokick, description fields. */
class GroupLoadingTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static final String USERS = """
            "users": {"op": {"password": "op", "permissions": "op"},
                      "bob": {"password": "bob", "permissions": "present"}},
            "wildcard-user": {"password": "any", "permissions": "message"}""";

    private static String group(String extra) {
        return Proto.standardGroup(server, extra);
    }

    private static String failure(String g, String user, String password) {
        try (WsClient c = server.handshake(unique("c"))) {
            JsonNode r = Proto.joinReply(c, join(g, user, password));
            return r.path("kind").asText().equals("join") ? "joined" : r.path("value").asText();
        }
    }

    private static void rewrite(String g, String json) throws InterruptedException {
        Thread.sleep(20);   // a distinct mtime even on coarse clocks; the size differs anyway
        Proto.writeGroup(server, g, json);
    }

    // ---- C.1 ----

    @Test
    void G1_validNamesWithSlashesAreAccepted() {
        String parent = unique("p");
        Proto.writeGroup(server, parent + "/child.dir/leaf", "{" + USERS + "}");
        assertThat(failure(parent + "/child.dir/leaf", "op", "op")).isEqualTo("joined");
        assertThat(failure(parent + "/child.dir/./leaf", "op", "op")).isEqualTo("illegal group name");
        assertThat(failure(parent + "/child.dir/leaf/", "op", "op")).isEqualTo("illegal group name");
    }

    @Test
    void G2_descriptionFileDoesNotContainTheNameAndMissingFileMeansNoGroup() {
        String g = unique("nofile");
        assertThat(failure(g, "op", "op")).isEqualTo("group does not exist");
        Proto.writeGroup(server, g, "{" + USERS + "}");
        assertThat(failure(g, "op", "op")).isEqualTo("joined");
    }

    @Test
    void G3_unknownFieldMakesTheGroupUnusable() throws Exception {
        String g = unique("bad");
        Proto.writeGroup(server, g, "{\"frobnicate\": true, " + USERS + "}");
        assertThat(failure(g, "op", "op")).isEqualTo("internal server error");
        assertThat(failure(g, "op", "wrong")).isEqualTo("internal server error");
        HttpResponse<String> status = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.http("/group/" + g + "/.status")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).isEqualTo(500);
    }

    @Test
    void G3_malformedJsonAndWrongTypesMakeTheGroupUnusable() {
        String g1 = unique("bad");
        Proto.writeGroup(server, g1, "{\"users\": ");
        assertThat(failure(g1, "op", "op")).isEqualTo("internal server error");
        String g2 = unique("bad");
        Proto.writeGroup(server, g2, "{\"max-clients\": \"ten\", " + USERS + "}");
        assertThat(failure(g2, "op", "op")).isEqualTo("internal server error");
        String g3 = unique("bad");
        Proto.writeGroup(server, g3, "{\"users\": {\"x\": {\"password\": \"x\", \"permissions\": \"superuser\"}}}");
        assertThat(failure(g3, "x", "x")).isEqualTo("internal server error");
    }

    @Test
    void G4_G18_reloadKeepsMembersAndDeletionMakesTheGroupVanishOnceEmpty() throws Exception {
        String g = group("");
        String id = unique("c");
        try (WsClient c = Proto.joined(server, id, join(g, "bob", "bob"))) {
            rewrite(g, "{\"users\": {\"op\": {\"password\": \"op\", \"permissions\": \"op\"}}}");
            assertThat(failure(g, "bob", "bob")).isEqualTo("not authorised");
            JsonNode ch = c.expectMatching(m -> isType(m, "joined", "change"));
            assertThat(Proto.strings(ch.path("permissions"))).as("G7").containsExactly("present", "message");
            c.send(msg("type", "chat", "value", "still a member"));
            assertThat(c.expectType("chat").path("value").asText()).isEqualTo("still a member");
            Files.delete(server.files().groups().resolve(g + ".json"));
            assertThat(failure(g, "op", "op")).isEqualTo("group does not exist");
            assertThat(c.isClosed()).isFalse();
        }
        assertThat(failure(g, "op", "op")).isEqualTo("group does not exist");
        assertThat(server.server().context().groups().getLoaded(g)).isNull();
    }

    @Test
    void G6_G18_lockHistoryAndDataSurviveAReload() throws Exception {
        String g = group("");
        String id = unique("c");
        try (WsClient op = Proto.joined(server, id, join(g, "op", "op"))) {
            op.send(msg("type", "chat", "value", "remember me"));
            op.send(msg("type", "groupaction", "kind", "setdata", "value", Proto.obj("k", 1)));
            op.send(msg("type", "groupaction", "kind", "lock", "value", "locked!"));
            op.expectMatching(m -> m.path("status").path("locked").asBoolean());
            rewrite(g, "{\"displayName\": \"reloaded\", " + USERS + "}");
            assertThat(failure(g, "bob", "bob")).isEqualTo("locked!");
            JsonNode ch = op.expectMatching(m -> isType(m, "joined", "change")
                    && m.path("status").path("displayName").asText().equals("reloaded"));
            assertThat(ch.path("status").path("locked").asBoolean()).isTrue();
            assertThat(ch.path("data")).isEqualTo(Proto.obj("k", 1));
            String n = unique("n");
            try (WsClient c = server.handshake(n)) {
                Proto.joinReply(c, join(g, "op", "op"));
                assertThat(c.expect("chathistory").path("value").asText()).isEqualTo("remember me");
            }
        }
    }

    @Test
    void G7_permissionsAreComputedAtJoinTime() throws Exception {
        String g = group("");
        String id = unique("c");
        try (WsClient c = Proto.joined(server, id, join(g, "bob", "bob"))) {
            rewrite(g, """
                    {"users": {"bob": {"password": "bob", "permissions": "observe"}}}""");
            assertThat(failure(g, "x", "x")).isEqualTo("not authorised");
            c.expectMatching(m -> isType(m, "joined", "change"));
            c.send(msg("type", "chat", "value", "can still chat"));
            assertThat(c.expectType("chat").path("value").asText()).isEqualTo("can still chat");
            String n = unique("n");
            try (WsClient d = server.handshake(n)) {
                assertThat(Proto.joinOk(d, n, join(g, "bob", "bob")).has("permissions")).isFalse();
            }
        }
    }

    // ---- C.2 ----

    @Test
    void G8_autoSubgroupsCopyTheParentExceptPublicAndDescription() throws Exception {
        String g = unique("auto");
        Proto.writeGroup(server, g, "{\"auto-subgroups\": true, \"public\": true, \"displayName\": \"Parent\", "
                + "\"description\": \"parent only\", " + USERS + "}");
        String id = unique("c");
        try (WsClient c = server.handshake(id)) {
            JsonNode r = Proto.joinOk(c, id, join(g + "/sub/deep", "bob", "bob"));
            JsonNode st = r.path("status");
            assertThat(st.path("name").asText()).isEqualTo(g + "/sub/deep");
            assertThat(st.path("displayName").asText()).isEqualTo("Parent");
            assertThat(st.has("description")).isFalse();
            assertThat(Proto.strings(r.path("permissions"))).containsExactly("present", "message");
        }
        HttpResponse<String> pub = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.http("/public-groups.json")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(pub.body()).doesNotContain(g + "/sub");
    }

    @Test
    void G8_subgroupsHaveTheirOwnMembersLockHistoryAndData() {
        String g = group("\"auto-subgroups\": true");
        String a = unique("a");
        String b = unique("b");
        try (WsClient parent = Proto.joined(server, a, join(g, "op", "op"));
             WsClient sub = Proto.joined(server, b, join(g + "/s", "op", "op"))) {
            parent.send(msg("type", "chat", "value", "parent chat"));
            parent.send(msg("type", "groupaction", "kind", "lock"));
            parent.send(msg("type", "groupaction", "kind", "setdata", "value", Proto.obj("p", 1)));
            parent.expectMatching(m -> isType(m, "joined", "change") && m.has("data"));
            assertThat(sub.drain(SHORT)).isEmpty();
            assertThat(failure(g + "/s", "bob", "bob")).isEqualTo("joined");
            assertThat(failure(g, "bob", "bob")).isEqualTo("this group is locked");
            String n = unique("n");
            try (WsClient c = server.handshake(n)) {
                JsonNode r = Proto.joinOk(c, n, join(g + "/s", "x", "any"));
                assertThat(r.has("data")).isFalse();
                assertThat(r.path("status").path("clientCount").asInt()).isEqualTo(2);
                assertThat(c.skipped()).noneMatch(m -> isType(m, "chathistory", null));
            }
        }
    }

    @Test
    void G8_nearestExistingAncestorDecides() {
        String g = unique("near");
        Proto.writeGroup(server, g, "{\"auto-subgroups\": true, " + USERS + "}");
        Proto.writeGroup(server, g + "/mid", "{" + USERS + "}");
        assertThat(failure(g + "/mid/leaf", "op", "op")).isEqualTo("group does not exist");
        assertThat(failure(g + "/other/leaf", "op", "op")).isEqualTo("joined");
        String off = unique("off");
        Proto.writeGroup(server, off, "{" + USERS + "}");
        assertThat(failure(off + "/x", "op", "op")).isEqualTo("group does not exist");
    }

    @Test
    void G8_ownFileTakesPrecedenceOnceCreated() throws Exception {
        String g = group("\"auto-subgroups\": true");
        assertThat(failure(g + "/later", "bob", "bob")).isEqualTo("joined");
        Proto.writeGroup(server, g + "/later", "{\"users\": {\"zed\": {\"password\": \"zed\", \"permissions\": \"op\"}}}");
        assertThat(failure(g + "/later", "bob", "bob")).isEqualTo("not authorised");
        assertThat(failure(g + "/later", "zed", "zed")).isEqualTo("joined");
    }

    // ---- C.3 ----

    @Test
    void G10_opsBypassLockTimeWindowAutokickAndClientLimit() {
        String past = Instant.now().minusSeconds(3600).toString();
        String future = Instant.now().plusSeconds(3600).toString();
        assertThat(failure(group("\"expires\": \"" + past + "\""), "op", "op")).isEqualTo("joined");
        assertThat(failure(group("\"not-before\": \"" + future + "\""), "op", "op")).isEqualTo("joined");
        assertThat(failure(group("\"autokick\": true"), "op", "op")).isEqualTo("joined");
        assertThat(failure(group("\"autolock\": true"), "op", "op")).isEqualTo("joined");
        String full = group("\"max-clients\": 1");
        String a = unique("a");
        try (WsClient first = Proto.joined(server, a, join(full, "bob", "bob"))) {
            assertThat(failure(full, "x", "any")).isEqualTo("too many users");
            assertThat(failure(full, "op", "op")).isEqualTo("joined");
        }
    }

    @Test
    void G12_existingMembersStayWhenTheWindowCloses() throws Exception {
        String g = group("\"expires\": \"" + Instant.now().plusMillis(1500) + "\"");
        String id = unique("c");
        try (WsClient c = Proto.joined(server, id, join(g, "bob", "bob"))) {
            Thread.sleep(1700);
            assertThat(failure(g, "x", "any")).isEqualTo("this group is closed");
            c.send(msg("type", "chat", "value", "still open for me"));
            assertThat(c.expectType("chat").path("value").asText()).isEqualTo("still open for me");
        }
    }

    @Test
    void G13_G16_autokickRefusesJoinsWithoutOpsAndKicksWhenTheLastOpLeaves() {
        String g = group("\"autokick\": true");
        assertThat(failure(g, "bob", "bob")).isEqualTo("there are no operators in this group");
        String a = unique("a");
        String b = unique("b");
        WsClient op = Proto.joined(server, a, join(g, "op", "op"));
        try (WsClient member = Proto.joined(server, b, join(g, "bob", "bob"))) {
            op.send(Proto.leave(g));
            JsonNode kicked = member.expectMatching(m -> isType(m, "usermessage", "kicked"));
            assertThat(kicked.has("id")).isFalse();
            assertThat(kicked.has("username")).isFalse();
            assertThat(kicked.path("value").asText()).isEqualTo("there are no operators in this group");
            assertThat(member.awaitClose()).isEqualTo(new WsClient.Closed(1000, "kicked out (there are no operators in this group)"));
        } finally {
            op.close();
        }
    }

    @Test
    void G14_G5_clientLimitCountsMembers() {
        String g = group("\"max-clients\": 2");
        try (WsClient a = Proto.joined(server, unique("a"), join(g, "bob", "bob"));
             WsClient b = Proto.joined(server, unique("b"), join(g, "x", "any"))) {
            assertThat(failure(g, "y", "any")).isEqualTo("too many users");
        }
        String g0 = group("\"max-clients\": 0");
        try (WsClient a = Proto.joined(server, unique("a"), join(g0, "bob", "bob"));
             WsClient b = Proto.joined(server, unique("b"), join(g0, "x", "any"))) {
            assertThat(failure(g0, "y", "any")).isEqualTo("joined");
        }
    }

    @Test
    void G15_usernamesNeedNotBeUnique() {
        String g = group("");
        String a = unique("a");
        String b = unique("b");
        try (WsClient ca = Proto.joined(server, a, join(g, "bob", "bob"));
             WsClient cb = Proto.joined(server, b, join(g, "bob", "bob"))) {
            assertThat(ca.expectMatching(m -> isUser(m, "add", b)).path("username").asText()).isEqualTo("bob");
        }
    }

    // ---- C.4 ----

    @Test
    void G16_autolockStartsLockedAndRelocksWhenTheLastOpLeaves() {
        String g = group("\"autolock\": true");
        assertThat(failure(g, "bob", "bob")).isEqualTo("this group is locked");
        String a = unique("a");
        String b = unique("b");
        WsClient op = Proto.joined(server, a, join(g, "op", "op"));
        try (op) {
            assertThat(failure(g, "bob", "bob")).as("an op joining does not unlock").isEqualTo("this group is locked");
            op.send(msg("type", "groupaction", "kind", "unlock"));
            op.expectMatching(m -> isType(m, "joined", "change") && !m.path("status").has("locked"));
            try (WsClient member = Proto.joined(server, b, join(g, "bob", "bob"))) {
                op.send(Proto.leave(g));
                JsonNode ch = member.expectMatching(m -> isType(m, "joined", "change"));
                assertThat(ch.path("status").path("locked").asBoolean()).isTrue();
                assertThat(failure(g, "x", "any")).isEqualTo("this group is locked");
                assertThat(member.isClosed()).isFalse();
            }
        }
    }

    @Test
    void G16_autokickOnReloadWhenNoOpRemains() throws Exception {
        String g = group("");
        String b = unique("b");
        try (WsClient member = Proto.joined(server, b, join(g, "bob", "bob"))) {
            rewrite(g, "{\"autokick\": true, " + USERS + "}");
            failure(g, "x", "bad");
            JsonNode kicked = member.expectMatching(m -> isType(m, "usermessage", "kicked"));
            assertThat(kicked.path("value").asText()).isEqualTo("there are no operators in this group");
            assertThat(member.awaitClose().code()).isEqualTo(1000);
        }
    }

    // ---- C.5 ----

    @Test
    void DF1_everyRecognisedKeyIsAccepted() {
        String g = unique("all");
        Proto.writeGroup(server, g, """
                {"displayName": "All", "description": "d", "contact": "c", "comment": "x", "public": true,
                 "redirect": "", "max-clients": 10, "max-history-age": 100,
                 "expires": "2999-01-01T00:00:00Z", "not-before": "2000-01-01T00:00:00+01:00",
                 "allow-recording": true, "unrestricted-tokens": true, "auto-subgroups": false,
                 "autolock": false, "autokick": false,
                 "users": {"u": {"password": "p", "permissions": "present"}},
                 "wildcard-user": {"password": "w", "permissions": "observe"},
                 "authKeys": [], "authServer": "https://a.example/", "authPortal": "https://p.example/",
                 "codecs": ["vp8", "opus"]}
                """);
        String id = unique("c");
        try (WsClient c = server.handshake(id)) {
            JsonNode r = Proto.joinOk(c, id, join(g, "u", "p"));
            assertThat(Proto.strings(r.path("permissions"))).containsExactly("token", "present", "message");
            assertThat(r.path("status").path("authServer").asText()).isEqualTo("https://a.example/");
        }
    }

    @Test
    void DF2_obsoleteKeysAreConverted() {
        String g = unique("old");
        Proto.writeGroup(server, g, """
                {"allow-anonymous": true, "allow-subgroups": true,
                 "op": [{"username": "boss", "password": "b"}, {"username": "dup", "password": "first"}],
                 "presenter": [{"username": "pres", "password": "p"}, {"username": "dup", "password": "second"},
                               {"username": "nopass"}],
                 "other": [{"password": "guest"}, {"password": "ignored"}]}
                """);
        assertThat(joinedPermissions(g, "boss", "b")).containsExactly("op", "present", "message", "caption", "token");
        assertThat(joinedPermissions(g, "pres", "p")).containsExactly("present", "message");
        assertThat(joinedPermissions(g, "dup", "first")).containsExactly("op", "present", "message", "caption", "token");
        assertThat(failure(g, "dup", "second")).isEqualTo("not authorised");
        assertThat(joinedPermissions(g, "nopass", "anything at all")).containsExactly("present", "message");
        assertThat(joinedPermissions(g, "someone", "guest")).containsExactly("message");
        assertThat(failure(g, "someone", "ignored")).isEqualTo("not authorised");
        assertThat(joinedPermissions(g + "/sub", "boss", "b")).as("allow-subgroups").contains("op");
    }

    @Test
    void DF3_userWithoutPasswordNeverMatchesAndWithoutPermissionsHasNone() {
        String g = unique("df3");
        Proto.writeGroup(server, g, """
                {"users": {"nopw": {"permissions": "op"}, "noperm": {"password": "x"}}}""");
        assertThat(failure(g, "nopw", "")).isEqualTo("not authorised");
        assertThat(failure(g, "nopw", "anything")).isEqualTo("not authorised");
        String id = unique("c");
        try (WsClient c = server.handshake(id)) {
            assertThat(Proto.joinOk(c, id, join(g, "noperm", "x")).has("permissions")).isFalse();
        }
    }

    static List<String> joinedPermissions(String g, String user, String password) {
        String id = unique("c");
        try (WsClient c = server.handshake(id)) {
            return Proto.strings(Proto.joinOk(c, id, join(g, user, password)).path("permissions"));
        }
    }
}
