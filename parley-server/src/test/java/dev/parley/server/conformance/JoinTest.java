package dev.parley.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.parley.server.conformance.Proto.SHORT;
import static dev.parley.server.conformance.Proto.isType;
import static dev.parley.server.conformance.Proto.isUser;
import static dev.parley.server.conformance.Proto.join;
import static dev.parley.server.conformance.Proto.msg;
import static dev.parley.server.conformance.Proto.obj;
import static dev.parley.server.conformance.Proto.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec B.4 (join and leave) and B.5 (user messages). */
class JoinTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String group() {
        return Proto.standardGroup(server, "");
    }

    private static String group(String extra) {
        return Proto.standardGroup(server, extra);
    }

    private static void lock(WsClient op, String message) {
        op.send(msg("type", "groupaction", "kind", "lock", "value", message));
        op.expectMatching(m -> isType(m, "joined", "change"));
    }

    // ---- J1, J2, J3, J4, J5 ----

    @Test
    void J1_J11_J12_successfulJoinMessageShape() {
        String g = Proto.standardGroup(server, "\"displayName\": \"The Group\"");
        String id = unique("c");
        try (WsClient c = server.handshake(id)) {
            JsonNode joined = Proto.joinReply(c, msg("type", "join", "kind", "join", "group", g,
                    "username", "bob", "password", "bob", "data", obj("k", "v")));
            assertThat(joined.path("kind").asText()).isEqualTo("join");
            assertThat(joined.path("group").asText()).isEqualTo(g);
            assertThat(joined.path("username").asText()).isEqualTo("bob");
            assertThat(Proto.strings(joined.path("permissions"))).containsExactly("present", "message");
            assertThat(joined.path("status").path("name").asText()).isEqualTo(g);
            assertThat(joined.path("status").path("displayName").asText()).isEqualTo("The Group");
            assertThat(joined.has("rtcConfiguration")).isTrue();
            assertThat(joined.path("rtcConfiguration").isObject()).isTrue();
            assertThat(joined.has("data")).as("empty group data omitted").isFalse();
            assertThat(joined.has("value")).isFalse();
            assertThat(joined.has("error")).isFalse();
            JsonNode self = c.expect("user");
            assertThat(self).isEqualTo(obj("type", "user", "kind", "add", "id", id, "username", "bob",
                    "permissions", List.of("present", "message"), "data", obj("k", "v")));
        }
    }

    @Test
    void J2_unknownJoinKindIsProtocolError() {
        String g = group();
        try (WsClient c = server.handshake(unique("c"))) {
            c.send(msg("type", "join", "kind", "enter", "group", g, "username", "op", "password", "op"));
            assertThat(Proto.nextError(c)).isEqualTo("unknown kind");
            assertThat(c.awaitClose()).isEqualTo(new WsClient.Closed(1002, "unknown kind"));
        }
    }

    @Test
    void J2_missingJoinKindIsProtocolError() {
        String g = group();
        try (WsClient c = server.handshake(unique("c"))) {
            c.send(msg("type", "join", "group", g, "username", "op", "password", "op"));
            assertThat(Proto.nextError(c)).isEqualTo("unknown kind");
            assertThat(c.awaitClose().code()).isEqualTo(1002);
        }
    }

    @Test
    void J3_joiningASecondGroupIsProtocolError() {
        String g1 = group();
        String g2 = group();
        String id = unique("c");
        try (WsClient c = Proto.joined(server, id, join(g1, "op", "op"))) {
            c.send(join(g2, "op", "op"));
            assertThat(Proto.nextError(c)).isEqualTo("cannot join multiple groups");
            assertThat(c.awaitClose()).isEqualTo(new WsClient.Closed(1002, "cannot join multiple groups"));
        }
    }

    @Test
    void J3_joiningTheSameGroupTwiceIsProtocolError() {
        String g = group();
        String id = unique("c");
        try (WsClient c = Proto.joined(server, id, join(g, "op", "op"))) {
            c.send(join(g, "op", "op"));
            assertThat(Proto.nextError(c)).isEqualTo("cannot join multiple groups");
            assertThat(c.awaitClose().code()).isEqualTo(1002);
        }
    }

    @Test
    void J4_joinDataReplacesEarlierData() {
        String g = group();
        String id = unique("c");
        try (WsClient c = server.handshake(id); WsClient watcher = Proto.joined(server, unique("w"), join(g, "op", "op"))) {
            c.send(msg("type", "join", "kind", "join", "group", g, "username", "x", "password", "any",
                    "data", obj("first", 1)));
            c.expectType("joined");
            assertThat(c.expectMatching(m -> isUser(m, "add", id)).path("data")).isEqualTo(obj("first", 1));
            c.send(Proto.leave(g));
            c.expectMatching(m -> isType(m, "joined", "leave"));
            c.send(msg("type", "join", "kind", "join", "group", g, "username", "x", "password", "any",
                    "data", obj("second", 2)));
            c.expectType("joined");
            assertThat(c.expectMatching(m -> isUser(m, "add", id)).path("data")).isEqualTo(obj("second", 2));
            watcher.expectMatching(m -> isUser(m, "add", id));
            watcher.expectMatching(m -> isUser(m, "delete", id));
            assertThat(watcher.expectMatching(m -> isUser(m, "add", id)).path("data")).isEqualTo(obj("second", 2));
        }
    }

    @Test
    void J5_joinWithoutUsernameOrTokenIsInternalError() {
        String g = group();
        try (WsClient c = server.handshake(unique("c"))) {
            JsonNode r = Proto.joinReply(c, msg("type", "join", "kind", "join", "group", g, "password", "any"));
            assertThat(r.path("kind").asText()).isEqualTo("fail");
            assertThat(r.path("value").asText()).isEqualTo("internal server error");
            assertThat(r.has("error")).isFalse();
        }
    }

    @Test
    void J5_emptyUsernameUsesPasswordAuthorisation() {
        String g = group();
        String id = unique("c");
        try (WsClient c = server.handshake(id)) {
            JsonNode r = Proto.joinOk(c, id, join(g, "", "any"));
            assertThat(r.path("username").asText()).isEmpty();
            assertThat(Proto.strings(r.path("permissions"))).containsExactly("message");
        }
    }

    @Test
    void J5_emptyTokenFallsBackToPassword() {
        String g = group();
        String id = unique("c");
        try (WsClient c = server.handshake(id)) {
            JsonNode r = Proto.joinOk(c, id, msg("type", "join", "kind", "join", "group", g,
                    "username", "op", "password", "op", "token", ""));
            assertThat(r.path("username").asText()).isEqualTo("op");
        }
    }

    // ---- J6 – J10 ----

    @Test
    void J6_J7_J9_wrongPasswordFailsWithNoErrorIdAndExactShape() {
        String g = group();
        try (WsClient c = server.handshake(unique("c"))) {
            JsonNode r = Proto.joinReply(c, join(g, "op", "wrong"));
            assertThat(r).isEqualTo(obj("type", "joined", "kind", "fail", "group", g, "username", "",
                    "value", "not authorised"));
            assertThat(c.isClosed()).isFalse();
        }
    }

    @Test
    void J6_J26_failedClientMayRetry() {
        String g = group();
        String id = unique("c");
        try (WsClient c = server.handshake(id)) {
            assertThat(Proto.joinReply(c, join(g, "op", "wrong")).path("kind").asText()).isEqualTo("fail");
            assertThat(Proto.joinReply(c, join(unique("nonexistent"), "op", "op")).path("kind").asText()).isEqualTo("fail");
            Proto.joinOk(c, id, join(g, "op", "op"));
        }
    }

    @Test
    void J8_J9_illegalGroupNameComesFirst() {
        for (String name : List.of("", "/a", "a/", "a//b", "a/../b", "./a", "a\\b", "..")) {
            try (WsClient c = server.handshake(unique("c"))) {
                JsonNode r = Proto.joinReply(c, join(name, "op", "op"));
                assertThat(r.path("value").asText()).as(name).isEqualTo("illegal group name");
                assertThat(r.path("group").asText()).isEqualTo(name);
            }
        }
    }

    @Test
    void J8_J9_unknownGroupDoesNotExist() {
        try (WsClient c = server.handshake(unique("c"))) {
            JsonNode r = Proto.joinReply(c, join(unique("missing"), "op", "op"));
            assertThat(r.path("kind").asText()).isEqualTo("fail");
            assertThat(r.path("value").asText()).isEqualTo("group does not exist");
            assertThat(r.has("error")).isFalse();
        }
    }

    @Test
    void J8_wrongPasswordOnLockedGroupSaysNotAuthorised() {
        String g = group();
        try (WsClient op = Proto.joined(server, unique("op"), join(g, "op", "op"))) {
            lock(op, "go away");
            try (WsClient c = server.handshake(unique("c"))) {
                assertThat(Proto.joinReply(c, join(g, "bob", "wrong")).path("value").asText()).isEqualTo("not authorised");
                assertThat(Proto.joinReply(c, join(g, "bob", "bob")).path("value").asText()).isEqualTo("go away");
            }
        }
    }

    @Test
    void J8_lockIsCheckedBeforeClientLimit() {
        String g = group("\"max-clients\": 1");
        try (WsClient op = Proto.joined(server, unique("op"), join(g, "op", "op"))) {
            lock(op, "");
            try (WsClient c = server.handshake(unique("c"))) {
                assertThat(Proto.joinReply(c, join(g, "bob", "bob")).path("value").asText())
                        .isEqualTo("this group is locked");
            }
            op.send(msg("type", "groupaction", "kind", "unlock"));
            op.expectMatching(m -> isType(m, "joined", "change"));
            try (WsClient c = server.handshake(unique("c"))) {
                assertThat(Proto.joinReply(c, join(g, "bob", "bob")).path("value").asText()).isEqualTo("too many users");
            }
        }
    }

    @Test
    void J8_J9_G15_duplicateClientIdIsInternalError() {
        String g = group();
        String id = unique("dup");
        try (WsClient a = Proto.joined(server, id, join(g, "op", "op")); WsClient b = server.handshake(id)) {
            JsonNode r = Proto.joinReply(b, join(g, "bob", "bob"));
            assertThat(r.path("value").asText()).isEqualTo("internal server error");
            assertThat(r.has("error")).isFalse();
            a.expectSilence(SHORT);
        }
    }

    @Test
    void J8_duplicateClientIdCheckedAfterAuthorisation() {
        String g = group();
        String id = unique("dup");
        try (WsClient a = Proto.joined(server, id, join(g, "op", "op")); WsClient b = server.handshake(id)) {
            assertThat(Proto.joinReply(b, join(g, "bob", "nope")).path("value").asText()).isEqualTo("not authorised");
        }
    }

    @Test
    void J8_J9_G12_timeWindowMessages() {
        String future = Instant.now().plusSeconds(3600).toString();
        String past = Instant.now().minusSeconds(3600).toString();
        String notYet = group("\"not-before\": \"" + future + "\"");
        String closed = group("\"expires\": \"" + past + "\"");
        try (WsClient c = server.handshake(unique("c"))) {
            assertThat(Proto.joinReply(c, join(notYet, "bob", "bob")).path("value").asText())
                    .isEqualTo("this group is not open yet");
            assertThat(Proto.joinReply(c, join(closed, "bob", "bob")).path("value").asText())
                    .isEqualTo("this group is closed");
            assertThat(Proto.joinReply(c, join(closed, "bob", "bad")).path("value").asText())
                    .isEqualTo("not authorised");
        }
    }

    @Test
    void J10_L4_notAuthorisedIsDelayedAtLeast200ms() {
        String g = group();
        try (WsClient c = server.handshake(unique("c"))) {
            long start = System.nanoTime();
            JsonNode r = Proto.joinReply(c, join(g, "op", "wrong"));
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.path("value").asText()).isEqualTo("not authorised");
            assertThat(elapsedMs).isGreaterThanOrEqualTo(190);
        }
    }

    // ---- J11 – J15 ----

    @Test
    void J11_J14_orderIsJoinedHistorySelfThenOthers() {
        String g = group();
        String a = unique("a");
        String b = unique("b");
        String c = unique("c");
        try (WsClient ca = Proto.joined(server, a, join(g, "op", "op"));
             WsClient cb = Proto.joined(server, b, msg("type", "join", "kind", "join", "group", g,
                     "username", "bob", "password", "bob", "data", obj("x", true)))) {
            ca.send(msg("type", "chat", "value", "h1"));
            ca.send(msg("type", "chat", "value", "h2"));
            cb.expectMatching(m -> m.path("value").asText().equals("h2"));
            try (WsClient cc = server.handshake(c)) {
                cc.send(join(g, "carol", "any"));
                List<JsonNode> seq = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    seq.add(cc.next());
                }
                assertThat(Proto.types(seq)).containsExactly("joined/join", "chathistory/", "chathistory/",
                        "user/add", "user/add", "user/add");
                assertThat(seq.get(1).path("value").asText()).isEqualTo("h1");
                assertThat(seq.get(2).path("value").asText()).isEqualTo("h2");
                assertThat(seq.get(3).path("id").asText()).isEqualTo(c);
                assertThat(List.of(seq.get(4).path("id").asText(), seq.get(5).path("id").asText()))
                        .containsExactlyInAnyOrder(a, b);
                JsonNode bobAdd = seq.get(4).path("id").asText().equals(b) ? seq.get(4) : seq.get(5);
                assertThat(bobAdd).isEqualTo(obj("type", "user", "kind", "add", "id", b, "username", "bob",
                        "permissions", List.of("present", "message"), "data", obj("x", true)));
                // J14: the others get the same user add as item 3
                JsonNode selfAdd = seq.get(3);
                assertThat(ca.expectMatching(m -> isUser(m, "add", c))).isEqualTo(selfAdd);
                assertThat(cb.expectMatching(m -> isUser(m, "add", c))).isEqualTo(selfAdd);
                assertThat(selfAdd.has("data")).isFalse();
                assertThat(Proto.strings(selfAdd.path("permissions"))).containsExactly("message");
            }
        }
    }

    @Test
    void J12_observePermissionsAreOmitted() {
        String g = unique("obs");
        Proto.writeGroup(server, g, "{\"wildcard-user\": {\"password\": \"x\", \"permissions\": \"observe\"}}");
        String id = unique("c");
        try (WsClient c = server.handshake(id)) {
            JsonNode r = Proto.joinOk(c, id, join(g, "viewer", "x"));
            assertThat(r.has("permissions")).isFalse();
        }
    }

    @Test
    void J12_GA8_groupDataIsInJoined() {
        String g = group();
        try (WsClient op = Proto.joined(server, unique("op"), join(g, "op", "op"))) {
            op.send(msg("type", "groupaction", "kind", "setdata", "value", obj("topic", "cats")));
            op.expectMatching(m -> isType(m, "joined", "change"));
            String id = unique("c");
            try (WsClient c = server.handshake(id)) {
                assertThat(Proto.joinOk(c, id, join(g, "bob", "bob")).path("data")).isEqualTo(obj("topic", "cats"));
            }
        }
    }

    @Test
    void J13_authenticatedStatusFields() {
        String g = unique("st");
        Proto.writeGroup(server, g, """
                {"displayName": "D", "description": "Desc", "authServer": "https://auth.example/",
                 "authPortal": "https://portal.example/", "public": false,
                 "users": {"op": {"password": "op", "permissions": "op"}},
                 "wildcard-user": {"password": "any", "permissions": "message"}}
                """);
        String a = unique("a");
        try (WsClient ca = Proto.joined(server, a, join(g, "op", "op"))) {
            String b = unique("b");
            try (WsClient cb = server.handshake(b)) {
                JsonNode st = Proto.joinOk(cb, b, join(g, "x", "any")).path("status");
                assertThat(st).isEqualTo(obj("name", g, "displayName", "D", "description", "Desc",
                        "authServer", "https://auth.example/", "authPortal", "https://portal.example/",
                        "clientCount", 2));
            }
            lock(ca, "");
            ca.send(msg("type", "groupaction", "kind", "unlock"));
            JsonNode change = ca.expectMatching(m -> isType(m, "joined", "change"));
            assertThat(change.path("status").has("locked")).isFalse();
        }
    }

    @Test
    void J13_lockedAppearsInStatusOnlyWhenTrue() {
        String g = group();
        try (WsClient op = Proto.joined(server, unique("op"), join(g, "op", "op"))) {
            op.send(msg("type", "groupaction", "kind", "lock"));
            JsonNode change = op.expectMatching(m -> isType(m, "joined", "change"));
            assertThat(change.path("status").path("locked").asBoolean()).isTrue();
            assertThat(change.path("status").path("clientCount").asInt()).isEqualTo(1);
        }
    }

    @Test
    void J13_canChangePasswordWhenGroupsAreWritable() throws Exception {
        try (TestServer writable = TestServer.start(f -> {
            f.group("w", "{\"users\": {\"op\": {\"password\": \"op\", \"permissions\": \"op\"}}}");
            f.data("config.json", "{\"writableGroups\": true}");
        })) {
            String id = unique("c");
            try (WsClient c = writable.handshake(id)) {
                JsonNode st = Proto.joinOk(c, id, join("w", "op", "op")).path("status");
                assertThat(st.path("canChangePassword").asBoolean()).isTrue();
            }
        }
        String g = group();
        String id = unique("c");
        try (WsClient c = server.handshake(id)) {
            assertThat(Proto.joinOk(c, id, join(g, "op", "op")).path("status").has("canChangePassword")).isFalse();
        }
    }

    @Test
    void J15_noStreamsOrOtherMessagesArePushedAfterJoin() {
        String g = group();
        String a = unique("a");
        try (WsClient ca = Proto.joined(server, a, join(g, "bob", "bob"))) {
            ca.send(msg("type", "offer", "id", "s1", "label", "camera", "sdp", "v=0\r\n"));
            ca.drain(SHORT);
            String b = unique("b");
            try (WsClient cb = Proto.joined(server, b, join(g, "op", "op"))) {
                assertThat(cb.expectMatching(m -> isUser(m, "add", a))).isNotNull();
                List<JsonNode> rest = cb.drain(SHORT);
                assertThat(rest).noneMatch(m -> isType(m, "offer", null));
            }
        }
    }

    // ---- J16 – J20 ----

    @Test
    void J16_leaveWhenNotJoinedTerminatesWith1000() {
        try (WsClient c = server.handshake(unique("c"))) {
            c.send(Proto.leave("whatever"));
            assertThat(Proto.nextError(c)).isEqualTo("you are not joined");
            assertThat(c.awaitClose()).isEqualTo(new WsClient.Closed(1000, "you are not joined"));
        }
    }

    @Test
    void J16_leaveOfAnotherGroupTerminatesWith1000() {
        String g = group();
        String id = unique("c");
        try (WsClient c = Proto.joined(server, id, join(g, "op", "op"))) {
            c.send(Proto.leave(g + "x"));
            assertThat(Proto.nextError(c)).isEqualTo("you are not joined");
            assertThat(c.awaitClose()).isEqualTo(new WsClient.Closed(1000, "you are not joined"));
        }
    }

    @Test
    void J17_J18_J19_leaveSequence() {
        String g = group();
        String a = unique("a");
        String b = unique("b");
        try (WsClient ca = Proto.joined(server, a, msg("type", "join", "kind", "join", "group", g,
                "username", "bob", "password", "bob", "data", obj("d", 1)));
             WsClient cb = Proto.joined(server, b, join(g, "op", "op"))) {
            ca.expectMatching(m -> isUser(m, "add", b));
            ca.send(Proto.leave(g));
            JsonNode left = ca.expectType("joined");
            assertThat(left.path("kind").asText()).isEqualTo("leave");
            assertThat(left.path("group").asText()).isEqualTo(g);
            assertThat(left.path("username").asText()).isEqualTo("bob");
            assertThat(left.has("permissions")).isFalse();
            assertThat(left.has("status")).isTrue();
            assertThat(left.path("status").path("clientCount").asInt()).isEqualTo(1);
            assertThat(left.has("rtcConfiguration")).isTrue();
            assertThat(ca.drain(SHORT)).as("no user delete to the leaver").noneMatch(m -> isType(m, "user", null));
            JsonNode gone = cb.expectMatching(m -> isUser(m, "delete", a));
            assertThat(gone).isEqualTo(obj("type", "user", "kind", "delete", "id", a, "username", "bob"));
            // J17: permissions reset, username kept until the next join
            ca.send(msg("type", "chat", "username", "bob", "value", "x"));
            assertThat(Proto.nextError(ca)).isEqualTo("join a group first");
            assertThat(ca.isClosed()).isFalse();
        }
    }

    @Test
    void J17_J4_dataIsResetByLeave() {
        String g = group();
        String a = unique("a");
        try (WsClient ca = Proto.joined(server, a, msg("type", "join", "kind", "join", "group", g,
                "username", "bob", "password", "bob", "data", obj("d", 1)))) {
            ca.send(Proto.leave(g));
            ca.expectMatching(m -> isType(m, "joined", "leave"));
            ca.send(join(g, "bob", "bob"));
            ca.expectType("joined");
            assertThat(ca.expectMatching(m -> isUser(m, "add", a)).has("data")).isFalse();
        }
    }

    @Test
    void J18_leaveCarriesGroupData() {
        String g = group();
        String id = unique("c");
        try (WsClient c = Proto.joined(server, id, join(g, "op", "op"))) {
            c.send(msg("type", "groupaction", "kind", "setdata", "value", obj("k", "v")));
            c.expectMatching(m -> isType(m, "joined", "change"));
            c.send(Proto.leave(g));
            assertThat(c.expectType("joined").path("data")).isEqualTo(obj("k", "v"));
        }
    }

    @Test
    void J18_G4_leaveOfAVanishedGroupHasNoStatusOrData() throws Exception {
        String g = group();
        String id = unique("c");
        try (WsClient c = Proto.joined(server, id, join(g, "op", "op"))) {
            c.send(msg("type", "groupaction", "kind", "setdata", "value", obj("k", "v")));
            c.expectMatching(m -> isType(m, "joined", "change"));
            java.nio.file.Files.delete(server.files().groups().resolve(g + ".json"));
            c.send(Proto.leave(g));
            JsonNode left = c.expectType("joined");
            assertThat(left.path("kind").asText()).isEqualTo("leave");
            assertThat(left.path("username").asText()).isEqualTo("op");
            assertThat(left.has("status")).isFalse();
            assertThat(left.has("data")).isFalse();
            assertThat(left.has("rtcConfiguration")).isTrue();
        }
    }

    @Test
    void J19_J20_disconnectSendsUserDeleteToOthers() {
        String g = group();
        String a = unique("a");
        String b = unique("b");
        try (WsClient cb = Proto.joined(server, b, join(g, "op", "op"))) {
            WsClient ca = Proto.joined(server, a, join(g, "bob", "bob"));
            cb.expectMatching(m -> isUser(m, "add", a));
            ca.close();
            JsonNode gone = cb.expectMatching(m -> isUser(m, "delete", a));
            assertThat(gone).isEqualTo(obj("type", "user", "kind", "delete", "id", a, "username", "bob"));
            assertThat(cb.drain(SHORT)).noneMatch(m -> isType(m, "joined", null));
        }
    }

    @Test
    void J19_J24_kickSendsUserDeleteToOthers() {
        String g = group();
        String a = unique("a");
        String b = unique("b");
        try (WsClient op = Proto.joined(server, b, join(g, "op", "op")); WsClient ca = Proto.joined(server, a, join(g, "bob", "bob"))) {
            op.expectMatching(m -> isUser(m, "add", a));
            op.send(msg("type", "useraction", "kind", "kick", "dest", a));
            assertThat(op.expectMatching(m -> isUser(m, "delete", a)).path("username").asText()).isEqualTo("bob");
        }
    }

    // ---- J21 – J25 ----

    @Test
    void J21_DF4_redirectGroupAnswersJoinedRedirectAndDoesNotAdmit() {
        String g = unique("redir");
        Proto.writeGroup(server, g, """
                {"redirect": "https://elsewhere.example/group/x/",
                 "users": {"op": {"password": "op", "permissions": "op"}}}
                """);
        String id = unique("c");
        try (WsClient c = server.handshake(id)) {
            JsonNode r = Proto.joinReply(c, join(g, "op", "op"));
            assertThat(r.path("kind").asText()).isEqualTo("redirect");
            assertThat(r.path("group").asText()).isEqualTo(g);
            assertThat(r.path("username").asText()).isEqualTo("op");
            assertThat(r.path("value").asText()).isEqualTo("https://elsewhere.example/group/x/");
            assertThat(c.drain(SHORT)).noneMatch(m -> isType(m, "user", null));
            // not in the group: chat fails, and the connection and server still work
            c.send(msg("type", "chat", "value", "x"));
            assertThat(Proto.nextError(c)).isEqualTo("join a group first");
            String other = group();
            Proto.joinOk(c, id, join(other, "op", "op"));
        }
        assertThat(server.server().context().groups().getLoaded(g).clientCount()).isZero();
    }

    @Test
    void J21_redirectGroupWithBadPasswordIsNotAuthorised() {
        String g = unique("redir");
        Proto.writeGroup(server, g, """
                {"redirect": "https://elsewhere.example/",
                 "users": {"op": {"password": "op", "permissions": "op"}}}
                """);
        try (WsClient c = server.handshake(unique("c"))) {
            assertThat(Proto.joinReply(c, join(g, "op", "bad")).path("value").asText()).isEqualTo("not authorised");
        }
    }

    @Test
    void J22a_lockAndUnlockSendJoinedChangeToEveryMember() {
        String g = group();
        String a = unique("a");
        String b = unique("b");
        try (WsClient op = Proto.joined(server, a, join(g, "op", "op")); WsClient cb = Proto.joined(server, b, join(g, "bob", "bob"))) {
            op.send(msg("type", "groupaction", "kind", "lock", "value", "closed"));
            for (WsClient c : List.of(op, cb)) {
                JsonNode ch = c.expectMatching(m -> isType(m, "joined", "change"));
                assertThat(ch.path("group").asText()).isEqualTo(g);
                assertThat(ch.path("status").path("locked").asBoolean()).isTrue();
                assertThat(ch.has("rtcConfiguration")).isTrue();
                assertThat(ch.has("permissions")).isTrue();
            }
            op.send(msg("type", "groupaction", "kind", "unlock"));
            for (WsClient c : List.of(op, cb)) {
                JsonNode ch = c.expectMatching(m -> isType(m, "joined", "change"));
                assertThat(ch.path("status").has("locked")).isFalse();
            }
        }
    }

    @Test
    void J22b_groupDataChangeSendsJoinedChangeWithData() {
        String g = group();
        String a = unique("a");
        String b = unique("b");
        try (WsClient op = Proto.joined(server, a, join(g, "op", "op")); WsClient cb = Proto.joined(server, b, join(g, "bob", "bob"))) {
            op.send(msg("type", "groupaction", "kind", "setdata", "value", obj("a", 1)));
            for (WsClient c : List.of(op, cb)) {
                JsonNode ch = c.expectMatching(m -> isType(m, "joined", "change"));
                assertThat(ch.path("data")).isEqualTo(obj("a", 1));
                assertThat(ch.path("username").asText()).isEqualTo(c == op ? "op" : "bob");
                assertThat(Proto.strings(ch.path("permissions"))).isEqualTo(c == op
                        ? List.of("op", "present", "message", "caption", "token") : List.of("present", "message"));
            }
        }
    }

    @Test
    void J22c_G4_descriptionReloadSendsJoinedChange() throws Exception {
        String g = group();
        String id = unique("c");
        try (WsClient c = Proto.joined(server, id, join(g, "op", "op"))) {
            Thread.sleep(20);
            Proto.writeGroup(server, g, """
                    {"displayName": "Renamed after reload",
                     "users": {"op": {"password": "op", "permissions": "op"}}}
                    """);
            // any access reloads: a join attempt from another client
            try (WsClient other = server.handshake(unique("o"))) {
                Proto.joinReply(other, join(g, "nobody", "x"));
            }
            JsonNode ch = c.expectMatching(m -> isType(m, "joined", "change"));
            assertThat(ch.path("status").path("displayName").asText()).isEqualTo("Renamed after reload");
        }
    }

    @Test
    void J23_U2_ownPermissionChangeSendsJoinedChangeWithoutData() {
        String g = group();
        String a = unique("a");
        String b = unique("b");
        try (WsClient op = Proto.joined(server, a, join(g, "op", "op")); WsClient cb = Proto.joined(server, b, join(g, "bob", "bob"))) {
            op.send(msg("type", "groupaction", "kind", "setdata", "value", obj("a", 1)));
            cb.expectMatching(m -> isType(m, "joined", "change"));
            op.send(msg("type", "useraction", "kind", "op", "dest", b));
            JsonNode ch = cb.expectMatching(m -> isType(m, "joined", "change"));
            assertThat(ch.has("data")).isFalse();
            assertThat(ch.has("status")).isTrue();
            assertThat(ch.has("rtcConfiguration")).isTrue();
            assertThat(Proto.strings(ch.path("permissions"))).containsExactly("present", "message", "op");
            JsonNode userChange = cb.expectMatching(m -> isUser(m, "change", b));
            assertThat(Proto.strings(userChange.path("permissions"))).containsExactly("present", "message", "op");
            assertThat(op.expectMatching(m -> isUser(m, "change", b))).isEqualTo(userChange);
        }
    }

    @Test
    void J24_kickMessageAndCloseReason() {
        String g = group();
        String a = unique("a");
        String b = unique("b");
        try (WsClient op = Proto.joined(server, a, join(g, "op", "op")); WsClient cb = Proto.joined(server, b, join(g, "bob", "bob"))) {
            op.send(msg("type", "useraction", "kind", "kick", "source", a, "username", "op", "dest", b, "value", "be nice"));
            JsonNode kicked = cb.expectMatching(m -> isType(m, "usermessage", "kicked"));
            assertThat(kicked).isEqualTo(obj("type", "usermessage", "kind", "kicked", "id", a, "username", "op",
                    "dest", b, "privileged", true, "value", "be nice"));
            assertThat(cb.awaitClose()).isEqualTo(new WsClient.Closed(1000, "kicked out (be nice) by op"));
        }
    }

    @Test
    void J24_UA4_kickWithoutMessageOrKickerIdentity() {
        String g = group();
        String a = unique("a");
        String b = unique("b");
        try (WsClient op = Proto.joined(server, a, join(g, "op", "op")); WsClient cb = Proto.joined(server, b, join(g, "bob", "bob"))) {
            op.send(msg("type", "useraction", "kind", "kick", "dest", b));
            JsonNode kicked = cb.expectMatching(m -> isType(m, "usermessage", "kicked"));
            assertThat(kicked).isEqualTo(obj("type", "usermessage", "kind", "kicked", "dest", b,
                    "privileged", true, "value", "you have been kicked out"));
            assertThat(cb.awaitClose()).isEqualTo(new WsClient.Closed(1000, "kicked out"));
        }
    }

    @Test
    void J25_shutdownLocksThenKicksEveryone() throws Exception {
        TestServer s = TestServer.start(f -> f.group("x", "{\"wildcard-user\": {\"password\": \"p\", \"permissions\": \"op\"}}"));
        String id = unique("c");
        WsClient c = Proto.joined(s, id, join("x", "u", "p"));
        try (c) {
            s.close();
            JsonNode change = c.expectType("joined");
            assertThat(change.path("kind").asText()).isEqualTo("change");
            assertThat(change.path("status").path("locked").asBoolean()).isTrue();
            JsonNode kicked = c.expectType("usermessage");
            assertThat(kicked).isEqualTo(obj("type", "usermessage", "kind", "kicked", "dest", id,
                    "privileged", true, "value", "server is shutting down"));
            assertThat(c.awaitClose()).isEqualTo(new WsClient.Closed(1000, "kicked out (server is shutting down)"));
        }
    }

    // ---- J26, J27 ----

    @Test
    void J26_afterLeaveTheClientMayJoinAnotherGroupWithTheSameId() {
        String g1 = group();
        String g2 = group();
        String id = unique("c");
        try (WsClient c = Proto.joined(server, id, join(g1, "op", "op"))) {
            c.send(Proto.leave(g1));
            c.expectMatching(m -> isType(m, "joined", "leave"));
            JsonNode r = Proto.joinOk(c, id, join(g2, "bob", "bob"));
            assertThat(r.path("group").asText()).isEqualTo(g2);
        }
    }

    @Test
    void J27_usernameIsSetWhenJoinFailsAfterAuthorisation() {
        String g = group();
        try (WsClient op = Proto.joined(server, unique("op"), join(g, "op", "op"))) {
            lock(op, "");
            try (WsClient c = server.handshake(unique("c"))) {
                JsonNode r = Proto.joinReply(c, join(g, "bob", "bob"));
                assertThat(r.path("value").asText()).isEqualTo("this group is locked");
                assertThat(r.path("username").asText()).isEqualTo("bob");
                // W5 now compares against "bob"
                c.send(msg("type", "ping", "username", "bob"));
                c.expectType("pong");
                // not in a group: no permissions (REF-DEFECT fixed)
                c.send(msg("type", "offer", "id", "s1", "sdp", "v=0\r\n"));
                assertThat(c.expectType("abort").path("id").asText()).isEqualTo("s1");
                assertThat(Proto.nextError(c)).isEqualTo("not authorised");
                c.send(msg("type", "ping", "username", ""));
                assertThat(Proto.nextError(c)).isEqualTo("spoofed username");
            }
        }
    }

    @Test
    void J6_J27_failureCarriesTheCurrentUsernameWhichAFailedAuthorisationKeeps() {
        String g = group();
        String id = unique("c");
        try (WsClient c = Proto.joined(server, id, join(g, "op", "op"))) {
            c.send(Proto.leave(g));
            c.expectMatching(m -> isType(m, "joined", "leave"));
            JsonNode r = Proto.joinReply(c, join(g, "bob", "wrong"));
            assertThat(r.path("value").asText()).isEqualTo("not authorised");
            assertThat(r.path("username").asText()).isEqualTo("op");
            assertThat(Proto.joinReply(c, join(unique("none"), "bob", "bob")).path("username").asText()).isEqualTo("op");
        }
    }

    @Test
    void J8_emptyClientIdIsCheckedAfterAuthorisation() {
        String g = group();
        try (WsClient c = server.connect()) {
            c.send(msg("type", "handshake", "version", List.of("2"), "id", ""));
            c.expect("handshake");
            assertThat(Proto.joinReply(c, join(g, "op", "wrong")).path("value").asText()).isEqualTo("not authorised");
            JsonNode r = Proto.joinReply(c, join(g, "op", "op"));
            assertThat(r.path("value").asText()).isEqualTo("internal server error");
            assertThat(r.path("username").asText()).as("J27: set once authorised").isEqualTo("op");
        }
    }

    @Test
    void J27_usernameIsEmptyUntilFirstSuccessfulAuthorisation() {
        String g = group();
        try (WsClient c = server.handshake(unique("c"))) {
            assertThat(Proto.joinReply(c, join(g, "op", "bad")).path("username").asText()).isEmpty();
            c.send(msg("type", "ping", "username", ""));
            c.expectType("pong");
        }
    }

    @Test
    void J27_successfulJoinReplacesTheUsername() {
        String g = group();
        String id = unique("c");
        try (WsClient c = Proto.joined(server, id, join(g, "op", "op"))) {
            c.send(Proto.leave(g));
            assertThat(c.expectType("joined").path("username").asText()).isEqualTo("op");
            JsonNode r = Proto.joinOk(c, id, join(g, "bob", "bob"));
            assertThat(r.path("username").asText()).isEqualTo("bob");
            c.send(msg("type", "ping", "username", "bob"));
            c.expectType("pong");
        }
    }

    // ---- U1 – U3 ----

    @Test
    void U1_userMessagesNeverCarryStatus() {
        String g = group();
        String a = unique("a");
        String b = unique("b");
        try (WsClient ca = Proto.joined(server, a, join(g, "op", "op")); WsClient cb = Proto.joined(server, b, join(g, "bob", "bob"))) {
            ca.send(msg("type", "useraction", "kind", "setdata", "dest", a, "value", obj("x", 1)));
            JsonNode change = cb.expectMatching(m -> isUser(m, "change", a));
            assertThat(change).isEqualTo(obj("type", "user", "kind", "change", "id", a, "username", "op",
                    "permissions", List.of("op", "present", "message", "caption", "token"), "data", obj("x", 1)));
            JsonNode add = ca.expectMatching(m -> isUser(m, "add", b));
            assertThat(add.has("status")).isFalse();
        }
    }

    @Test
    void U2_changeGoesToAllMembersIncludingSubject() {
        String g = group();
        String a = unique("a");
        String b = unique("b");
        try (WsClient ca = Proto.joined(server, a, join(g, "op", "op")); WsClient cb = Proto.joined(server, b, join(g, "bob", "bob"))) {
            cb.send(msg("type", "useraction", "kind", "setdata", "dest", b, "value", obj("raisehand", true)));
            JsonNode own = cb.expectMatching(m -> isUser(m, "change", b));
            JsonNode seen = ca.expectMatching(m -> isUser(m, "change", b));
            assertThat(own).isEqualTo(seen);
            assertThat(own.path("data")).isEqualTo(obj("raisehand", true));
            assertThat(Proto.strings(own.path("permissions"))).containsExactly("present", "message");
        }
    }

    @Test
    void U1_J11_ownUserAddHasNoDataWhenJoinDataAbsent() {
        String g = group();
        String id = unique("c");
        try (WsClient c = server.handshake(id)) {
            c.send(join(g, "bob", "bob"));
            c.expectType("joined");
            JsonNode self = c.expectMatching(m -> isUser(m, "add", id));
            assertThat(self).isEqualTo(obj("type", "user", "kind", "add", "id", id, "username", "bob",
                    "permissions", List.of("present", "message")));
        }
    }

    @Test
    void J20_socketCloseDoesNotBreakTheGroupForOthers() {
        String g = group();
        String b = unique("b");
        try (WsClient cb = Proto.joined(server, b, join(g, "op", "op"))) {
            for (int i = 0; i < 3; i++) {
                String a = unique("a");
                WsClient ca = Proto.joined(server, a, join(g, "bob", "bob"));
                cb.expectMatching(m -> isUser(m, "add", a));
                ca.close();
                cb.expectMatching(m -> isUser(m, "delete", a));
            }
            cb.send(msg("type", "chat", "value", "still here"));
            assertThat(cb.expectType("chat").path("value").asText()).isEqualTo("still here");
        }
    }
}
