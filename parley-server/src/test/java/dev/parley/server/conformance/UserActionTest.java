package dev.parley.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.parley.server.conformance.Proto.SHORT;
import static dev.parley.server.conformance.Proto.isType;
import static dev.parley.server.conformance.Proto.isUser;
import static dev.parley.server.conformance.Proto.join;
import static dev.parley.server.conformance.Proto.msg;
import static dev.parley.server.conformance.Proto.obj;
import static dev.parley.server.conformance.Proto.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec B.11 (user actions). */
class UserActionTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** op/op (op), bob/bob (present), arr/arr (["token","caption","message"] verbatim). */
    private static String group(String extra) {
        String name = unique("ua");
        Proto.writeGroup(server, name, """
                {%s"users": {"op": {"password": "op", "permissions": "op"},
                           "bob": {"password": "bob", "permissions": "present"},
                           "arr": {"password": "arr", "permissions": ["token", "caption", "message"]}}}
                """.formatted(extra.isEmpty() ? "" : extra + ","));
        return name;
    }

    private record Pair(String a, String b, WsClient op, WsClient target) implements AutoCloseable {
        static Pair of(String g, String user) {
            String a = unique("a");
            String b = unique("b");
            WsClient ca = Proto.joined(server, a, join(g, "op", "op"));
            WsClient cb = Proto.joined(server, b, join(g, user, user));
            ca.expectMatching(m -> isUser(m, "add", b));
            cb.expectMatching(m -> isUser(m, "add", a));
            return new Pair(a, b, ca, cb);
        }

        void act(String kind) {
            op.send(msg("type", "useraction", "kind", kind, "dest", b));
        }

        @Override
        public void close() {
            op.close();
            target.close();
        }
    }

    @Test
    void UA1_userActionBeforeJoiningIsUserError() {
        try (WsClient c = server.handshake(unique("c"))) {
            c.send(msg("type", "useraction", "kind", "op", "dest", "x"));
            assertThat(Proto.nextError(c)).isEqualTo("join a group first");
            assertThat(c.isClosed()).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mute", "frobnicate", ""})
    void UA1_unknownUserActionTerminatesWith1000(String kind) {
        String g = group("");
        String id = unique("c");
        try (WsClient c = Proto.joined(server, id, join(g, "op", "op"))) {
            c.send(msg("type", "useraction", "kind", kind, "dest", id));
            assertThat(Proto.nextError(c)).isEqualTo("unknown user action");
            assertThat(c.awaitClose()).isEqualTo(new WsClient.Closed(1000, "unknown user action"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"op", "unop", "present", "unpresent", "shutup", "unshutup", "kick", "identify"})
    void UA2_UA4_UA5_P6_moderationRequiresOp(String kind) {
        String g = group("");
        try (Pair p = Pair.of(g, "bob")) {
            p.target().send(msg("type", "useraction", "kind", kind, "dest", p.a()));
            assertThat(Proto.nextError(p.target())).isEqualTo("not authorised");
            assertThat(p.op().drain(SHORT)).isEmpty();
            assertThat(p.target().isClosed()).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"op", "unop", "present", "unpresent", "shutup", "unshutup"})
    void UA2_unknownDestIsNoSuckUser(String kind) {
        String g = group("");
        String id = unique("c");
        try (WsClient c = Proto.joined(server, id, join(g, "op", "op"))) {
            c.send(msg("type", "useraction", "kind", kind, "dest", "ghost"));
            assertThat(Proto.nextError(c)).isEqualTo("no suck user");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "bob|op|present,message,op",
            "op|unop|present,message,caption,token",
            "arr|present|token,caption,message,present",
            "bob|unpresent|message",
            "bob|shutup|present",
            "arr|unshutup|token,caption,message",
            "bob|present|present,message",
            "arr|unop|token,caption,message",
    })
    void UA2_permissionTable(String user, String kind, String expected) {
        String g = group("");
        try (Pair p = Pair.of(g, user)) {
            p.act(kind);
            JsonNode change = p.target().expectMatching(m -> isUser(m, "change", p.b()));
            assertThat(Proto.strings(change.path("permissions"))).containsExactly(expected.split(","));
        }
    }

    @Test
    void UA2_opAddsRecordWhenAllowedAndUnopRemovesBoth() {
        String g = group("\"allow-recording\": true");
        try (Pair p = Pair.of(g, "bob")) {
            p.act("op");
            JsonNode change = p.target().expectMatching(m -> isUser(m, "change", p.b()));
            assertThat(Proto.strings(change.path("permissions"))).containsExactly("present", "message", "op", "record");
            p.act("op");
            change = p.target().expectMatching(m -> isUser(m, "change", p.b()));
            assertThat(Proto.strings(change.path("permissions"))).as("never duplicated")
                    .containsExactly("present", "message", "op", "record");
            p.act("unop");
            change = p.target().expectMatching(m -> isUser(m, "change", p.b()));
            assertThat(Proto.strings(change.path("permissions"))).containsExactly("present", "message");
        }
    }

    @Test
    void UA2_P2_unpresentOnOneUserDoesNotAffectOthersOfTheSameSet() {
        String g = group("");
        try (Pair p = Pair.of(g, "bob")) {
            p.act("unpresent");
            p.target().expectMatching(m -> isUser(m, "change", p.b()));
            String c = unique("c");
            try (WsClient other = server.handshake(c)) {
                JsonNode joined = Proto.joinOk(other, c, join(g, "bob", "bob"));
                assertThat(Proto.strings(joined.path("permissions"))).containsExactly("present", "message");
            }
        }
    }

    @Test
    void UA3_J23_U2_targetGetsJoinedChangeThenEveryoneGetsUserChange() {
        String g = group("");
        String t = unique("t");
        try (Pair p = Pair.of(g, "bob"); WsClient third = Proto.joined(server, t, join(g, "arr", "arr"))) {
            p.op().expectMatching(m -> isUser(m, "add", t));
            p.target().expectMatching(m -> isUser(m, "add", t));
            p.act("shutup");
            JsonNode first = p.target().next();
            assertThat(isType(first, "joined", "change")).as("%s", first).isTrue();
            assertThat(first.has("data")).isFalse();
            assertThat(Proto.strings(first.path("permissions"))).containsExactly("present");
            JsonNode second = p.target().next();
            assertThat(isUser(second, "change", p.b())).as("%s", second).isTrue();
            assertThat(p.op().expectType("user")).isEqualTo(second);
            assertThat(third.expectMatching(m -> isUser(m, "change", p.b()))).isEqualTo(second);
            // no confirmation and no joined change for the acting op or bystanders
            assertThat(p.op().drain(SHORT)).isEmpty();
            assertThat(third.drain(SHORT)).isEmpty();
            // the target really lost message
            p.target().send(msg("type", "chat", "value", "x"));
            assertThat(Proto.nextError(p.target())).isEqualTo("not authorised");
        }
    }

    @Test
    void UA3_autolockIsNotReevaluatedByPermissionChanges() {
        String g = group("\"autolock\": true");
        try (Pair p = Pair.of(g, "op")) {
            // group starts locked (G16); unlock it
            p.op().send(msg("type", "groupaction", "kind", "unlock"));
            p.op().expectMatching(m -> isType(m, "joined", "change") && !m.path("status").has("locked"));
            p.target().expectMatching(m -> isType(m, "joined", "change") && !m.path("status").has("locked"));
            p.op().send(msg("type", "useraction", "kind", "unop", "dest", p.b()));
            p.target().expectMatching(m -> isUser(m, "change", p.b()));
            p.op().send(msg("type", "useraction", "kind", "unop", "dest", p.a()));
            p.op().expectMatching(m -> isUser(m, "change", p.a()));
            p.target().expectMatching(m -> isUser(m, "change", p.a()));
            assertThat(p.target().drain(SHORT)).noneMatch(m -> m.path("status").path("locked").asBoolean());
        }
    }

    @Test
    void UA4_kickUnknownDestIsNoSuchUser() {
        String g = group("");
        try (WsClient c = Proto.joined(server, unique("c"), join(g, "op", "op"))) {
            c.send(msg("type", "useraction", "kind", "kick", "dest", "ghost"));
            assertThat(Proto.nextError(c)).isEqualTo("no such user");
        }
    }

    @Test
    void UA4_nonStringValueGivesTheDefaultKickMessage() {
        String g = group("");
        try (Pair p = Pair.of(g, "bob")) {
            p.op().send(msg("type", "useraction", "kind", "kick", "dest", p.b(), "value", obj("x", 1)));
            assertThat(p.target().expectMatching(m -> isType(m, "usermessage", "kicked")).path("value").asText())
                    .isEqualTo("you have been kicked out");
            assertThat(p.target().awaitClose().code()).isEqualTo(1000);
        }
    }

    @Test
    void UA4_UA8_opsMayKickOpsAndThemselves() {
        String g = group("");
        try (Pair p = Pair.of(g, "op")) {
            p.target().send(msg("type", "useraction", "kind", "kick", "source", p.b(), "username", "op",
                    "dest", p.a(), "value", "bye"));
            assertThat(p.op().expectMatching(m -> isType(m, "usermessage", "kicked")).path("id").asText()).isEqualTo(p.b());
            assertThat(p.op().awaitClose()).isEqualTo(new WsClient.Closed(1000, "kicked out (bye) by op"));
            p.target().send(msg("type", "useraction", "kind", "kick", "dest", p.b()));
            p.target().expectMatching(m -> isType(m, "usermessage", "kicked"));
            assertThat(p.target().awaitClose()).isEqualTo(new WsClient.Closed(1000, "kicked out"));
        }
    }

    @Test
    void UA4_J24_kickerIdentityIsWhatTheKickerSent() {
        String g = group("");
        try (Pair p = Pair.of(g, "bob")) {
            p.op().send(msg("type", "useraction", "kind", "kick", "source", p.a(), "dest", p.b(), "value", "out"));
            JsonNode kicked = p.target().expectMatching(m -> isType(m, "usermessage", "kicked"));
            assertThat(kicked.path("id").asText()).isEqualTo(p.a());
            assertThat(kicked.has("username")).isFalse();
            assertThat(p.target().awaitClose()).isEqualTo(new WsClient.Closed(1000, "kicked out (out)"));
        }
    }

    @Test
    void UA5_identifyRepliesWithUserinfoAndWarnsTheTarget() {
        String g = group("");
        try (Pair p = Pair.of(g, "bob")) {
            p.act("identify");
            JsonNode info = p.op().expectMatching(m -> isType(m, "usermessage", "userinfo"));
            assertThat(info.path("privileged").asBoolean()).isTrue();
            assertThat(info.has("dest")).isFalse();
            assertThat(info.path("value").path("id").asText()).isEqualTo(p.b());
            assertThat(info.path("value").path("username").asText()).isEqualTo("bob");
            assertThat(info.path("value").path("address").asText()).matches("127\\.0\\.0\\.1:\\d+");
            JsonNode warning = p.target().expectMatching(m -> isType(m, "usermessage", "warning"));
            assertThat(warning).isEqualTo(obj("type", "usermessage", "kind", "warning", "dest", p.b(),
                    "privileged", true, "value", "Your IP address has been communicated to user op."));
        }
    }

    @Test
    void UA5_identifyOmitsEmptyUsernameAndUnknownDestFails() {
        String g = unique("ua");
        Proto.writeGroup(server, g, "{\"wildcard-user\": {\"password\": \"p\", \"permissions\": \"op\"}}");
        String id = unique("c");
        try (WsClient c = Proto.joined(server, id, join(g, "", "p"))) {
            c.send(msg("type", "useraction", "kind", "identify", "dest", "ghost"));
            assertThat(Proto.nextError(c)).isEqualTo("client not found");
            c.send(msg("type", "useraction", "kind", "identify", "dest", id));   // UA8: self
            JsonNode info = c.expectMatching(m -> isType(m, "usermessage", "userinfo"));
            assertThat(info.path("value").has("username")).isFalse();
            assertThat(info.path("value").path("id").asText()).isEqualTo(id);
            assertThat(c.expectMatching(m -> isType(m, "usermessage", "warning")).path("value").asText())
                    .isEqualTo("Your IP address has been communicated to user .");
        }
    }

    @Test
    void UA6_setdataForSomeoneElseIsNotAuthorisedEvenForOps() {
        String g = group("");
        try (Pair p = Pair.of(g, "bob")) {
            p.op().send(msg("type", "useraction", "kind", "setdata", "dest", p.b(), "value", obj("x", 1)));
            assertThat(Proto.nextError(p.op())).isEqualTo("not authorised");
            p.op().send(msg("type", "useraction", "kind", "setdata", "value", obj("x", 1)));
            assertThat(Proto.nextError(p.op())).isEqualTo("not authorised");
            assertThat(p.target().drain(SHORT)).isEmpty();
        }
    }

    @Test
    void UA6_UA7_setdataNeedsNoPermissionAndMerges() {
        String g = unique("ua");
        Proto.writeGroup(server, g, "{\"wildcard-user\": {\"password\": \"p\", \"permissions\": \"observe\"}}");
        String a = unique("a");
        String b = unique("b");
        try (WsClient ca = Proto.joined(server, a, msg("type", "join", "kind", "join", "group", g, "username", "u",
                "password", "p", "data", obj("keep", 1, "drop", 2)));
             WsClient cb = Proto.joined(server, b, join(g, "w", "p"))) {
            ca.expectMatching(m -> isUser(m, "add", b));
            ca.send(msg("type", "useraction", "kind", "setdata", "dest", a, "value", obj("drop", null, "raisehand", true)));
            JsonNode own = ca.expectMatching(m -> isUser(m, "change", a));
            assertThat(own.path("data")).isEqualTo(obj("keep", 1, "raisehand", true));
            assertThat(own.has("permissions")).isFalse();
            assertThat(cb.expectMatching(m -> isUser(m, "change", a))).isEqualTo(own);
            ca.send(msg("type", "useraction", "kind", "setdata", "dest", a, "value", obj("raisehand", null)));
            assertThat(cb.expectMatching(m -> isUser(m, "change", a)).path("data")).isEqualTo(obj("keep", 1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"str\"", "[1]", "3", "null"})
    void UA7_setdataValueMustBeAnObject(String value) {
        String g = group("");
        String id = unique("c");
        try (WsClient c = Proto.joined(server, id, join(g, "bob", "bob"))) {
            c.send("{\"type\":\"useraction\",\"kind\":\"setdata\",\"dest\":\"" + id + "\",\"value\":" + value + "}");
            assertThat(Proto.nextError(c)).isEqualTo("Bad value in setdata");
        }
    }

    @Test
    void UA8_opMayUnopItself() {
        String g = group("");
        String id = unique("c");
        try (WsClient c = Proto.joined(server, id, join(g, "op", "op"))) {
            c.send(msg("type", "useraction", "kind", "unop", "dest", id));
            JsonNode ch = c.expectMatching(m -> isType(m, "joined", "change"));
            assertThat(Proto.strings(ch.path("permissions"))).containsExactly("present", "message", "caption", "token");
            c.expectMatching(m -> isUser(m, "change", id));
            c.send(msg("type", "useraction", "kind", "op", "dest", id));
            assertThat(Proto.nextError(c)).isEqualTo("not authorised");
            assertThat(List.of(c.isClosed())).containsExactly(false);
        }
    }
}
