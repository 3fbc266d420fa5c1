package dev.parley.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.rtc.sdp.SessionDescription;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** WHIP ingest (spec A.9) over real HTTP, with a real Chromium offer; no media flows here. */
class WhipTest {
    static TestServer server;
    static String offer;
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(f -> {
            f.group("open", """
                    {"wildcard-user": {"password": {"type": "wildcard"}, "permissions": "present"},
                     "users": {"op": {"password": "op", "permissions": "op"}}}
                    """);
            f.group("watchonly", """
                    {"wildcard-user": {"password": {"type": "wildcard"}, "permissions": "observe"}}
                    """);
            f.group("closed", """
                    {"users": {"op": {"password": "op", "permissions": "op"}}}
                    """);
            f.data("ice-servers.json", """
                    [{"urls": ["stun:stun.example.org:3478"]},
                     {"urls": ["turn:turn.example.org:3478"], "username": "u\\\\s", "credential": "p\\u0022w"}]
                    """);
        });
        try (InputStream in = WhipTest.class.getResourceAsStream("/sdp/chromium-offer-camera.sdp")) {
            offer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String group, String body, String type) throws Exception {
        return send(HttpRequest.newBuilder(server.http("/group/" + group + "/.whip"))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void H62_unknownGroupIs404AndOptionsAdvertisesPost() throws Exception {
        assertThat(post("nosuch", offer, "application/sdp").statusCode()).isEqualTo(404);
        var options = send(HttpRequest.newBuilder(server.http("/group/open/.whip")).method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(options.statusCode()).isEqualTo(200);
        assertThat(options.headers().firstValue("Access-Control-Allow-Methods")).contains("OPTIONS, POST");
        var get = send(HttpRequest.newBuilder(server.http("/group/open/.whip")).GET());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).contains("OPTIONS, POST");
    }

    @Test
    void H62_H65_optionsCarriesOneLinkPerIceServerUrlAndCorsForTheSameOrigin() throws Exception {
        String origin = "http://127.0.0.1:" + server.port();
        var options = send(HttpRequest.newBuilder(server.http("/group/open/.whip")).header("Origin", origin)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(options.headers().allValues("Link")).containsExactly(
                "<stun:stun.example.org:3478>; rel=\"ice-server\"",
                "<turn:turn.example.org:3478>; rel=\"ice-server\"; username=\"u\\\\s\"; credential=\"p\\\"w\"; credential-type=\"password\"");
        assertThat(options.headers().firstValue("Access-Control-Allow-Origin")).contains(origin);
        assertThat(options.headers().firstValue("Access-Control-Expose-Headers")).contains("Link");
        var foreign = send(HttpRequest.newBuilder(server.http("/group/open/.whip")).header("Origin", "https://evil.example")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(foreign.statusCode()).as("origins are never refused").isEqualTo(200);
        assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void H63_wrongContentTypeIs415() throws Exception {
        var r = post("open", offer, "application/sdp; charset=utf-8");
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(r.headers().firstValue("Accept")).contains("application/sdp");
    }

    @Test
    void H63_unauthorisedIs401AndWithoutPresentIs403() throws Exception {
        assertThat(post("closed", offer, "application/sdp").statusCode()).isEqualTo(401);
        assertThat(post("watchonly", offer, "application/sdp").statusCode()).isEqualTo(403);
        assertThat(server.server().context().groups().get("watchonly").clientCount()).isZero();
    }

    @Test
    void H63_H66_U3_postAnswersAndJoinsAsWhipThenDeleteLeaves() throws Exception {
        try (WsClient watcher = server.join("watcher-" + System.nanoTime(), "open", "op", "op")) {
            var r = post("open", offer, "application/sdp");
            assertThat(r.statusCode()).isEqualTo(201);
            assertThat(r.headers().firstValue("Content-Type")).contains("application/sdp");
            String location = r.headers().firstValue("Location").orElseThrow();
            assertThat(location).matches("/group/open/\\.whip/[A-Za-z0-9_-]{22}");
            String etag = r.headers().firstValue("ETag").orElseThrow();
            assertThat(etag).matches("\"[A-Za-z0-9_-]{22}\"");
            SessionDescription answer = SessionDescription.parse(r.body());
            assertThat(answer.iceLite()).isTrue();
            assertThat(answer.media()).anySatisfy(m -> assertThat(m.candidates()).isNotEmpty());

            JsonNode add = watcher.expectMatching(m -> m.path("type").asText().equals("user")
                    && m.path("kind").asText().equals("add"));
            assertThat(add.path("username").asText()).isEqualTo("whip");
            assertThat(add.path("id").asText()).matches("[A-Za-z0-9_-]{22}").isNotEqualTo(location.substring(location.lastIndexOf('/') + 1));
            assertThat(add.has("data")).isFalse();

            URI session = server.http(location);
            var wrongEtag = send(HttpRequest.newBuilder(session).header("If-Match", "\"nope\"").DELETE());
            assertThat(wrongEtag.statusCode()).isEqualTo(412);
            var put = send(HttpRequest.newBuilder(session).PUT(HttpRequest.BodyPublishers.noBody()));
            assertThat(put.statusCode()).isEqualTo(405);
            var patch = send(HttpRequest.newBuilder(session).header("Content-Type", "application/trickle-ice-sdpfrag")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("a=candidate:1 1 udp 1 127.0.0.1 9 typ host\r\n")));
            assertThat(patch.statusCode()).isEqualTo(204);
            var delete = send(HttpRequest.newBuilder(session).header("If-Match", etag).DELETE());
            assertThat(delete.statusCode()).isEqualTo(200);
            JsonNode gone = watcher.expectMatching(m -> m.path("type").asText().equals("user")
                    && m.path("kind").asText().equals("delete"));
            assertThat(gone.path("id")).isEqualTo(add.path("id"));
            assertThat(send(HttpRequest.newBuilder(session).DELETE()).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void H64_undecodableSessionIdIs500() throws Exception {
        var r = send(HttpRequest.newBuilder(server.http("/group/open/.whip/not-an-id")).DELETE());
        assertThat(r.statusCode()).isEqualTo(500);
    }

    @Test
    void UA4_kickingAWhipSessionEndsIt() throws Exception {
        String opId = "op-" + System.nanoTime();
        try (WsClient op = server.join(opId, "open", "op", "op")) {
            var r = post("open", offer, "application/sdp");
            assertThat(r.statusCode()).isEqualTo(201);
            JsonNode add = op.expectMatching(m -> m.path("type").asText().equals("user")
                    && m.path("kind").asText().equals("add") && m.path("username").asText().equals("whip"));
            op.send("{\"type\":\"useraction\",\"kind\":\"kick\",\"dest\":\"" + add.path("id").asText() + "\"}");
            op.expectMatching(m -> m.path("type").asText().equals("user") && m.path("kind").asText().equals("delete")
                    && m.path("id").equals(add.path("id")));
            String location = r.headers().firstValue("Location").orElseThrow();
            assertThat(send(HttpRequest.newBuilder(server.http(location)).DELETE()).statusCode()).isEqualTo(404);
        }
    }
}
