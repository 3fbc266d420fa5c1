package dev.parley.rtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CandidateTest {

    @Test
    void capturedCandidatesRoundTrip() {
        List<String> lines = SdpResources.load("chromium-and-galene-candidates.txt").lines().toList();
        assertThat(lines).hasSize(3);
        for (String line : lines) {
            assertThat(Candidate.parse(line).format()).isEqualTo(line);
        }
    }

    @Test
    void S22_chromiumTcpCandidateFields() {
        Candidate c = Candidate.parse(
                "candidate:1664488011 1 tcp 1518280447 10.77.0.1 9 typ host tcptype active generation 1 ufrag Ab8l network-id 1");
        assertThat(c.foundation()).isEqualTo("1664488011");
        assertThat(c.transport()).isEqualTo("tcp");
        assertThat(c.isUdp()).isFalse();
        assertThat(c.priority()).isEqualTo(1518280447L);
        assertThat(c.tcpType()).isEqualTo("active");
        assertThat(c.extension("generation")).isEqualTo("1");
        assertThat(c.extension("ufrag")).isEqualTo("Ab8l");
        assertThat(c.extension("network-cost")).isNull();
    }

    @Test
    void serverReflexiveWithRelatedAddressAndSdpPrefix() {
        String s = "a=candidate:842163049 1 udp 1677729535 186.50.9.10 52200 typ srflx raddr 0.0.0.0 rport 0 generation 0";
        Candidate c = Candidate.parse(s);
        assertThat(c.type()).isEqualTo("srflx");
        assertThat(c.relatedAddress()).isEqualTo("0.0.0.0");
        assertThat(c.relatedPort()).isZero();
        assertThat("a=" + c.format()).isEqualTo(s);
    }

    @Test
    void hostFactoryFormatsMinimalLine() {
        assertThat(Candidate.host("1", 1, 2130706431L, "192.0.2.1", 8443).format())
                .isEqualTo("candidate:1 1 udp 2130706431 192.0.2.1 8443 typ host");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "candidate:", "candidate:1 1 udp 1 1.2.3.4 5 host", "candidate:1 x udp 1 1.2.3.4 5 typ host",
        "candidate:1 1 udp 1 1.2.3.4 70000 typ host", "candidate:1 1 udp 1 1.2.3.4 5 typ host generation"})
    void malformedCandidatesAreRejected(String s) {
        assertThatThrownBy(() -> Candidate.parse(s)).isInstanceOf(IllegalArgumentException.class);
    }
}
