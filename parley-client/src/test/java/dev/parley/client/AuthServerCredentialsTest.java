package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.parley.protocol.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** AS2: join through an authorisation server, which answers a JWT or 204 (use the password). */
class AuthServerCredentialsTest {
    private ScriptedServer server;
    private HttpServer auth;
    private ServerConnection sc;
    private final BlockingQueue<JsonNode> authRequests = new LinkedBlockingQueue<>();
    private volatile int status;

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedServer();
        auth = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        auth.createContext("/auth", exchange -> {
            try {
                authRequests.add(Json.parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            } catch (Exception e) {
                authRequests.add(Json.text("unparsable"));
            }
            if (status == 204) {
                exchange.sendResponseHeaders(204, -1);
            } else {
                byte[] body = "eyJ.token.sig".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/jwt; charset=utf-8");
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        auth.start();
        sc = new ServerConnection();
        var connected = sc.connect(server.url());
        server.handshake();
        connected.get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        sc.close();
        auth.stop(0);
        server.close();
    }

    private Credentials credentials() {
        return new Credentials.AuthServer("http://127.0.0.1:" + auth.getAddress().getPort() + "/auth",
                "http://example.invalid/group/test/", "pw");
    }

    @Test
    void AS2_aTokenFromTheAuthServerIsSentInsteadOfThePassword() throws Exception {
        status = 200;
        sc.join("test", "carrot", credentials(), null);
        JsonNode request = authRequests.poll(10, TimeUnit.SECONDS);
        assertThat(Json.write(request)).isEqualTo(
                "{\"location\":\"http://example.invalid/group/test/\",\"username\":\"carrot\",\"password\":\"pw\"}");
        JsonNode join = server.next("join");
        assertThat(join.get("token").asText()).isEqualTo("eyJ.token.sig");
        assertThat(join.has("password")).isFalse();
        assertThat(join.get("username").asText()).isEqualTo("carrot");
    }

    @Test
    void AS2_noContentFallsBackToThePassword() throws Exception {
        status = 204;
        sc.join("test", "carrot", credentials(), null);
        JsonNode join = server.next("join");
        assertThat(join.get("password").asText()).isEqualTo("pw");
        assertThat(join.has("token")).isFalse();
    }

    @Test
    void anAuthServerErrorFailsTheJoinFuture() {
        status = 403;
        var joined = sc.join("test", "carrot", credentials(), null);
        assertThat(joined).failsWithin(10, TimeUnit.SECONDS).withThrowableThat()
                .withMessageContaining("The authorisation server said 403");
    }
}
