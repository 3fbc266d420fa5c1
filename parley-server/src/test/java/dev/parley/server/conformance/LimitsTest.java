package dev.parley.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.RawWsClient;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static dev.parley.server.conformance.Proto.isType;
import static dev.parley.server.conformance.Proto.isUser;
import static dev.parley.server.conformance.Proto.join;
import static dev.parley.server.conformance.Proto.msg;
import static dev.parley.server.conformance.Proto.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec F: L1–L4 and L13–L15 as far as they are observable without media or long waits. */
class LimitsTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(f -> f.data("ice-servers.json", """
                [{"urls": ["stun:stun.example.org:3478"]},
                 {"urls": "turn:turn.example.org:3478", "username": "static-user", "credential": "static-pass"},
                 {"urls": ["turn:hmac.example.org:3478"], "username": "alice", "credential": "shared-secret",
                  "credentialType": "hmac-sha1"}]
                """));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void W7_L3_aClientThatStopsReadingIsDroppedWithoutHoldingUpTheGroup() throws Exception {
        String g = Proto.standardGroup(server, "");
        String a = unique("a");
        String b = unique("b");
        String slow = unique("slow");
        try (WsClient sender = Proto.joined(server, a, join(g, "op", "op"));
             WsClient reader = Proto.joined(server, b, join(g, "bob", "bob"));
             RawWsClient stalled = new RawWsClient(server.port(), 4096)) {
            stalled.sendText(msg("type", "handshake", "version", List.of("2"), "id", slow));
            stalled.sendText(join(g, "x", "any"));
            sender.expectMatching(m -> isUser(m, "add", slow));
            reader.expectMatching(m -> isUser(m, "add", slow));
            String big = "z".repeat(32 * 1024);
            int count = 400;   // about 13 MB for the stalled client: far beyond socket buffers and the queue
            for (int i = 0; i < count; i++) {
                sender.send(msg("type", "chat", "value", i + ":" + big));
            }
            JsonNode gone = reader.expectMatching(m -> isUser(m, "delete", slow));
            assertThat(gone.path("username").asText()).isEqualTo("x");
            List<Integer> received = new ArrayList<>();
            for (JsonNode m : reader.skipped()) {
                if (isType(m, "chat", null)) {
                    received.add(Integer.parseInt(m.path("value").asText().split(":")[0]));
                }
            }
            while (received.size() < count) {
                JsonNode m = reader.expectType("chat");
                received.add(Integer.parseInt(m.path("value").asText().split(":")[0]));
            }
            assertThat(received).as("the reading members get everything, in order")
                    .isEqualTo(java.util.stream.IntStream.range(0, count).boxed().toList());
            assertThat(sender.isClosed()).isFalse();
            assertThat(reader.isClosed()).isFalse();
        }
    }

    @Test
    void L1_C9_historyLimitAndMessageLimitAreThoseOfTheSpec() {
        // 1 MiB (W2) and 50 history entries (C9) are exercised in FramingTest and ChatTest; here the
        // default history age (14400 s) keeps a message that is a few seconds old.
        String g = Proto.standardGroup(server, "");
        try (WsClient c = Proto.joined(server, unique("a"), join(g, "op", "op"))) {
            c.send(msg("type", "chat", "value", "kept by default"));
            c.expectType("chat");
        }
        String n = unique("n");
        try (WsClient c = server.handshake(n)) {
            c.send(join(g, "x", "any"));
            c.expectType("joined");
            assertThat(c.expect("chathistory").path("value").asText()).isEqualTo("kept by default");
        }
    }

    @Test
    void L13_noGlobalUserLimit() {
        List<WsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 60; i++) {
                String g = Proto.standardGroup(server, "");
                clients.add(Proto.joined(server, unique("m"), join(g, "x", "any")));
                clients.add(Proto.joined(server, unique("m"), join(g, "y", "any")));
            }
            assertThat(clients).hasSize(120).noneMatch(WsClient::isClosed);
        } finally {
            clients.forEach(WsClient::close);
        }
    }

    @Test
    void L14_generatedIdentifierFormats() {
        String g = Proto.standardGroup(server, "");
        try (WsClient c = Proto.joined(server, unique("a"), join(g, "op", "op"))) {
            c.send(msg("type", "chat", "value", "x"));
            assertThat(c.expectType("chat").path("id").asText()).matches("[A-Za-z0-9_-]{11}");
            c.send(msg("type", "groupaction", "kind", "maketoken", "value", Proto.obj("group", g, "expires", 1000)));
            assertThat(c.expectMatching(m -> isType(m, "usermessage", "token")).path("value").path("token").asText())
                    .matches("[A-Za-z0-9_-]{11}");
        }
    }

    @Test
    void L15_L9_rtcConfigurationCarriesConfiguredServersAndHmacCredentials() throws Exception {
        String g = Proto.standardGroup(server, "");
        String id = unique("c");
        try (WsClient c = server.handshake(id)) {
            long before = Instant.now().getEpochSecond();
            JsonNode rtc = Proto.joinOk(c, id, join(g, "op", "op")).path("rtcConfiguration");
            long after = Instant.now().getEpochSecond();
            assertThat(rtc.has("iceTransportPolicy")).isFalse();
            JsonNode servers = rtc.path("iceServers");
            assertThat(servers.size()).isEqualTo(3);
            assertThat(servers.get(0).path("urls")).isEqualTo(Proto.node(List.of("stun:stun.example.org:3478")));
            assertThat(servers.get(0).has("username")).isFalse();
            assertThat(servers.get(1).path("urls")).isEqualTo(Proto.node(List.of("turn:turn.example.org:3478")));
            assertThat(servers.get(1).path("username").asText()).isEqualTo("static-user");
            assertThat(servers.get(1).path("credential").asText()).isEqualTo("static-pass");
            JsonNode hmac = servers.get(2);
            String username = hmac.path("username").asText();
            assertThat(username).matches("\\d+:alice");
            long expiry = Long.parseLong(username.substring(0, username.indexOf(':')));
            assertThat(expiry).isBetween(before + 86400, after + 86400);
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec("shared-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            assertThat(hmac.path("credential").asText())
                    .isEqualTo(Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8))));
            // also in joined leave (J18)
            c.send(Proto.leave(g));
            assertThat(c.expectType("joined").path("rtcConfiguration").path("iceServers").size()).isEqualTo(3);
        }
    }

    @Test
    void L15_L11_relayOnlyAddsIceTransportPolicy() throws Exception {
        java.nio.file.Path root = java.nio.file.Files.createTempDirectory("parley-relay-");
        java.nio.file.Path groups = java.nio.file.Files.createDirectories(root.resolve("groups"));
        java.nio.file.Path data = java.nio.file.Files.createDirectories(root.resolve("data"));
        java.nio.file.Files.writeString(groups.resolve("r.json"), "{\"wildcard-user\": {\"password\": \"p\", \"permissions\": \"message\"}}");
        dev.parley.server.ParleyServer relay = dev.parley.server.ParleyServer.start(new dev.parley.server.ServerOptions(
                "127.0.0.1:0", true, null, data, groups, root.resolve("recordings"), "", "", true, false, List.of("127.0.0.1")));
        try {
            java.net.URI ws = java.net.URI.create("ws://127.0.0.1:" + relay.httpAddress().getPort() + "/ws");
            String id = unique("c");
            try (WsClient c = WsClient.open(ws, null)) {
                c.send(msg("type", "handshake", "version", List.of("2"), "id", id));
                c.expect("handshake");
                JsonNode rtc = Proto.joinOk(c, id, join("r", "u", "p")).path("rtcConfiguration");
                assertThat(rtc.path("iceTransportPolicy").asText()).isEqualTo("relay");
            }
        } finally {
            relay.shutdown();
            try (var walk = java.nio.file.Files.walk(root)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
