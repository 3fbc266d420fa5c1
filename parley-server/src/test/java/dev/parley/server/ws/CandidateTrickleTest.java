package dev.parley.server.ws;

import dev.parley.protocol.Message;
import dev.parley.rtc.sdp.SessionDescription;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CandidateTrickleTest {
    /** The shape of the server's offers: a rejected section first, then two bundled ones. */
    private static final String OFFER = String.join("\r\n",
            "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=ice-lite", "a=group:BUNDLE 1 2",
            "m=audio 0 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=mid:0", "a=inactive",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=mid:1", "a=ice-ufrag:uf1", "a=ice-pwd:pw1",
            "a=candidate:1 1 udp 2130706431 10.77.0.1 40000 typ host",
            "a=candidate:2 1 udp 2130706175 127.0.0.1 40000 typ host", "a=end-of-candidates", "a=sendonly",
            "m=video 9 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 0.0.0.0", "a=mid:2", "a=ice-ufrag:uf1", "a=ice-pwd:pw1",
            "a=candidate:1 1 udp 2130706431 10.77.0.1 40000 typ host",
            "a=candidate:2 1 udp 2130706175 127.0.0.1 40000 typ host", "a=end-of-candidates", "a=sendonly", "");

    @Test
    void S16_S22_candidatesLeaveTheSdpAndFollowAsIceMessagesOfTheFirstBundledSection() {
        SessionDescription sdp = SessionDescription.parse(OFFER);
        List<Message> ice = CandidateTrickle.moveOut("s1", sdp);

        assertThat(ice).extracting(Message::type, Message::id).containsOnly(org.assertj.core.groups.Tuple.tuple("ice", "s1"));
        assertThat(ice).extracting(Message::candidate).containsExactly(
                new Message.Candidate("candidate:1 1 udp 2130706431 10.77.0.1 40000 typ host", "1", 1, "uf1"),
                new Message.Candidate("candidate:2 1 udp 2130706175 127.0.0.1 40000 typ host", "1", 1, "uf1"));
        assertThat(sdp.toString()).doesNotContain("a=candidate").doesNotContain("a=end-of-candidates")
                .contains("a=ice-ufrag:uf1", "a=mid:2", "a=sendonly");
    }

    @Test
    void anSdpWithoutCandidatesGivesNoMessages() {
        SessionDescription sdp = SessionDescription.parse(OFFER.replaceAll("a=candidate:[^\r]*\r\n", ""));
        assertThat(CandidateTrickle.moveOut("s1", sdp)).isEmpty();
    }
}
