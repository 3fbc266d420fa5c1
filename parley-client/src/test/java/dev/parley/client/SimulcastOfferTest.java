package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onvoid.webrtc.RTCRtpEncodingParameters;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.parley.client.media.SyntheticVideoSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** An up stream with simulcast offers one video m-section with two RID layers (S17, MD10). */
@Tag("media")
class SimulcastOfferTest {

    static RTCRtpEncodingParameters layer(double scaleDown, int maxBitrate) {
        RTCRtpEncodingParameters p = new RTCRtpEncodingParameters();
        p.scaleResolutionDownBy = scaleDown;
        p.maxBitrate = maxBitrate;
        p.active = true;
        return p;
    }

    @Test
    void S17_simulcastOfferCarriesTwoRids() throws Exception {
        try (ScriptedServer server = new ScriptedServer();
             SyntheticVideoSource video = new SyntheticVideoSource(640, 480, 15)) {
            ServerConnection sc = new ServerConnection();
            var connected = sc.connect(server.url());
            server.handshake();
            connected.get(10, TimeUnit.SECONDS);
            var joined = sc.join("g", "sim", "x");
            server.next("join");
            server.send("{\"type\":\"joined\",\"kind\":\"join\",\"group\":\"g\",\"username\":\"sim\","
                    + "\"permissions\":[\"present\"],\"rtcConfiguration\":{}}");
            joined.get(10, TimeUnit.SECONDS);

            VideoTrack track = sc.engine().createVideoTrack("v", video.source());
            Stream up = sc.newUpStream("camera");
            up.label("camera");
            up.addSimulcastVideo(track, List.of(layer(1, 1_000_000), layer(2, 300_000)));
            JsonNode offer = server.next("offer");
            assertThat(offer.get("id").asText()).isEqualTo(up.id());
            assertThat(offer.get("label").asText()).isEqualTo("camera");
            assertThat(offer.get("source").asText()).isEqualTo(sc.id());
            assertThat(offer.get("username").asText()).isEqualTo("sim");
            assertThat(offer.has("kind")).as("first offer has empty kind").isFalse();
            String sdp = offer.get("sdp").asText();
            assertThat(sdp).contains("a=simulcast:send");
            assertThat(sdp.lines().filter(l -> l.startsWith("a=rid:") && l.endsWith(" send"))).hasSize(2);
            up.close();
            track.dispose();
            assertThat(server.next("close").get("id").asText()).isEqualTo(up.id());
            sc.close();
        }
    }

    /**
     * When the answer accepts simulcast (as an SFU's does), both layers are encoded and sent,
     * one at half the resolution, although they were given highest first (webrtc-java's
     * libwebrtc encodes nothing when the order is not ascending). The answering peer here is a plain libwebrtc peer
     * whose answer gets the simulcast lines an SFU would add.
     */
    @Test
    void MD6_bothLayersAreEncodedWhenTheAnswerAcceptsSimulcast() throws Exception {
        MediaEngine engine = MediaEngine.shared();
        java.util.concurrent.atomic.AtomicReference<dev.onvoid.webrtc.RTCPeerConnection> bRef =
                new java.util.concurrent.atomic.AtomicReference<>();
        dev.onvoid.webrtc.RTCPeerConnection a = engine.createPeerConnection(null, c -> bRef.get().addIceCandidate(c));
        dev.onvoid.webrtc.RTCPeerConnection b = engine.createPeerConnection(null, a::addIceCandidate);
        bRef.set(b);
        try (SyntheticVideoSource video = new SyntheticVideoSource(640, 480, 30)) {
            VideoTrack track = engine.createVideoTrack("v", video.source());
            dev.onvoid.webrtc.RTCRtpTransceiverInit init = new dev.onvoid.webrtc.RTCRtpTransceiverInit();
            init.direction = dev.onvoid.webrtc.RTCRtpTransceiverDirection.SEND_ONLY;
            init.streamIds = List.of("s");
            init.sendEncodings = Stream.simulcastOrder(List.of(layer(1, 1_000_000), layer(2, 300_000)));
            var transceiver = a.addTransceiver(track, init);
            var offer = Rtc.createOffer(a, false).get(10, TimeUnit.SECONDS);
            Rtc.setLocal(a, offer).get(10, TimeUnit.SECONDS);
            Rtc.setRemote(b, dev.onvoid.webrtc.RTCSdpType.OFFER, offer.sdp).get(10, TimeUnit.SECONDS);
            var answer = Rtc.createAnswer(b).get(10, TimeUnit.SECONDS);
            Rtc.setLocal(b, answer).get(10, TimeUnit.SECONDS);
            String sfuAnswer = answer.sdp.replace("a=rtcp-mux\r\n",
                    "a=rtcp-mux\r\na=rid:0 recv\r\na=rid:1 recv\r\na=simulcast:recv 0;1\r\n");
            Rtc.setRemote(a, dev.onvoid.webrtc.RTCSdpType.ANSWER, sfuAnswer).get(10, TimeUnit.SECONDS);

            java.util.Map<Object, Object> widthByRid = new java.util.HashMap<>();
            long deadline = System.currentTimeMillis() + 20_000;
            while (widthByRid.size() < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(500);
                java.util.concurrent.CompletableFuture<dev.onvoid.webrtc.RTCStatsReport> report =
                        new java.util.concurrent.CompletableFuture<>();
                a.getStats(report::complete);
                widthByRid.clear();
                report.get(5, TimeUnit.SECONDS).getStats().values().stream()
                        .filter(s -> s.getType() == dev.onvoid.webrtc.RTCStatsType.OUTBOUND_RTP)
                        .filter(s -> s.getAttributes().get("frameWidth") != null)
                        .forEach(s -> widthByRid.put(s.getAttributes().get("rid"), s.getAttributes().get("frameWidth")));
            }
            a.removeTrack(transceiver.getSender());
            a.close();
            b.close();
            track.dispose();
            assertThat(widthByRid).hasSize(2);
            assertThat(widthByRid.values()).extracting(v -> ((Number) v).intValue()).containsExactlyInAnyOrder(640, 320);
        }
    }
}
