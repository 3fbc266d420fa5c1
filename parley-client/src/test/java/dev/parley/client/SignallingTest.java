package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client's half of protocol "2" signalling, against a scripted server on loopback. */
class SignallingTest {
    private static final String VIMES = "d23b2ef900eb64bf68942ad8fa5ac2c8";
    private static final String GUEST = "e058556e28e08e9d668eba3068ebbf1f";

    private ScriptedServer server;
    private ServerConnection sc;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedServer();
        sc = new ServerConnection();
        sc.onconnected(() -> events.add("connected"));
        sc.onclose((code, reason) -> events.add("close " + code + " " + reason));
        sc.onerror(e -> events.add("error " + e.getMessage()));
        sc.onuser((id, kind) -> events.add("user " + kind + " " + id));
        sc.onjoined((kind, group, perms, status, data, error, message) ->
                events.add("joined " + kind + " " + group + " " + perms + " " + status + " " + data + " " + error
                        + " " + message));
        sc.onchat((id, source, dest, username, time, privileged, history, kind, message) ->
                events.add("chat " + id + " " + source + " " + dest + " " + username + " " + time + " "
                        + privileged + " " + history + " " + kind + " " + message));
        sc.onusermessage((id, dest, username, time, privileged, kind, error, message) ->
                events.add("usermessage " + id + " " + dest + " " + username + " " + time + " " + privileged
                        + " " + kind + " " + error + " " + message));
    }

    @AfterEach
    void stop() {
        sc.close();
        server.close();
    }

    private String event() throws InterruptedException {
        String e = events.poll(10, TimeUnit.SECONDS);
        assertThat(e).as("an event within 10 s").isNotNull();
        return e;
    }

    private void connect() throws Exception {
        var connected = sc.connect(server.url());
        server.handshake();
        connected.get(10, TimeUnit.SECONDS);
        assertThat(event()).isEqualTo("connected");
    }

    private void joinAsVimes() throws Exception {
        var joined = sc.join("test", "vimes", "sybil");
        server.next("join");
        server.send("{\"type\":\"joined\",\"kind\":\"join\",\"username\":\"vimes\",\"permissions\":[\"op\",\"present\","
                + "\"message\"],\"status\":{\"name\":\"test\",\"clientCount\":1},\"group\":\"test\","
                + "\"rtcConfiguration\":{\"iceServers\":[{\"urls\":[\"turn:127.0.0.1:1194\"],\"username\":\"u\","
                + "\"credential\":\"c\"}]}}");
        assertThat(joined.get(10, TimeUnit.SECONDS).kind()).isEqualTo("join");
        assertThat(event()).startsWith("joined join test");
    }

    @Test
    void HS4_handshakeCarriesVersionTwoAndOurId() throws Exception {
        var connected = sc.connect(server.url());
        JsonNode hs = server.handshake();
        connected.get(10, TimeUnit.SECONDS);
        assertThat(hs.get("type").asText()).isEqualTo("handshake");
        assertThat(hs.get("version")).hasSize(1);
        assertThat(hs.get("version").get(0).asText()).isEqualTo("2");
        assertThat(hs.get("id").asText()).isEqualTo(sc.id()).matches("[0-9a-f]{32}");
        assertThat(event()).isEqualTo("connected");
        assertThat(sc.version()).isEqualTo("2");
        assertThat(sc.socket()).isNotNull();
        assertThat((Object) sc.pingHandler()).isNotNull();
        assertThat(sc.lastServerMessage()).isNotNull();
    }

    @Test
    void J26_aClosedConnectionCanConnectAgainWithTheSameId() throws Exception {
        connect();
        sc.close();
        assertThat(event()).startsWith("close 1000");
        var again = sc.connect(server.url());
        JsonNode hs = server.handshake();
        again.get(10, TimeUnit.SECONDS);
        assertThat(hs.get("id").asText()).isEqualTo(sc.id());
        assertThat(event()).isEqualTo("connected");
    }

    @Test
    void connectTwiceIsRefused() throws Exception {
        connect();
        assertThatThrownBy(() -> sc.connect(server.url())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void J1_J11_joinSendsCredentialsAndJoinedFillsTheConnection() throws Exception {
        connect();
        ObjectNode data = Json.object();
        data.put("raisehand", true);
        var joined = sc.join("test", "vimes", Credentials.password("sybil"), data);
        JsonNode join = server.next();
        assertThat(Json.write(join)).isEqualTo(
                "{\"type\":\"join\",\"kind\":\"join\",\"username\":\"vimes\",\"password\":\"sybil\","
                        + "\"data\":{\"raisehand\":true},\"group\":\"test\"}");
        server.send("{\"type\":\"joined\",\"kind\":\"join\",\"username\":\"vimes\",\"permissions\":[\"op\",\"present\"],"
                + "\"status\":{\"name\":\"test\",\"clientCount\":1},\"group\":\"test\",\"rtcConfiguration\":{}}");
        server.send("{\"type\":\"user\",\"kind\":\"add\",\"id\":\"" + sc.id() + "\",\"username\":\"vimes\","
                + "\"permissions\":[\"op\",\"present\"],\"data\":{\"raisehand\":true}}");
        server.send("{\"type\":\"user\",\"kind\":\"add\",\"id\":\"" + GUEST + "\",\"username\":\"guest-88228\","
                + "\"permissions\":[\"present\",\"message\"]}");
        JoinedEvent e = joined.get(10, TimeUnit.SECONDS);
        assertThat(e.kind()).isEqualTo("join");
        assertThat(e.permissions()).containsExactly("op", "present");
        assertThat(e.status().get("clientCount").asInt()).isEqualTo(1);
        assertThat(event()).isEqualTo("joined join test [op, present] {\"name\":\"test\",\"clientCount\":1} {} null null");
        assertThat(event()).isEqualTo("user add " + sc.id());
        assertThat(event()).isEqualTo("user add " + GUEST);
        assertThat(sc.group()).isEqualTo("test");
        assertThat(sc.username()).isEqualTo("vimes");
        assertThat(sc.permissions()).containsExactly("op", "present");
        assertThat(sc.rtcConfiguration()).isNotNull();
        assertThat(sc.users()).containsOnlyKeys(sc.id(), GUEST);
        User guest = sc.users().get(GUEST);
        assertThat(guest.username()).isEqualTo("guest-88228");
        assertThat(guest.permissions()).containsExactly("present", "message");
        assertThat(guest.data().isEmpty()).isTrue();
        assertThat(guest.streams()).isEmpty();
        assertThat(sc.users().get(sc.id()).data().get("raisehand").asBoolean()).isTrue();
    }

    @Test
    void J6_failedJoinReportsServerTextAndKeepsTheConnectionOpen() throws Exception {
        connect();
        var joined = sc.join("test", "vimes", "wrong");
        server.next("join");
        server.send("{\"type\":\"joined\",\"kind\":\"fail\",\"group\":\"test\",\"username\":\"\",\"value\":\"not authorised\"}");
        JoinedEvent e = joined.get(10, TimeUnit.SECONDS);
        assertThat(e.kind()).isEqualTo("fail");
        assertThat(e.message()).isEqualTo("not authorised");
        assertThat(e.permissions()).isEmpty();
        assertThat(event()).isEqualTo("joined fail test [] {} {} null not authorised");
        assertThat(sc.socket()).isNotNull();
        // J26: the client may retry on the same connection
        var again = sc.join("test", "vimes", "sybil");
        assertThat(server.next("join").get("password").asText()).isEqualTo("sybil");
        server.send("{\"type\":\"joined\",\"kind\":\"fail\",\"group\":\"test\",\"username\":\"\","
                + "\"value\":\"username required\",\"error\":\"need-username\"}");
        assertThat(again.get(10, TimeUnit.SECONDS).error()).isEqualTo("need-username");
    }

    @Test
    void tokenJoinSendsTokenAndNoPassword() throws Exception {
        connect();
        sc.join("test", null, Credentials.token("abc"), null);
        JsonNode join = server.next("join");
        assertThat(join.get("token").asText()).isEqualTo("abc");
        assertThat(join.has("password")).isFalse();
        assertThat(join.has("username")).isFalse();
    }

    @Test
    void U2_userChangeAndDeleteUpdateTheUsersMapBeforeTheCallback() throws Exception {
        connect();
        joinAsVimes();
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        sc.onuser((id, kind) -> {
            User u = sc.users().get(id);
            seen.add(kind + " " + (u == null ? "gone" : u.data().toString()));
            events.add("user " + kind);
        });
        server.send("{\"type\":\"user\",\"kind\":\"add\",\"id\":\"" + GUEST + "\",\"username\":\"g\"}");
        server.send("{\"type\":\"user\",\"kind\":\"change\",\"id\":\"" + GUEST + "\",\"username\":\"g\","
                + "\"permissions\":[\"present\"],\"data\":{\"raisehand\":true}}");
        server.send("{\"type\":\"user\",\"kind\":\"delete\",\"id\":\"" + GUEST + "\",\"username\":\"g\"}");
        assertThat(event()).isEqualTo("user add");
        assertThat(event()).isEqualTo("user change");
        assertThat(event()).isEqualTo("user delete");
        assertThat(seen).containsExactly("add {}", "change {\"raisehand\":true}", "delete gone");
    }

    @Test
    void C1_chatIsSentWithSourceAndUsernameAndReceivedWithNineArguments() throws Exception {
        connect();
        joinAsVimes();
        sc.chat("", "", "hello");
        JsonNode chat = server.next("chat");
        assertThat(Json.write(chat)).isEqualTo(
                "{\"type\":\"chat\",\"source\":\"" + sc.id() + "\",\"username\":\"vimes\",\"value\":\"hello\"}");
        sc.chat("me", GUEST, "waves");
        JsonNode me = server.next("chat");
        assertThat(me.get("kind").asText()).isEqualTo("me");
        assertThat(me.get("dest").asText()).isEqualTo(GUEST);

        server.send("{\"type\":\"chat\",\"id\":\"GXv5kr5i7Wg\",\"source\":\"" + VIMES + "\",\"username\":\"vimes\","
                + "\"privileged\":true,\"value\":\"hello from vimes\",\"time\":\"2026-11-25T16:28:46+01:00\"}");
        assertThat(event()).isEqualTo("chat GXv5kr5i7Wg " + VIMES + " null vimes "
                + Instant.parse("2026-11-25T15:28:46Z") + " true false null hello from vimes");
        server.send("{\"type\":\"chathistory\",\"id\":\"x\",\"source\":\"s\",\"username\":\"u\","
                + "\"time\":\"2026-11-25T15:28:46Z\",\"kind\":\"me\",\"value\":\"old\"}");
        assertThat(event()).isEqualTo("chat x s null u 2026-11-25T15:28:46Z false true me old");
        server.send("{\"type\":\"chat\",\"username\":\"Server\",\"dest\":\"" + sc.id() + "\",\"value\":{\"a\":1}}");
        assertThat(event()).isEqualTo("chat null null " + sc.id() + " Server null false false null {\"a\":1}");
    }

    @Test
    void M1_userMessagesBothWays() throws Exception {
        connect();
        joinAsVimes();
        ObjectNode v = Json.object();
        v.put("x", 1);
        sc.userMessage("info", GUEST, v, true);
        JsonNode um = server.next("usermessage");
        assertThat(um.get("kind").asText()).isEqualTo("info");
        assertThat(um.get("dest").asText()).isEqualTo(GUEST);
        assertThat(um.get("noecho").asBoolean()).isTrue();
        assertThat(um.get("value")).isEqualTo(v);
        assertThat(um.get("source").asText()).isEqualTo(sc.id());

        server.send("{\"type\":\"usermessage\",\"kind\":\"warning\",\"source\":\"" + VIMES + "\",\"dest\":\""
                + sc.id() + "\",\"username\":\"vimes\",\"privileged\":true,\"value\":\"careful\","
                + "\"time\":\"2026-11-25T15:28:46Z\"}");
        assertThat(event()).isEqualTo("usermessage " + VIMES + " " + sc.id()
                + " vimes 2026-11-25T15:28:46Z true warning null \"careful\"");
        server.send("{\"type\":\"usermessage\",\"kind\":\"error\",\"dest\":\"" + sc.id()
                + "\",\"privileged\":true,\"value\":\"not authorised\"}");
        assertThat(event()).isEqualTo("usermessage null " + sc.id()
                + " null null true error null \"not authorised\"");
    }

    @Test
    void UA1_GA1_S1_actionsAndRequestHaveTheReferenceShapes() throws Exception {
        connect();
        joinAsVimes();
        sc.userAction("kick", GUEST, Json.text("bye"));
        assertThat(Json.write(server.next("useraction"))).isEqualTo(
                "{\"type\":\"useraction\",\"kind\":\"kick\",\"source\":\"" + sc.id() + "\",\"dest\":\"" + GUEST
                        + "\",\"username\":\"vimes\",\"value\":\"bye\"}");
        sc.userAction("op", GUEST);
        assertThat(server.next("useraction").has("value")).isFalse();
        ObjectNode lock = Json.object();
        sc.groupAction("lock", Json.text("closed for lunch"));
        assertThat(Json.write(server.next("groupaction"))).isEqualTo(
                "{\"type\":\"groupaction\",\"kind\":\"lock\",\"source\":\"" + sc.id()
                        + "\",\"username\":\"vimes\",\"value\":\"closed for lunch\"}");
        assertThat(lock.isEmpty()).isTrue();
        sc.request(Map.of("", List.of("audio", "video")));
        assertThat(Json.write(server.next("request"))).isEqualTo(
                "{\"type\":\"request\",\"request\":{\"\":[\"audio\",\"video\"]}}");
    }

    @Test
    void J22_changeUpdatesPermissionsAndRtcConfiguration() throws Exception {
        connect();
        joinAsVimes();
        assertThat(sc.getRTCConfiguration().iceServers).hasSize(1);
        assertThat(sc.getRTCConfiguration().iceServers.get(0).urls).containsExactly("turn:127.0.0.1:1194");
        assertThat(sc.getRTCConfiguration().iceServers.get(0).password).isEqualTo("c");
        server.send("{\"type\":\"joined\",\"kind\":\"change\",\"username\":\"vimes\",\"permissions\":[\"message\"],"
                + "\"status\":{\"name\":\"test\",\"locked\":true,\"clientCount\":1},\"group\":\"test\",\"rtcConfiguration\":{}}");
        assertThat(event()).startsWith("joined change test [message] {\"name\":\"test\",\"locked\":true");
        assertThat(sc.permissions()).containsExactly("message");
        assertThat(sc.getRTCConfiguration().iceServers).isEmpty();
        // onpeerconnection overrides the server's configuration
        sc.onpeerconnection(() -> {
            var conf = new dev.onvoid.webrtc.RTCConfiguration();
            conf.iceServers.add(new dev.onvoid.webrtc.RTCIceServer());
            return conf;
        });
        assertThat(sc.getRTCConfiguration().iceServers).hasSize(1);
    }

    @Test
    void J18_leaveClearsUsersButKeepsTheGroupName() throws Exception {
        connect();
        joinAsVimes();
        server.send("{\"type\":\"user\",\"kind\":\"add\",\"id\":\"" + GUEST + "\",\"username\":\"g\"}");
        assertThat(event()).isEqualTo("user add " + GUEST);
        sc.leave("test");
        assertThat(Json.write(server.next("join"))).isEqualTo("{\"type\":\"join\",\"kind\":\"leave\",\"group\":\"test\"}");
        server.send("{\"type\":\"joined\",\"kind\":\"leave\",\"group\":\"test\",\"username\":\"vimes\",\"rtcConfiguration\":{}}");
        assertThat(event()).isEqualTo("user delete " + GUEST);
        assertThat(event()).startsWith("joined leave test []");
        assertThat(sc.users()).isEmpty();
        assertThat(sc.group()).isEqualTo("test");
        assertThat(sc.username()).isNull();
        assertThat(sc.permissions()).isEmpty();
    }

    @Test
    void KA1_serverPingIsAnsweredWithPong() throws Exception {
        connect();
        server.send("{\"type\":\"ping\"}");
        assertThat(Json.write(server.next())).isEqualTo("{\"type\":\"pong\"}");
    }

    @Test
    void closeCallsLeaveBeforeOnCloseAndResetsTheGroup() throws Exception {
        connect();
        joinAsVimes();
        sc.close();
        assertThat(event()).isEqualTo("joined leave test [] {} {}  ");
        assertThat(event()).isEqualTo("close 1000 " + ServerConnection.CLOSE_REASON);
        assertThat(sc.group()).isNull();
        assertThat(sc.socket()).isNull();
        assertThat((Object) sc.pingHandler()).isNull();
        assertThatThrownBy(() -> sc.chat("", "", "x")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void J24_kickClosesWithTheServersCodeAndReason() throws Exception {
        connect();
        joinAsVimes();
        // J24: the kicker is named in "id" (and "username"), not in "source"; protocol.js passes
        // m.source as onusermessage's id, so id is null and only the username names the kicker
        server.send("{\"type\":\"usermessage\",\"kind\":\"kicked\",\"id\":\"" + VIMES
                + "\",\"username\":\"vimes\",\"dest\":\"" + sc.id()
                + "\",\"privileged\":true,\"value\":\"you have been kicked out\"}");
        assertThat(event()).isEqualTo("usermessage null " + sc.id()
                + " vimes null true kicked null \"you have been kicked out\"");
        server.closeWith(1000, "kicked out by vimes");
        assertThat(event()).startsWith("joined leave test");
        assertThat(event()).isEqualTo("close 1000 kicked out by vimes");
    }

    @Test
    void J25_aKickByTheServerItselfNamesNoKicker() throws Exception {
        connect();
        joinAsVimes();
        server.send("{\"type\":\"usermessage\",\"kind\":\"kicked\",\"dest\":\"" + sc.id()
                + "\",\"privileged\":true,\"value\":\"server is shutting down\"}");
        assertThat(event()).isEqualTo("usermessage null " + sc.id()
                + " null null true kicked null \"server is shutting down\"");
    }

    @Test
    void malformedServerMessageIsAnErrorThenAClose() throws Exception {
        connect();
        server.send("this is not json");
        assertThat(event()).startsWith("error invalid JSON");
        assertThat(event()).startsWith("close 1000");
    }

    @Test
    void W3_aMessageOfTheWrongShapeIsDroppedAndTheSessionGoesOn() throws Exception {
        connect();
        joinAsVimes();
        server.send("{\"type\":\"chat\",\"time\":12,\"value\":\"numeric time\"}");
        server.send("{\"type\":\"user\",\"kind\":\"add\",\"id\":\"x\",\"permissions\":\"op\"}");
        server.send("[1,2]");
        assertThat(event()).startsWith("error server message is not a JSON object");
    }

    @Test
    void W3_wrongShapeThenPingStillAnswered() throws Exception {
        connect();
        server.send("{\"type\":\"chat\",\"time\":12,\"value\":\"numeric time\"}");
        server.send("{\"type\":\"ping\"}");
        assertThat(server.next("pong")).isNotNull();
        assertThat(events.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void messageBeforeHandshakeIsAnError() throws Exception {
        sc.connect(server.url());
        server.next();
        server.send("{\"type\":\"ping\"}");
        assertThat(event()).isEqualTo("error Server didn't send handshake");
        assertThat(event()).startsWith("close");
    }

    @Test
    void droppedTcpIsAnErrorThenClose1006() throws Exception {
        connect();
        server.dropTcp();
        assertThat(event()).startsWith("error Socket error");
        assertThat(event()).isEqualTo("close 1006 ");
    }

    @Test
    void errorCallsOnErrorThenOnClose() throws Exception {
        connect();
        sc.error(new IllegalStateException("boom"));
        assertThat(event()).isEqualTo("error boom");
        assertThat(event()).startsWith("close 1000");
    }

    @Test
    void S15_closeForUnknownStreamIsIgnored() throws Exception {
        connect();
        joinAsVimes();
        server.send("{\"type\":\"close\",\"id\":\"nope\"}");
        server.send("{\"type\":\"ping\"}");
        assertThat(server.next("pong")).isNotNull();
        assertThat(events.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }
}
