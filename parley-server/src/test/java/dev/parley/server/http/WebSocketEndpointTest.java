package dev.parley.server.http;

import dev.parley.server.testing.RawHttp;
import dev.parley.server.testing.RawHttp.Response;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** Spec A.6: the {@code /ws} endpoint (H33–H35). */
class WebSocketEndpointTest {
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(f -> f.data("config.json",
                "{\"allowOrigin\": [\"https://Friend.Example.org\", \"null\"]}"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawHttp upgrade() {
        return RawHttp.to(server).target("/ws")
                .header("Connection", "Upgrade")
                .header("Upgrade", "websocket")
                .header("Sec-WebSocket-Version", "13")
                .header("Sec-WebSocket-Key", KEY);
    }

    private static String accept(String key) throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-1")
                .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
        return Base64.getEncoder().encodeToString(d);
    }

    @Test
    void H33_upgradeSucceedsWithoutSubprotocol() throws Exception {
        Response r = upgrade().header("Sec-WebSocket-Protocol", "chat, superchat").send();
        assertThat(r.status()).isEqualTo(101);
        assertThat(r.header("Sec-WebSocket-Accept")).isEqualTo(accept(KEY));
        assertThat(r.header("Sec-WebSocket-Protocol")).isNull();
        assertThat(r.header("Sec-WebSocket-Extensions")).isNull();
    }

    @Test
    void H33_jdkClientCanHandshake() {
        try (WsClient c = server.handshake("ws-endpoint-test")) {
            assertThat(c.isClosed()).isFalse();
        }
    }

    @Test
    void H34_noOriginIsAllowed() {
        assertThat(upgrade().send().status()).isEqualTo(101);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:PORT", "https://127.0.0.1:PORT", "wss://127.0.0.1:PORT/path"})
    void H34_sameHostOriginIsAllowedWhateverTheScheme(String origin) {
        Response r = upgrade().header("Origin", origin.replace("PORT", String.valueOf(server.port()))).send();
        assertThat(r.status()).isEqualTo(101);
    }

    @Test
    void H34_hostComparisonIsCaseInsensitive() {
        Response r = upgrade().header("Host", "Parley.Example.org:1").header("Origin", "https://parley.example.ORG:1").send();
        assertThat(r.status()).isEqualTo(101);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1", "http://127.0.0.1:1", "https://evil.example.org", "https://friend.example.org/", "garbage"})
    void H34_otherOriginsAre403(String origin) {
        Response r = upgrade().header("Origin", origin).send();
        assertThat(r.status()).isEqualTo(403);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://friend.example.org", "HTTPS://FRIEND.EXAMPLE.ORG", "null"})
    void H34_allowOriginEntriesMatchTheWholeStringCaseInsensitively(String origin) {
        Response r = upgrade().header("Origin", origin).send();
        assertThat(r.status()).isEqualTo(101);
    }

    @Test
    void H34_rejectedOriginWithJdkClientFails() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> WsClient.open(server.ws(), "https://evil.example.org").close())
                .hasStackTraceContaining("403");
    }

    @Test
    void H35_plainGetIs400() {
        Response r = RawHttp.to(server).target("/ws").send();
        assertThat(r.status()).isEqualTo(400);
    }

    @Test
    void H35_badOriginWithoutUpgradeIsStill400() {
        Response r = RawHttp.to(server).target("/ws").header("Origin", "https://evil.example.org").send();
        assertThat(r.status()).isEqualTo(400);
    }

    @Test
    void H35_missingUpgradeHeaderIs400() {
        Response r = RawHttp.to(server).target("/ws").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", KEY).send();
        assertThat(r.status()).isEqualTo(400);
    }

    @Test
    void H35_otherHandshakeErrorsAre4xx() {
        assertThat(upgrade().method("POST").send().status()).isEqualTo(405);
        Response oldVersion = RawHttp.to(server).target("/ws").header("Connection", "Upgrade")
                .header("Upgrade", "websocket").header("Sec-WebSocket-Version", "8")
                .header("Sec-WebSocket-Key", KEY).send();
        assertThat(oldVersion.status()).isEqualTo(400);
        assertThat(oldVersion.header("Sec-WebSocket-Version")).isEqualTo("13");
        Response badKey = RawHttp.to(server).target("/ws").header("Connection", "keep-alive, Upgrade")
                .header("Upgrade", "websocket").header("Sec-WebSocket-Version", "13")
                .header("Sec-WebSocket-Key", "c2hvcnQ=").send();
        assertThat(badKey.status()).isEqualTo(400);
    }
}
