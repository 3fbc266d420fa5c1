package dev.parley.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
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
 * media flows here (no browser), so these are the statements that need none.
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
                assertThat(x.feedback()).isEmpty();
            });
            assertThat(video.codecs()).singleElement().satisfies(x -> {
                assertThat(x.name()).isEqualToIgnoringCase("VP8");
                assertThat(x.feedback()).containsExactlyInAnyOrder("goog-remb", "nack", "nack pli", "ccm fir");
            });
            assertThat(video.extMaps()).allSatisfy(e -> assertThat(e.uri()).contains("sdes"));     // MD4: mid/rid only
        }
    }

    @Test
    void S18_offerWithoutPresentIsAbortedWithNotAuthorised() {
        String id = unique("o");
        try (WsClient c = joined(server, id, join("s", "obs", "o"))) {
            c.send(offer("up2", "camera", chromiumOffer));
            assertThat(c.next()).isEqualTo(obj("type", "abort", "id", "up2"));
            JsonNode err = c.next();
            assertThat(err.path("kind").asText()).isEqualTo("error");
            assertThat(err.path("value").asText()).isEqualTo("not authorised");
        }
    }

    @Test
    void J27_offerBeforeJoinIsAbortedWithNotAuthorised() {
        try (WsClient c = server.handshake(unique("n"))) {
            c.send(offer("up3", "camera", chromiumOffer));
            assertThat(c.next()).isEqualTo(obj("type", "abort", "id", "up3"));
            assertThat(c.next().path("value").asText()).isEqualTo("not authorised");
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
    void S17_S10_S12_S13_S25_emptyIdsAreProtocolErrors() {
        for (String type : new String[]{"offer", "answer", "renegotiate", "close", "abort", "ice"}) {
            try (WsClient c = joined(server, unique("p"), join("s", "pres", "p"))) {
                c.send(msg("type", type, "id", "", "candidate", obj("candidate", "")));
                JsonNode err = c.expectType("usermessage");
                assertThat(err.path("value").asText()).as(type).isEqualTo("empty id");
                assertThat(c.awaitClose()).as(type).isEqualTo(new WsClient.Closed(1002, "empty id"));
            }
        }
    }

    @Test
    void S10_answerForUnknownIdGetsClose() {
        try (WsClient c = joined(server, unique("p"), join("s", "pres", "p"))) {
            c.send(msg("type", "answer", "id", "nope", "sdp", "v=0"));
            assertThat(c.next()).isEqualTo(obj("type", "close", "id", "nope"));
        }
    }

    @Test
    void S13_abortIsAlwaysAnsweredWithClose() {
        try (WsClient c = joined(server, unique("p"), join("s", "pres", "p"))) {
            c.send(msg("type", "abort", "id", "whatever"));
            assertThat(c.next()).isEqualTo(obj("type", "close", "id", "whatever"));
        }
    }

    @Test
    void S12_S25_S22_unknownIdsAreIgnored() {
        try (WsClient c = joined(server, unique("p"), join("s", "pres", "p"))) {
            c.send(msg("type", "renegotiate", "id", "x1"));
            c.send(msg("type", "close", "id", "x2"));
            c.send(msg("type", "ice", "id", "x3", "candidate", obj("candidate", "candidate:1 1 udp 1 127.0.0.1 9 typ host")));
            c.expectSilence(Proto.SHORT);
            assertThat(c.isClosed()).isFalse();
        }
    }

    @Test
    void S22_nullCandidateIsAProtocolError() {
        try (WsClient c = joined(server, unique("p"), join("s", "pres", "p"))) {
            c.send(msg("type", "ice", "id", "x"));
            assertThat(c.expectType("usermessage").path("value").asText()).isEqualTo("null candidate");
            assertThat(c.awaitClose()).isEqualTo(new WsClient.Closed(1002, "null candidate"));
        }
    }

    @Test
    void S1_requestBeforeJoinClosesWith1011() {
        try (WsClient c = server.handshake(unique("n"))) {
            c.send(msg("type", "request", "request", obj("", java.util.List.of("audio"))));
            assertThat(c.awaitClose().code()).isEqualTo(1011);
        }
    }

    @Test
    void S1_requestOfTheWrongShapeClosesWith1011() {
        try (WsClient c = joined(server, unique("p"), join("s", "pres", "p"))) {
            c.send("{\"type\":\"request\",\"request\":[\"audio\"]}");
            assertThat(c.awaitClose().code()).isEqualTo(1011);
        }
    }

    @Test
    void S5_requestStreamForUnknownIdClosesWith1011() {
        try (WsClient c = joined(server, unique("p"), join("s", "pres", "p"))) {
            c.send(msg("type", "requestStream", "id", "nope", "request", java.util.List.of("audio")));
            assertThat(c.awaitClose().code()).isEqualTo(1011);
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
