package dev.parley.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.rtc.turn.Turn;
import dev.parley.rtc.turn.TurnClient;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerOptions;
import dev.parley.server.config.IceServers;
import dev.parley.server.testing.WsClient;
import dev.parley.server.turn.BuiltInTurn;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;

import static dev.parley.server.conformance.Proto.join;
import static dev.parley.server.conformance.Proto.msg;
import static dev.parley.server.conformance.Proto.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** L10, L11, L15: the built-in TURN server, as the join reply announces it and as clients then use it. */
class BuiltInTurnTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static ParleyServer start(Path root, String turn, boolean relayOnly) throws Exception {
        Path groups = Files.createDirectories(root.resolve("groups"));
        Files.createDirectories(root.resolve("data"));
        Files.writeString(groups.resolve("r.json"), "{\"wildcard-user\": {\"password\": \"p\", \"permissions\": \"present\"}}");
        return ParleyServer.start(new ServerOptions("127.0.0.1:0", true, null, root.resolve("data"), groups,
                root.resolve("recordings"), "", turn, relayOnly, false, List.of("127.0.0.1")));
    }

    private static JsonNode stats(ParleyServer server) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpAddress().getPort() + "/galene-api/v0/.stats"))
                        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("root:rootpw".getBytes()))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return dev.parley.protocol.Json.parse(r.body());
    }

    private static JsonNode turnEntry(JsonNode stats) {
        for (JsonNode e : stats) {
            if (e.path("name").asText().equals(".turn")) return e.path("turn");
        }
        return null;
    }

    private static JsonNode joinedConfiguration(ParleyServer server) throws Exception {
        URI ws = URI.create("ws://127.0.0.1:" + server.httpAddress().getPort() + "/ws");
        String id = unique("c");
        try (WsClient c = WsClient.open(ws, null)) {
            c.send(msg("type", "handshake", "version", List.of("2"), "id", id));
            c.expect("handshake");
            return Proto.joinOk(c, id, join("r", "u", "p")).path("rtcConfiguration");
        }
    }

    private static void delete(Path root) throws Exception {
        try (var walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @Test
    void L10_L15_explicitTurnAddressIsAnnouncedWithAFreshCredentialThatRelaysToTheSfuOnly() throws Exception {
        Path root = Files.createTempDirectory("parley-turn-");
        ParleyServer server = start(root, "127.0.0.1:0", true);
        String firstCredential;
        try {
            JsonNode rtc = joinedConfiguration(server);
            assertThat(rtc.path("iceTransportPolicy").asText()).isEqualTo("relay");              // L11
            JsonNode servers = rtc.path("iceServers");
            assertThat(servers.size()).isEqualTo(1);
            JsonNode turn = servers.get(0);
            String udpUrl = turn.path("urls").get(0).asText();
            int port = Integer.parseInt(udpUrl.substring("turn:127.0.0.1:".length()));
            assertThat(turn.path("urls").toString()).isEqualTo(
                    "[\"turn:127.0.0.1:" + port + "\",\"turn:127.0.0.1:" + port + "?transport=tcp\"]");
            assertThat(turn.path("username").asText()).isEqualTo("galene");
            String credential = turn.path("credential").asText();
            assertThat(credential).hasSize(8);
            firstCredential = credential;
            assertThat(joinedConfiguration(server).path("iceServers").get(0).path("credential").asText())
                    .as("the same while the server runs").isEqualTo(credential);

            InetSocketAddress sfu = new InetSocketAddress(LOOPBACK, server.context().media().port());
            for (TurnClient c : List.of(TurnClient.udp(new InetSocketAddress(LOOPBACK, port)),
                    TurnClient.tcp(new InetSocketAddress(LOOPBACK, port)))) {
                try (c) {
                    TurnClient.Answer a = c.allocate("galene", credential);
                    assertThat(a.type()).isEqualTo(Turn.type(Turn.ALLOCATE, Turn.SUCCESS));
                    assertThat(a.xorAddress(Turn.ATTR_XOR_RELAYED_ADDRESS).getAddress()).isEqualTo(LOOPBACK);
                    assertThat(c.channelBind(0x4000, sfu).type()).as("the SFU's media socket")
                            .isEqualTo(Turn.type(Turn.CHANNEL_BIND, Turn.SUCCESS));
                    assertThat(c.channelBind(0x4001, new InetSocketAddress(LOOPBACK, sfu.getPort() ^ 1)).errorCode())
                            .as("another loopback port").isEqualTo(Turn.FORBIDDEN);
                    assertThat(c.createPermission(new InetSocketAddress("10.1.2.3", 9)).errorCode())
                            .as("a private address").isEqualTo(Turn.FORBIDDEN);
                }
            }
            assertThat(TurnClient.udp(new InetSocketAddress(LOOPBACK, port)).allocate("galene", credential + "x").errorCode())
                    .isEqualTo(Turn.UNAUTHORIZED);
        } finally {
            server.shutdown();
            delete(root);
        }
        Path other = Files.createTempDirectory("parley-turn-");
        ParleyServer again = start(other, "127.0.0.1:0", false);
        try {
            JsonNode rtc = joinedConfiguration(again);
            assertThat(rtc.has("iceTransportPolicy")).isFalse();
            assertThat(rtc.path("iceServers").get(0).path("credential").asText()).as("fresh per start")
                    .isNotEqualTo(firstCredential);
        } finally {
            again.shutdown();
            delete(other);
        }
    }

    @Test
    void H48_statsCarryActiveAllocationsAndRelayedBytes() throws Exception {
        Path root = Files.createTempDirectory("parley-turn-");
        Files.createDirectories(root.resolve("data"));
        Files.writeString(root.resolve("data/config.json"), "{\"users\": {\"root\": {\"password\": \"rootpw\", \"permissions\": \"admin\"}}}");
        ParleyServer server = start(root, "127.0.0.1:0", false);
        try {
            JsonNode turn = joinedConfiguration(server).path("iceServers").get(0);
            String url = turn.path("urls").get(0).asText();
            InetSocketAddress at = new InetSocketAddress(LOOPBACK, Integer.parseInt(url.substring(url.lastIndexOf(':') + 1)));
            assertThat(turnEntry(stats(server)).path("allocations").asInt()).isZero();
            try (TurnClient c = TurnClient.udp(at)) {
                c.allocate("galene", turn.path("credential").asText());
                c.channelBind(0x4000, new InetSocketAddress(LOOPBACK, server.context().media().port()));
                c.sendChannelData(0x4000, new byte[100]);          // to the SFU, which drops it: an unknown tuple
                c.request(Turn.BINDING, w -> { }, false);           // the server has handled everything before this
                JsonNode s = stats(server);
                List<String> names = new java.util.ArrayList<>();
                s.forEach(e -> names.add(e.path("name").asText()));
                assertThat(names).as("sorted among the groups").containsExactly(".turn", "r");
                JsonNode entry = turnEntry(s);
                assertThat(entry.path("allocations").asInt()).isEqualTo(1);
                assertThat(entry.path("relayedBytes").asLong()).isEqualTo(100);
                assertThat(entry.path("relayedPackets").asLong()).isEqualTo(1);
                c.refresh(0);
                assertThat(turnEntry(stats(server)).path("allocations").asInt()).isZero();
            }
        } finally {
            server.shutdown();
            delete(root);
        }
    }

    @Test
    void L10_emptyTurnDisablesIt() throws Exception {
        Path root = Files.createTempDirectory("parley-turn-");
        ParleyServer server = start(root, "", false);
        try {
            assertThat(joinedConfiguration(server).has("iceServers")).isFalse();
            assertThat(server.context().iceServers().builtInTurn().stats()).isNull();
        } finally {
            server.shutdown();
            delete(root);
        }
    }

    @Test
    void L10_autoRunsWhileIceServersJsonIsAbsentAndStopsWhenItAppears() throws Exception {
        Path data = Files.createTempDirectory("parley-turn-data-");
        BuiltInTurn turn = new BuiltInTurn("auto", List::of, () -> List.of(LOOPBACK), 0);
        IceServers ice = new IceServers(data, false, Clock.systemUTC(), turn);
        try {
            JsonNode running = ice.rtcConfiguration().path("iceServers");
            assertThat(running.size()).isEqualTo(1);
            String url = running.get(0).path("urls").get(0).asText();
            assertThat(url).startsWith("turn:127.0.0.1:");
            assertThat(turn.stats()).isNotNull();

            Files.writeString(data.resolve("ice-servers.json"), "[{\"urls\": [\"stun:stun.example.org\"]}]");
            JsonNode configured = ice.rtcConfiguration().path("iceServers");
            assertThat(configured.toString()).isEqualTo("[{\"urls\":[\"stun:stun.example.org\"]}]");
            assertThat(turn.stats()).as("stopped").isNull();
            int port = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
            try (TurnClient c = TurnClient.udp(new InetSocketAddress(LOOPBACK, port))) {
                c.sendRaw(new byte[20], 20);
                assertThat(c.receiveFrame()).as("nothing listens any more").isNull();
            }

            Files.delete(data.resolve("ice-servers.json"));
            JsonNode again = ice.rtcConfiguration().path("iceServers");
            assertThat(again.size()).isEqualTo(1);
            assertThat(again.get(0).path("credential").asText()).as("a fresh credential per start")
                    .isNotEqualTo(running.get(0).path("credential").asText());
        } finally {
            turn.close();
            delete(data);
        }
    }

    @Test
    void L10_autoWithoutPublicAddressesRunsNothingAndTheServerStillWorks() throws Exception {
        Path data = Files.createTempDirectory("parley-turn-data-");
        BuiltInTurn turn = new BuiltInTurn("auto", List::of, List::of, 0);
        try {
            IceServers ice = new IceServers(data, true, Clock.systemUTC(), turn);
            assertThat(ice.rtcConfiguration().toString()).isEqualTo("{\"iceTransportPolicy\":\"relay\"}");
            assertThat(turn.stats()).isNull();
        } finally {
            turn.close();
            delete(data);
        }
    }
}
