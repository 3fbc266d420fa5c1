package dev.parley.server.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.rtc.turn.Turn;
import dev.parley.rtc.turn.TurnClient;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerOptions;
import dev.parley.server.testing.PrometheusText;
import dev.parley.server.testing.Promtool;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code /metrics} (issue 15): a real server with {@code -metrics} and {@code -metrics-http},
 * scraped over real sockets, checked by promtool, under a small signalling load.
 */
class MetricsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String GROUP = """
            {"users": {"op": {"password": "op", "permissions": "op"}},
             "wildcard-user": {"password": "any", "permissions": "message"}}
            """;

    private static TestServer start(boolean onMainPort, String metricsHttp) throws Exception {
        return TestServer.builder().metrics(onMainPort, metricsHttp).start(f -> {
            f.group("talk", GROUP);
            f.data("config.json", "{\"users\": {\"root\": {\"password\": \"rootpw\", \"permissions\": \"admin\"}}}");
        });
    }

    private static HttpResponse<String> get(URI uri, String basicUser, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        if (basicUser != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((basicUser + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static PrometheusText scrape(TestServer s) throws Exception {
        return PrometheusText.scrape(s);
    }

    @Test
    void scrapePassesPromtoolAndCountersMoveUnderSignallingLoad() throws Exception {
        Promtool.requireInstalled();
        try (TestServer s = start(false, "127.0.0.1:0")) {
            PrometheusText before = scrape(s);
            Promtool.check(before.text());
            assertThat(before.value("parley_group_members")).isZero();
            assertThat(before.hasFamily("jvm_memory_used_bytes")).isTrue();
            assertThat(before.hasFamily("jvm_gc_memory_allocated_bytes_total")).isTrue();
            assertThat(before.value("jvm_threads_live_threads")).isPositive();
            assertThat(before.value("parley_media_streams{role=\"receiver\"}")).isZero();
            assertThat(before.value("parley_turn_allocations")).isZero();
            // the forwarding delay histogram is there (promtool checked its buckets), empty without media
            assertThat(before.hasFamily("parley_media_forwarding_delay_seconds_bucket")).isTrue();
            assertThat(before.value("parley_media_forwarding_delay_seconds_count")).isZero();
            assertThat(before.value("parley_media_forwarding_delay_seconds_bucket{le=\"+Inf\"}")).isZero();
            assertThat(before.value("parley_media_retransmissions_refused_total")).as("plain resends refused under GCM").isZero();

            try (WsClient a = s.join("ma", "talk", "alice", "any"); WsClient b = s.join("mb", "talk", "bob", "any")) {
                a.expectMatching(m -> m.path("type").asText().equals("user") && m.path("id").asText().equals("mb"));
                a.send("{\"type\":\"chat\",\"source\":\"ma\",\"username\":\"alice\",\"value\":\"hello\"}");
                b.expectMatching(m -> m.path("type").asText().equals("chat") && m.path("value").asText().equals("hello"));

                PrometheusText during = scrape(s);
                Promtool.check(during.text());
                assertThat(during.value("parley_group_members")).isEqualTo(2);
                assertThat(during.value("parley_groups")).isGreaterThanOrEqualTo(1);
                assertThat(during.value("parley_websocket_connections_open")).isEqualTo(2);
                assertThat(during.value("parley_http_connections_open")).isGreaterThanOrEqualTo(2);
                assertThat(during.value("parley_websocket_connections_opened_total")
                        - before.value("parley_websocket_connections_opened_total")).isEqualTo(2);
                // handshake, join and chat from a; handshake and join from b
                assertThat(during.value("parley_websocket_messages_total{direction=\"received\"}")
                        - before.value("parley_websocket_messages_total{direction=\"received\"}")).isEqualTo(5);
                assertThat(during.value("parley_websocket_messages_total{direction=\"sent\"}")
                        - before.value("parley_websocket_messages_total{direction=\"sent\"}")).isGreaterThanOrEqualTo(6);
                assertThat(during.value("parley_http_responses_total{status=\"1xx\"}")
                        - before.value("parley_http_responses_total{status=\"1xx\"}")).isEqualTo(2);   // the upgrades

                a.send("{\"type\":\"frobnicate\"}");                       // the server closes with 1002
                assertThat(a.awaitClose().code()).isEqualTo(1002);
            }
            PrometheusText after = scrape(s);
            Promtool.check(after.text());
            assertThat(after.value("parley_websocket_closes_total{code=\"1002\",direction=\"sent\"}")).isEqualTo(1);
        }
    }

    @Test
    void mediaPortCountersAreReadAtScrapeTimeEvenAfterACollection() throws Exception {
        Promtool.requireInstalled();
        try (TestServer s = start(false, "127.0.0.1:0"); DatagramSocket udp = new DatagramSocket()) {
            PrometheusText before = scrape(s);
            InetSocketAddress media = new InetSocketAddress("127.0.0.1", s.server().context().media().port());
            byte[] junk = {(byte) 0xff, 1, 2, 3};                      // no RFC 7983 range: unclassified
            byte[] rtpFromNowhere = new byte[12];
            rtpFromNowhere[0] = (byte) 0x80;                              // RTP from a tuple no ICE check came from
            for (int i = 0; i < 3; i++) {
                udp.send(new DatagramPacket(junk, junk.length, media));
            }
            udp.send(new DatagramPacket(rtpFromNowhere, rtpFromNowhere.length, media));
            // Micrometer's meters hold what they read weakly: a collection must not freeze them.
            System.gc();
            String received = "parley_media_datagrams_received_total";
            PrometheusText after = before;
            for (int i = 0; i < 100 && after.value(received) - before.value(received) < 4; i++) {
                Thread.sleep(20);
                after = scrape(s);
            }
            assertThat(after.value(received) - before.value(received)).isEqualTo(4);
            assertThat(after.value("parley_media_datagrams_dropped_total{reason=\"unclassified\"}")
                    - before.value("parley_media_datagrams_dropped_total{reason=\"unclassified\"}")).isEqualTo(3);
            assertThat(after.value("parley_media_datagrams_dropped_total{reason=\"unknown_tuple\"}")
                    - before.value("parley_media_datagrams_dropped_total{reason=\"unknown_tuple\"}")).isEqualTo(1);
            assertThat(after.value("parley_media_rtp_packets_total{direction=\"received\"}")).isZero();
            Promtool.check(after.text());
        }
    }

    @Test
    void turnAllocationsAndRelayedTrafficAreCounted() throws Exception {
        try (TestServer s = TestServer.builder().turn("127.0.0.1:0", false).metrics(false, "127.0.0.1:0")
                .start(f -> f.group("talk", GROUP))) {
            JsonNode turn;
            try (WsClient c = s.handshake("t")) {
                c.send("{\"type\":\"join\",\"kind\":\"join\",\"group\":\"talk\",\"username\":\"u\",\"password\":\"any\"}");
                turn = c.expect("joined").path("rtcConfiguration").path("iceServers").get(0);
            }
            String url = turn.path("urls").get(0).asText();
            InetSocketAddress at = new InetSocketAddress("127.0.0.1", Integer.parseInt(url.substring(url.lastIndexOf(':') + 1)));
            assertThat(scrape(s).value("parley_turn_allocations")).isZero();
            try (TurnClient c = TurnClient.udp(at)) {
                c.allocate("galene", turn.path("credential").asText());
                c.channelBind(0x4000, new InetSocketAddress("127.0.0.1", s.server().context().media().port()));
                c.sendChannelData(0x4000, new byte[100]);          // to the SFU, which drops it: an unknown tuple
                c.request(Turn.BINDING, w -> { }, false);           // the server has handled everything before this
                PrometheusText during = scrape(s);
                assertThat(during.value("parley_turn_allocations")).isEqualTo(1);
                assertThat(during.value("parley_turn_relayed_bytes_total")).isEqualTo(100);
                assertThat(during.value("parley_turn_relayed_packets_total")).isEqualTo(1);
                c.refresh(0);
            }
            PrometheusText after = scrape(s);
            assertThat(after.value("parley_turn_allocations")).isZero();
            assertThat(after.value("parley_turn_relayed_bytes_total")).isEqualTo(100);
        }
    }

    @Test
    void aPeerThatNeverCompletesItsHandshakeCountsAsAFailure() throws Exception {
        String offer;
        try (var in = MetricsTest.class.getResourceAsStream("/sdp/chromium-offer-camera.sdp")) {
            offer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        TestServer server;
        System.setProperty("parley.handshake-timeout", "1");
        try {
            server = TestServer.builder().metrics(false, "127.0.0.1:0").start(f -> f.group("whip", """
                    {"wildcard-user": {"password": {"type": "wildcard"}, "permissions": "present"}}
                    """));
        } finally {
            System.clearProperty("parley.handshake-timeout");       // read once, at start
        }
        try (TestServer s = server) {
            HttpResponse<String> whip = HTTP.send(HttpRequest.newBuilder(s.http("/group/whip/.whip"))
                    .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(offer)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(whip.statusCode()).isEqualTo(201);
            String timeouts = "parley_media_transport_failures_total{reason=\"handshake_timeout\"}";
            PrometheusText t = scrape(s);
            assertThat(t.value("parley_media_streams{role=\"presenter\"}")).isEqualTo(1);
            long deadline = System.nanoTime() + 30_000_000_000L;          // no STUN is ever sent: it must time out
            while (t.value(timeouts) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                t = scrape(s);
            }
            assertThat(t.value(timeouts)).isEqualTo(1);
            assertThat(t.value("parley_media_transport_failures_total{reason=\"dtls\"}")).isZero();
        }
    }

    @Test
    void onTheMainPortOnlyAGlobalAdministratorMayScrape() throws Exception {
        try (TestServer s = start(true, null)) {
            HttpResponse<String> anonymous = get(s.http("/metrics"), null, null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("basic realm=\"/metrics\"");
            assertThat(anonymous.body()).doesNotContain("jvm_");
            // a group's operator is not a global administrator; nor is a wrong password
            assertThat(get(s.http("/metrics"), "op", "op").statusCode()).isEqualTo(401);
            assertThat(get(s.http("/metrics"), "root", "wrong").statusCode()).isEqualTo(401);

            HttpResponse<String> admin = get(s.http("/metrics"), "root", "rootpw");
            assertThat(admin.statusCode()).isEqualTo(200);
            assertThat(admin.headers().firstValue("Content-Type")).hasValue(ServerMetrics.CONTENT_TYPE);
            assertThat(PrometheusText.parse(admin.body()).hasFamily("parley_http_requests_total")).isTrue();

            HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(s.http("/metrics"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(s.server().metricsAddress()).isNull();
        }
    }

    @Test
    void withoutTheFlagsThereIsNoMetricsEndpoint() throws Exception {
        try (TestServer s = TestServer.start()) {
            assertThat(get(s.http("/metrics"), null, null).statusCode()).isEqualTo(404);
            assertThat(s.server().metricsAddress()).isNull();
            assertThat(s.server().context().metrics().enabled()).isFalse();
        }
    }

    @Test
    void theSeparateListenerServesOnlyMetricsAndTheMainPortNothing() throws Exception {
        try (TestServer s = start(false, "127.0.0.1:0")) {
            int port = s.server().metricsAddress().getPort();
            assertThat(get(URI.create("http://127.0.0.1:" + port + "/"), null, null).statusCode()).isEqualTo(404);
            assertThat(get(URI.create("http://127.0.0.1:" + port + "/metrics?x=1"), null, null).statusCode()).isEqualTo(200);
            assertThat(get(s.http("/metrics"), "root", "rootpw").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aBadMetricsAddressIsAClearErrorBeforeAnythingStarts() throws Exception {
        var root = Files.createTempDirectory("parley-metrics-");
        ServerOptions options = new ServerOptions("127.0.0.1:0", true, null, root.resolve("data"), root.resolve("groups"),
                root.resolve("recordings"), "", "", false, false, List.of("127.0.0.1"), false, "localhost-9100");
        assertThatThrownBy(() -> ParleyServer.start(options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-metrics-http must be [host]:port, got localhost-9100");
        ServerOptions port = new ServerOptions("127.0.0.1:0", true, null, root.resolve("data"), root.resolve("groups"),
                root.resolve("recordings"), "", "", false, false, List.of("127.0.0.1"), false, "127.0.0.1:http");
        assertThatThrownBy(() -> ParleyServer.start(port)).hasMessage("-metrics-http must be [host]:port, got 127.0.0.1:http");
    }
}
