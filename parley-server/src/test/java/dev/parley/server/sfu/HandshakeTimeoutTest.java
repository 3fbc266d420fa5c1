package dev.parley.server.sfu;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Json;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Peers that never complete ICE and DTLS lose their stream after the handshake timeout
 * (shortened here to {@value #TIMEOUT_SECONDS} s with {@code -Dparley.handshake-timeout}), so
 * they cannot hold group places: real server, real HTTP and WebSocket, and no STUN ever sent.
 */
class HandshakeTimeoutTest {
    static final String PROPERTY = "parley.handshake-timeout";
    static final String TIMEOUT_SECONDS = "1.5";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static TestServer server;
    static String offer;

    @BeforeAll
    static void start() throws Exception {
        System.setProperty(PROPERTY, TIMEOUT_SECONDS);
        try {
            server = TestServer.start(f -> {
                f.group("small", """
                        {"max-clients": 2, "wildcard-user": {"password": {"type": "wildcard"}, "permissions": "present"}}
                        """);
                f.group("open", """
                        {"wildcard-user": {"password": {"type": "wildcard"}, "permissions": "present"}}
                        """);
            });
        } finally {
            System.clearProperty(PROPERTY);   // read once, at start
        }
        try (InputStream in = HandshakeTimeoutTest.class.getResourceAsStream("/sdp/chromium-offer-camera.sdp")) {
            offer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> whipPost() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.http("/group/small/.whip"))
                .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(offer)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void H66_whipSessionsThatNeverSendAStunCheckEndAndFreeTheirGroupPlaces() throws Exception {
        var first = whipPost();
        var second = whipPost();
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(whipPost().statusCode()).as("max-clients 2: the group is full").isNotEqualTo(201);

        // both sessions end on their own once the timeout has passed: the group has room again
        long deadline = System.nanoTime() + 30_000_000_000L;
        HttpResponse<String> third;
        do {
            Thread.sleep(250);
            third = whipPost();
        } while (third.statusCode() != 201 && System.nanoTime() < deadline);
        assertThat(third.statusCode()).as("a POST after the handshake timeout").isEqualTo(201);
        var gone = HTTP.send(HttpRequest.newBuilder(server.http(first.headers().firstValue("Location").orElseThrow()))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(gone.statusCode()).as("the first session's resource").isEqualTo(404);
    }

    @Test
    void S24_aWebSocketUpStreamThatNeverConnectsIsAbortedAndOthersSeeItClosed() {
        try (WsClient presenter = server.join("p1", "open", "p", ""); WsClient watcher = server.join("w1", "open", "w", "")) {
            var m = Json.object();
            m.put("type", "offer").put("id", "up1").put("label", "camera").put("sdp", offer);
            presenter.send(m.toString());
            presenter.expectType("answer");
            JsonNode abort = presenter.expectMatching(x -> x.path("type").asText().equals("abort"));
            assertThat(abort.path("id").asText()).isEqualTo("up1");
            assertThat(presenter.expectType("usermessage").path("kind").asText()).isEqualTo("error");
            watcher.expectMatching(x -> x.path("type").asText().equals("close") && x.path("id").asText().equals("up1"));
        }
    }
}
