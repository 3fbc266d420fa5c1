package dev.parley.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.rtc.dtls.Fingerprint;
import dev.parley.rtc.ice.IceCredentials;
import dev.parley.rtc.sdp.SessionDescription;
import dev.parley.server.sfu.LocalEndpoint;
import dev.parley.server.sfu.SdpNegotiation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The publisher's offer with and without transport-cc, answered by Parley's own negotiation. */
class PublisherSdpTest {
    private static final Fingerprint FP = Fingerprint.parse("sha-256 " + "AB:".repeat(31) + "AB");
    private static final LocalEndpoint LOCAL = new LocalEndpoint("ufrag", "pwd-pwd-pwd-pwd-pwd-pwd",
            new dev.parley.rtc.sdp.Fingerprint("sha-256", "AB:".repeat(31) + "AB"),
            List.of(dev.parley.rtc.sdp.Candidate.host("1", 1, 2_130_706_431L, "127.0.0.1", 9)));

    private static SessionDescription answer(boolean transportCc, long[] video) {
        String offer = PublisherSdp.offer(IceCredentials.random(), FP, "s", "cname", 1234, video, transportCc);
        return SdpNegotiation.answer(SessionDescription.parse(offer), List.of("vp8", "opus"), LOCAL).sdp();
    }

    @Test
    void withTransportCc_theOfferHasTheExtensionAndFeedbackInBothSections_andParleyKeepsThem() {
        String offer = PublisherSdp.offer(IceCredentials.random(), FP, "s", "cname", 1234, new long[] {5678}, true);
        assertThat(offer).contains("a=extmap:" + Publisher.TRANSPORT_CC_EXT
                + " http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01");
        assertThat(offer.split("transport-wide-cc", -1)).as("audio and video").hasSize(3);
        assertThat(offer).contains("a=rtcp-fb:" + Publisher.VP8_PT + " transport-cc")
                .contains("a=rtcp-fb:" + Publisher.OPUS_PT + " transport-cc")
                .contains("a=rtcp-fb:" + Publisher.VP8_PT + " goog-remb");
        assertThat(PublisherSdp.keepsTransportCc(answer(true, new long[] {5678}))).isEqualTo(Publisher.TRANSPORT_CC_EXT);
        assertThat(PublisherSdp.keepsTransportCc(answer(true, new long[] {5678, 5679}))).as("simulcast")
                .isEqualTo(Publisher.TRANSPORT_CC_EXT);
    }

    @Test
    void withoutIt_theOfferIsAsBefore_andTheAnswerHasNone() {
        String offer = PublisherSdp.offer(IceCredentials.random(), FP, "s", "cname", 1234, new long[] {5678});
        assertThat(offer).doesNotContain("transport-wide-cc").doesNotContain("transport-cc");
        assertThat(PublisherSdp.keepsTransportCc(answer(false, new long[] {5678}))).isEqualTo(-1);
    }
}
