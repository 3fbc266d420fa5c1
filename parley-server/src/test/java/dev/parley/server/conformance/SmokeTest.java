package dev.parley.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(f -> f.group("test", """
                {"users": {"vimes": {"password": "sybil", "permissions": "op"}},
                 "wildcard-user": {"password": "guest", "permissions": "present"}}
                """));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void HS4_J11_C6_handshakeJoinAndChatEcho() {
        try (WsClient a = server.handshake("a1")) {
            a.send("{\"type\":\"join\",\"kind\":\"join\",\"group\":\"test\",\"username\":\"vimes\",\"password\":\"sybil\"}");
            JsonNode joined = a.expect("joined");
            assertThat(joined.path("kind").asText()).isEqualTo("join");
            assertThat(joined.path("permissions")).hasSize(5);
            assertThat(joined.path("status").path("clientCount").asInt()).isEqualTo(1);
            assertThat(joined.has("rtcConfiguration")).isTrue();
            JsonNode self = a.expect("user");
            assertThat(self.path("id").asText()).isEqualTo("a1");
            a.send("{\"type\":\"chat\",\"source\":\"a1\",\"username\":\"vimes\",\"value\":\"hi\"}");
            JsonNode chat = a.expect("chat");
            assertThat(chat.path("value").asText()).isEqualTo("hi");
            assertThat(chat.path("privileged").asBoolean()).isTrue();
            assertThat(chat.path("id").asText()).hasSize(11);
        }
    }
}
