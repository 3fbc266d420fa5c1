package dev.parley.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.rtc.sdp.Candidate;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * S16 and S22 without media, on a server started with {@code -ice-trickle}: a presenter's
 * candidates are accepted before and after its offer, and the server's answer carries no
 * candidate, which follows as an {@code ice} message naming the server's media port.
 */
class TrickleSignallingTest {
    private static final String FINGERPRINT = HexFormat.ofDelimiter(":").withUpperCase().formatHex(new byte[32]);
    private static final String OFFER = String.join("\r\n",
            "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=mid:0", "a=ice-ufrag:abcd",
            "a=ice-pwd:abcdefghijklmnopqrstuvwx", "a=fingerprint:sha-256 " + FINGERPRINT, "a=setup:actpass",
            "a=sendonly", "a=rtcp-mux", "a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1",
            "a=msid:s a", "a=ssrc:1111 cname:x", "");
    private static final String CLIENT_CANDIDATE =
            "{\"candidate\":\"candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}";

    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.builder().trickleIce().start(f -> f.group("trickle", """
                {"wildcard-user": {"password": "pw", "permissions": "present"}}
                """));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void S16_S22_candidatesBeforeAndAfterTheOffer_answerWithoutCandidatesFollowedByIce() {
        try (WsClient c = server.join("trickler", "trickle", "alice", "pw")) {
            c.send("{\"type\":\"ice\",\"id\":\"u1\",\"candidate\":" + CLIENT_CANDIDATE + "}");
            c.send(Proto.msg("type", "offer", "id", "u1", "label", "camera", "sdp", OFFER));
            JsonNode answer = c.expectType("answer");
            String sdp = answer.path("sdp").asText();
            assertThat(sdp).contains("a=ice-ufrag:", "a=mid:0").doesNotContain("a=candidate", "a=end-of-candidates");

            JsonNode ice = c.expectType("ice");
            assertThat(ice.path("id").asText()).isEqualTo("u1");
            JsonNode candidate = ice.path("candidate");
            Candidate parsed = Candidate.parse(candidate.path("candidate").asText());
            assertThat(parsed.port()).as("the server's media port").isEqualTo(server.server().context().media().port());
            assertThat(parsed.isUdp()).isTrue();
            assertThat(candidate.path("sdpMid").asText()).isEqualTo("0");
            assertThat(candidate.path("sdpMLineIndex").asInt()).isZero();
            assertThat("a=ice-ufrag:" + candidate.path("usernameFragment").asText()).isIn(sdp.lines().toList());

            c.send("{\"type\":\"ice\",\"id\":\"u1\",\"candidate\":" + CLIENT_CANDIDATE + "}");
            c.expectSilence(Duration.ofMillis(500));
            assertThat(c.isClosed()).isFalse();
        }
    }
}
