package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.parley.client.media.SyntheticVideoSource;
import dev.parley.protocol.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Server-driven events on an up stream: answer, renegotiate (ICE restart), abort. */
@Tag("media")
class UpStreamSignallingTest {
    private ScriptedServer server;
    private ServerConnection sc;
    private SyntheticVideoSource video;
    private VideoTrack track;
    private RTCPeerConnection answerer;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedServer();
        sc = new ServerConnection();
        var connected = sc.connect(server.url());
        server.handshake();
        connected.get(10, TimeUnit.SECONDS);
        var joined = sc.join("g", "alice", "x");
        server.next("join");
        server.send("{\"type\":\"joined\",\"kind\":\"join\",\"group\":\"g\",\"username\":\"alice\","
                + "\"permissions\":[\"present\"],\"rtcConfiguration\":{}}");
        joined.get(10, TimeUnit.SECONDS);
        video = new SyntheticVideoSource(160, 120, 15);
        track = sc.engine().createVideoTrack("v", video.source());
        // plays the server's media side: answers our offers
        answerer = sc.engine().createPeerConnection(null, c -> { });
    }

    @AfterEach
    void stop() throws Exception {
        sc.close();
        Thread.sleep(200);
        answerer.close();
        track.dispose();
        video.close();
        server.close();
    }

    private void answer(JsonNode offer) throws Exception {
        Rtc.setRemote(answerer, RTCSdpType.OFFER, offer.get("sdp").asText()).get(10, TimeUnit.SECONDS);
        RTCSessionDescription a = Rtc.createAnswer(answerer).get(10, TimeUnit.SECONDS);
        Rtc.setLocal(answerer, a).get(10, TimeUnit.SECONDS);
        var m = Json.object();
        m.put("type", "answer");
        m.put("id", offer.get("id").asText());
        m.put("sdp", a.sdp);
        server.send(m);
    }

    private static String ufrag(JsonNode offer) {
        return offer.get("sdp").asText().lines().filter(l -> l.startsWith("a=ice-ufrag:")).findFirst().orElseThrow();
    }

    @Test
    void S24_renegotiateRestartsIceAndAbortClosesTheStream() throws Exception {
        Stream up = sc.newUpStream();
        up.onnegotiationcompleted(() -> events.add("negotiated"));
        up.onclose(replace -> events.add("closed " + replace));
        up.label("camera");
        up.addTrack(track);

        JsonNode first = server.next("offer");
        assertThat(first.has("kind")).isFalse();
        assertThat(first.get("label").asText()).isEqualTo("camera");
        // a renegotiation asked for while the offer is unanswered waits for the answer (S11)
        up.negotiate();
        long until = System.currentTimeMillis() + 300;
        while (System.currentTimeMillis() < until) {
            JsonNode m = server.poll(50);
            assertThat(m == null ? "" : m.get("type").asText()).as("no second offer before the answer")
                    .isNotEqualTo("offer");
        }
        answer(first);
        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("negotiated");
        JsonNode deferred = server.next("offer");
        assertThat(deferred.get("kind").asText()).isEqualTo("renegotiate");
        answer(deferred);
        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("negotiated");

        server.send("{\"type\":\"renegotiate\",\"id\":\"" + up.id() + "\"}");
        JsonNode restart = server.next("offer");
        assertThat(restart.get("id").asText()).isEqualTo(up.id());
        assertThat(restart.get("kind").asText()).isEqualTo("renegotiate");
        assertThat(ufrag(restart)).as("ICE restart changes the ufrag").isNotEqualTo(ufrag(first));
        answer(restart);
        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("negotiated");

        server.send("{\"type\":\"abort\",\"id\":\"" + up.id() + "\"}");
        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("closed false");
        assertThat(sc.up()).isEmpty();
        assertThat(server.next("close").get("id").asText()).isEqualTo(up.id());
    }

    @Test
    void S16_candidatesBeforeTheirOfferAreKept() throws Exception {
        // an offer from a presenter's stream, made by a local peer connection
        RTCPeerConnection presenter = sc.engine().createPeerConnection(null, c -> { });
        var sender = presenter.addTrack(track, java.util.List.of("s"));
        RTCSessionDescription offer = Rtc.createOffer(presenter, false).get(10, TimeUnit.SECONDS);
        Rtc.setLocal(presenter, offer).get(10, TimeUnit.SECONDS);
        sc.ondownstream(s -> events.add("down " + s.id() + " " + s.label() + " " + s.username()));
        server.send("{\"type\":\"ice\",\"id\":\"d1\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 2130706431 "
                + "10.77.0.1 40000 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");
        var m = Json.object();
        m.put("type", "offer");
        m.put("id", "d1");
        m.put("label", "camera");
        m.put("source", "p1");
        m.put("username", "presenter");
        m.put("sdp", offer.sdp);
        server.send(m);
        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("down d1 camera presenter");
        JsonNode answer = server.next("answer");
        assertThat(answer.get("id").asText()).isEqualTo("d1");
        assertThat(answer.get("sdp").asText()).contains("a=recvonly");
        Stream down = sc.down().get("d1");
        assertThat(down.up()).isFalse();
        assertThat(down.source()).isEqualTo("p1");
        // S5, S12: per-stream request and ICE restart of a down stream are asked of the server
        down.request(java.util.List.of("audio"));
        assertThat(Json.write(server.next("requestStream")))
                .isEqualTo("{\"type\":\"requestStream\",\"id\":\"d1\",\"request\":[\"audio\"]}");
        down.restartIce();
        assertThat(Json.write(server.next("renegotiate"))).isEqualTo("{\"type\":\"renegotiate\",\"id\":\"d1\"}");
        presenter.removeTrack(sender);
        presenter.close();
        server.send("{\"type\":\"close\",\"id\":\"d1\"}");
        long deadline = System.currentTimeMillis() + 5000;
        while (!sc.down().isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(sc.down()).isEmpty();
    }
}
