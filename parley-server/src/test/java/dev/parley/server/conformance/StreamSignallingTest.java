package dev.parley.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.rtc.sdp.ExtMap;
import dev.parley.rtc.sdp.SessionDescription;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static dev.parley.server.conformance.Proto.join;
import static dev.parley.server.conformance.Proto.joined;
import static dev.parley.server.conformance.Proto.msg;
import static dev.parley.server.conformance.Proto.obj;
import static dev.parley.server.conformance.Proto.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stream signalling (spec B.6–B.8) at the WebSocket level, with a real Chromium offer. No
 * media flows here (no browser). The error rows of B.15 are in SignallingSummaryTest.
 */
class StreamSignallingTest {
    static TestServer server;
    static String chromiumOffer;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(f -> f.group("s", """
                {"users": {"pres": {"password": "p", "permissions": "present"},
                           "obs": {"password": "o", "permissions": "observe"}}}
                """));
        try (InputStream in = StreamSignallingTest.class.getResourceAsStream("/sdp/chromium-offer-camera.sdp")) {
            chromiumOffer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String offer(String id, String label, String sdp) {
        return msg("type", "offer", "id", id, "label", label, "sdp", sdp);
    }

    @Test
    void S21_S19_offerIsAnsweredWithRecvonlySectionsAndIceLite() {
        try (WsClient c = joined(server, unique("p"), join("s", "pres", "p"))) {
            c.send(offer("up1", "camera", chromiumOffer));
            JsonNode answer = c.expectType("answer");
            assertThat(answer.path("id").asText()).isEqualTo("up1");
            SessionDescription sdp = SessionDescription.parse(answer.path("sdp").asText());
            assertThat(sdp.iceLite()).isTrue();
            assertThat(sdp.media()).isNotEmpty();
            sdp.media().stream().filter(m -> m.port() != 0).forEach(m -> {
                assertThat(m.direction().attributeName()).isEqualTo("recvonly");
                assertThat(m.setup().map(Enum::name)).contains("PASSIVE");
                assertThat(m.candidates()).extracting(x -> x.address()).contains("127.0.0.1");
            });
        }
    }

    @Test
    void MD2_MD3_MD4_answerUsesGroupCodecsAndVideoFeedbackOnly() {
        try (WsClient c = joined(server, unique("p"), join("s", "pres", "p"))) {
            c.send(offer("up-codecs", "camera", chromiumOffer));
            SessionDescription sdp = SessionDescription.parse(c.expectType("answer").path("sdp").asText());
            var audio = sdp.media().stream().filter(m -> m.isAudio() && m.port() != 0).findFirst().orElseThrow();
            var video = sdp.media().stream().filter(m -> m.isVideo() && m.port() != 0).findFirst().orElseThrow();
            assertThat(audio.codecs()).singleElement().satisfies(x -> {
                assertThat(x.name()).isEqualToIgnoringCase("opus");
                assertThat(x.feedback()).containsExactly("transport-cc");     // beyond MD4: issue #14
            });
            // the chosen codec, and its RTX format (RFC 4588, beyond MD4: issue #14)
            assertThat(video.codecs()).hasSize(2);
            assertThat(video.codecs().get(1).name()).isEqualTo("rtx");
            assertThat(video.codecs().get(1).fmtpParameter("apt"))
                    .isEqualTo(Integer.toString(video.codecs().getFirst().payloadType()));
            assertThat(video.codecs().getFirst()).satisfies(x -> {
                assertThat(x.name()).isEqualToIgnoringCase("VP8");
                assertThat(x.feedback()).containsExactlyInAnyOrder("goog-remb", "nack", "nack pli", "ccm fir",
                        "transport-cc");
            });
            // MD4: mid/rid, plus the transport-wide sequence number that transport-cc needs
            assertThat(video.extMaps()).allSatisfy(e -> assertThat(e.uri()).satisfiesAnyOf(
                    u -> assertThat(u).contains("sdes"), u -> assertThat(u).isEqualTo(ExtMap.TRANSPORT_WIDE_CC)));
            assertThat(video.extMapId(ExtMap.TRANSPORT_WIDE_CC)).isPresent();
        }
    }

    /** RFC 8842 §5.3: an offerer that insists on being the DTLS server gets a=setup:active. */
    @Test
    void S21_offerWithSetupPassiveIsAnsweredActive() {
        try (WsClient c = joined(server, unique("p"), join("s", "pres", "p"))) {
            c.send(offer("up-passive", "camera", chromiumOffer.replace("a=setup:actpass", "a=setup:passive")));
            SessionDescription sdp = SessionDescription.parse(c.expectType("answer").path("sdp").asText());
            assertThat(sdp.media().stream().filter(m -> m.port() != 0)).isNotEmpty()
                    .allSatisfy(m -> assertThat(m.setup().map(Enum::name)).contains("ACTIVE"));
        }
    }

    @Test
    void S21_offerWithSetupHoldconnIsAbortedWithAnError() {
        try (WsClient c = joined(server, unique("p"), join("s", "pres", "p"))) {
            c.send(offer("up-hold", "camera", chromiumOffer.replace("a=setup:actpass", "a=setup:holdconn")));
            assertThat(c.next()).isEqualTo(obj("type", "abort", "id", "up-hold"));
            assertThat(c.next().path("value").asText()).contains("holdconn");
        }
    }

    @Test
    void S21_unparsableSdpIsAbortedWithAnError() {
        try (WsClient c = joined(server, unique("p"), join("s", "pres", "p"))) {
            c.send(offer("bad", "camera", "this is not SDP"));
            assertThat(c.next()).isEqualTo(obj("type", "abort", "id", "bad"));
            JsonNode err = c.next();
            assertThat(err.path("kind").asText()).isEqualTo("error");
            assertThat(err.path("value").asText()).isNotEmpty();
            c.send(msg("type", "ping"));
            assertThat(c.expectType("pong")).isNotNull();                               // still connected
        }
    }

    @Test
    void S15_S23_streamWithoutTracksIsPushedAsClose() throws IOException {
        String g = "s";
        try (WsClient p = joined(server, unique("p"), join(g, "pres", "p"));
             WsClient r = joined(server, unique("r"), join(g, "obs", "o"))) {
            r.send(msg("type", "request", "request", obj("", java.util.List.of("audio", "video"))));
            p.send(offer("notracks", "camera", chromiumOffer));
            p.expectType("answer");
            // no media ever flows: the 200 ms push finds no track, so the receiver gets close (S15)
            JsonNode close = r.expectMatching(m -> m.path("type").asText().equals("close")
                    && m.path("id").asText().equals("notracks"));
            assertThat(close).isEqualTo(obj("type", "close", "id", "notracks"));
            assertThat(r.skipped()).noneMatch(m -> m.path("type").asText().equals("offer"));
        }
    }

    @Test
    void S25_presenterCloseIsForwardedToOthers() {
        String g = "s";
        try (WsClient p = joined(server, unique("p"), join(g, "pres", "p"));
             WsClient r = joined(server, unique("r"), join(g, "obs", "o"))) {
            p.send(offer("toclose", "camera", chromiumOffer));
            p.expectType("answer");
            p.send(msg("type", "close", "id", "toclose"));
            JsonNode close = r.expectMatching(m -> m.path("type").asText().equals("close")
                    && m.path("id").asText().equals("toclose"));
            assertThat(close).isEqualTo(obj("type", "close", "id", "toclose"));
        }
    }
}
