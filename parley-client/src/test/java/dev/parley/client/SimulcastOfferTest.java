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

    private static RTCRtpEncodingParameters layer(double scaleDown, int maxBitrate) {
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
}
