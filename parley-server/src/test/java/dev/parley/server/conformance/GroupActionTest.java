package dev.parley.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.parley.server.conformance.Proto.SHORT;
import static dev.parley.server.conformance.Proto.isType;
import static dev.parley.server.conformance.Proto.isUser;
import static dev.parley.server.conformance.Proto.join;
import static dev.parley.server.conformance.Proto.msg;
import static dev.parley.server.conformance.Proto.obj;
import static dev.parley.server.conformance.Proto.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec B.12 (group actions). Token kinds (GA9) are in {@link TokenProtocolTest}. */
class GroupActionTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String group(String extra) {
        return Proto.standardGroup(server, extra);
    }

    private static WsClient op(String g, String id) {
        return Proto.joined(server, id, join(g, "op", "op"));
    }

    private static String groupAction(String kind, Object value) {
        return msg("type", "groupaction", "kind", kind, "value", value);
    }

    /** The values of the chathistory a newcomer receives. */
    private static List<String> historySeenByNewcomer(String g) {
        String n = unique("n");
        try (WsClient c = server.handshake(n)) {
            c.send(join(g, "x", "any"));
            c.expectType("joined");
            List<String> values = new ArrayList<>();
            JsonNode m;
            while ((m = c.next()).path("type").asText().equals("chathistory")) {
                values.add(m.path("value").asText());
            }
            return values;
        }
    }

    @Test
    void GA1_groupActionBeforeJoiningIsUserError() {
        try (WsClient c = server.handshake(unique("c"))) {
            c.send(groupAction("lock", null));
            assertThat(Proto.nextError(c)).isEqualTo("join a group first");
            assertThat(c.isClosed()).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"frobnicate", "kick", ""})
    void GA1_unknownGroupActionTerminatesWith1000(String kind) {
        String g = group("");
        try (WsClient c = op(g, unique("c"))) {
            c.send(groupAction(kind, null));
            assertThat(Proto.nextError(c)).isEqualTo("unknown group action");
            assertThat(c.awaitClose()).isEqualTo(new WsClient.Closed(1000, "unknown group action"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"clearchat", "lock", "unlock", "subgroups", "setdata"})
    void GA2_GA3_GA6_GA7_P6_requireOp(String kind) {
        String g = group("");
        String b = unique("b");
        try (WsClient o = op(g, unique("a")); WsClient c = Proto.joined(server, b, join(g, "bob", "bob"))) {
            o.expectMatching(m -> isUser(m, "add", b));
            c.send(groupAction(kind, kind.equals("setdata") ? obj("x", 1) : null));
            assertThat(Proto.nextError(c)).isEqualTo("not authorised");
            assertThat(o.drain(SHORT)).isEmpty();
        }
    }

    @Test
    void GA2_clearAllSendsClearchatToEveryone() {
        String g = group("");
        String b = unique("b");
        try (WsClient o = op(g, unique("a")); WsClient c = Proto.joined(server, b, join(g, "bob", "bob"))) {
            o.send(msg("type", "chat", "value", "one"));
            c.expectType("chat");
            o.send(groupAction("clearchat", null));
            for (WsClient w : List.of(o, c)) {
                JsonNode cleared = w.expectMatching(m -> isType(m, "usermessage", "clearchat"));
                assertThat(cleared).isEqualTo(obj("type", "usermessage", "kind", "clearchat", "privileged", true));
            }
            assertThat(historySeenByNewcomer(g)).isEmpty();
        }
    }

    @Test
    void GA2_clearByUserIdOrByIdAndUserId() {
        String g = group("");
        String a = unique("a");
        String b = unique("b");
        try (WsClient o = op(g, a); WsClient c = Proto.joined(server, b, join(g, "bob", "bob"))) {
            o.send(msg("type", "chat", "source", a, "id", "a1", "value", "a1"));
            o.send(msg("type", "chat", "source", a, "id", "a2", "value", "a2"));
            c.expectMatching(m -> m.path("value").asText().equals("a2"));
            c.send(msg("type", "chat", "source", b, "id", "b1", "value", "b1"));
            c.send(msg("type", "chat", "source", b, "id", "b2", "value", "b2"));
            o.expectMatching(m -> m.path("value").asText().equals("b2"));
            o.send(groupAction("clearchat", obj("userId", b, "id", "b1")));
            JsonNode cleared = c.expectMatching(m -> isType(m, "usermessage", "clearchat"));
            assertThat(cleared.path("value")).isEqualTo(obj("userId", b, "id", "b1"));
            assertThat(historySeenByNewcomer(g)).containsExactly("a1", "a2", "b2");
            o.send(groupAction("clearchat", obj("userId", a)));
            c.expectMatching(m -> isType(m, "usermessage", "clearchat"));
            assertThat(historySeenByNewcomer(g)).containsExactly("b2");
            // wrong-typed id and userId count as empty: clear everything
            o.send(groupAction("clearchat", obj("userId", 5, "id", 6)));
            c.expectMatching(m -> isType(m, "usermessage", "clearchat"));
            assertThat(historySeenByNewcomer(g)).isEmpty();
        }
    }

    @Test
    void GA2_emptyObjectClearsAll() {
        String g = group("");
        try (WsClient o = op(g, unique("a"))) {
            o.send(msg("type", "chat", "value", "x"));
            o.expectType("chat");
            o.send(groupAction("clearchat", obj()));
            assertThat(o.expectMatching(m -> isType(m, "usermessage", "clearchat")).path("value")).isEqualTo(obj());
            assertThat(historySeenByNewcomer(g)).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"id\":\"x\"}", "\"all\"", "[1]", "7"})
    void GA2_badValues(String value) {
        String g = group("");
        try (WsClient o = op(g, unique("a"))) {
            o.send(msg("type", "chat", "value", "kept"));
            o.expectType("chat");
            o.send("{\"type\":\"groupaction\",\"kind\":\"clearchat\",\"value\":" + value + "}");
            assertThat(Proto.nextError(o)).isEqualTo("bad value in clearchat");
            assertThat(o.drain(SHORT)).noneMatch(m -> isType(m, "usermessage", "clearchat"));
            assertThat(historySeenByNewcomer(g)).containsExactly("kept");
        }
    }

    @Test
    void GA3_G11_lockMessageRelockAndUnlock() {
        String g = group("");
        try (WsClient o = op(g, unique("a"))) {
            o.send(groupAction("lock", "first"));
            o.expectMatching(m -> isType(m, "joined", "change"));
            o.send(groupAction("lock", "second"));
            assertThat(o.expectMatching(m -> isType(m, "joined", "change")).path("status").path("locked").asBoolean()).isTrue();
            try (WsClient c = server.handshake(unique("c"))) {
                assertThat(Proto.joinReply(c, join(g, "bob", "bob")).path("value").asText()).isEqualTo("second");
            }
            o.send(groupAction("lock", 42));
            o.expectMatching(m -> isType(m, "joined", "change"));
            try (WsClient c = server.handshake(unique("c"))) {
                assertThat(Proto.joinReply(c, join(g, "bob", "bob")).path("value").asText()).isEqualTo("this group is locked");
            }
            o.send(groupAction("unlock", null));
            o.expectMatching(m -> isType(m, "joined", "change"));
            String id = unique("c");
            try (WsClient c = server.handshake(id)) {
                Proto.joinOk(c, id, join(g, "bob", "bob"));
            }
        }
    }

    @Test
    void GA4_GA5_recordNeedsRecordPermission() {
        String g = group("");
        try (WsClient o = op(g, unique("a"))) {
            o.send(groupAction("record", null));
            assertThat(Proto.nextError(o)).isEqualTo("not authorised");
            o.send(groupAction("unrecord", null));
            assertThat(Proto.nextError(o)).isEqualTo("not authorised");
            assertThat(o.isClosed()).isFalse();
        }
    }

    @Test
    void GA6_subgroupsListsPopulatedSubgroupsOnly() {
        String g = group("\"auto-subgroups\": true");
        try (WsClient o = op(g, unique("a"));
             WsClient s1 = op(g + "/one", unique("s"));
             WsClient s2 = op(g + "/two", unique("s"));
             WsClient s3 = op(g + "/two", unique("s"));
             WsClient deep = op(g + "/two/deeper", unique("s"))) {
            WsClient empty = op(g + "/empty", unique("s"));
            empty.send(Proto.leave(g + "/empty"));
            empty.expectMatching(m -> isType(m, "joined", "leave"));
            o.send(groupAction("subgroups", null));
            JsonNode reply = o.expectType("chat");
            assertThat(reply.path("dest").asText()).isNotEmpty();
            assertThat(reply.path("username").asText()).isEqualTo("Server");
            assertThat(reply.has("source")).isFalse();
            assertThat(reply.has("id")).isFalse();
            assertThat(reply.has("privileged")).isFalse();
            assertThat(reply.path("time").asText()).isNotEmpty();
            String text = reply.path("value").asText();
            assertThat(text).endsWith("\n");
            assertThat(Arrays.asList(text.split("\n"))).containsExactlyInAnyOrder(
                    g + "/one (1 client)", g + "/two (2 clients)", g + "/two/deeper (1 client)");
            empty.close();
            assertThat(historySeenByNewcomer(g)).isEmpty();
        }
    }

    @Test
    void GA6_subgroupsWithNoSubgroupsIsEmpty() {
        String g = group("");
        String id = unique("a");
        try (WsClient o = op(g, id)) {
            o.send(groupAction("subgroups", null));
            JsonNode reply = o.expectType("chat");
            assertThat(reply.path("dest").asText()).isEqualTo(id);
            assertThat(reply.path("value").asText()).isEmpty();
        }
    }

    @Test
    void GA7_GA8_setdataMergesAndEveryoneGetsFullData() {
        String g = group("");
        String b = unique("b");
        try (WsClient o = op(g, unique("a")); WsClient c = Proto.joined(server, b, join(g, "bob", "bob"))) {
            o.send(groupAction("setdata", obj("a", 1, "b", 2)));
            assertThat(c.expectMatching(m -> isType(m, "joined", "change")).path("data")).isEqualTo(obj("a", 1, "b", 2));
            o.send(groupAction("setdata", obj("a", null, "c", obj("nested", true))));
            JsonNode ch = c.expectMatching(m -> isType(m, "joined", "change"));
            assertThat(ch.path("data")).isEqualTo(obj("b", 2, "c", obj("nested", true)));
            assertThat(o.expectMatching(m -> isType(m, "joined", "change")).path("data")).isEqualTo(obj("a", 1, "b", 2));
            assertThat(o.expectMatching(m -> isType(m, "joined", "change")).path("data")).isEqualTo(ch.path("data"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"s\"", "[]", "null", "1"})
    void GA7_setdataValueMustBeAnObject(String value) {
        String g = group("");
        try (WsClient o = op(g, unique("a"))) {
            o.send("{\"type\":\"groupaction\",\"kind\":\"setdata\",\"value\":" + value + "}");
            assertThat(Proto.nextError(o)).isEqualTo("Bad value in setdata");
        }
    }

    @Test
    void GA8_G6_groupDataSurvivesMembersLeavingWhileTheGroupIsInMemory() {
        String g = group("");
        String a = unique("a");
        try (WsClient o = op(g, a)) {
            o.send(groupAction("setdata", obj("k", "v")));
            o.expectMatching(m -> isType(m, "joined", "change"));
        }
        String b = unique("b");
        try (WsClient c = server.handshake(b)) {
            assertThat(Proto.joinOk(c, b, join(g, "bob", "bob")).path("data")).isEqualTo(obj("k", "v"));
        }
    }
}
