package dev.parley.server.sfu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.rtc.dtls.DtlsRole;
import dev.parley.rtc.sdp.Fingerprint;
import dev.parley.rtc.sdp.MediaSection;
import dev.parley.rtc.sdp.SessionDescription;
import dev.parley.rtc.sdp.Setup;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 8842 §5 at the SDP level, every offer/answer × actpass/active/passive combination: Parley
 * answers publishers' offers and offers {@code actpass} to receivers, and plays whichever DTLS role
 * the peer leaves it.
 */
class DtlsSetupTest {
    static final LocalEndpoint LOCAL = new LocalEndpoint("ufrag", "password-password-pw",
            Fingerprint.parse("sha-256 " + "AB:".repeat(31) + "AB"), List.of());

    static String chromiumOffer() throws IOException {
        try (InputStream in = DtlsSetupTest.class.getResourceAsStream("/sdp/chromium-offer-camera.sdp")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest(name = "offer {0} -> answer {1}, Parley is {2}")
    @CsvSource({
        "actpass, passive, SERVER",
        "active,  passive, SERVER",
        "passive, active,  CLIENT",
        ",        passive, SERVER", // no a=setup: as Parley always answered
    })
    void parleyAnswers_theOfferersSetupDecidesParleysRole(String offered, String answered, DtlsRole role) {
        DtlsSetup.Choice c = DtlsSetup.answerTo(Optional.ofNullable(offered).map(Setup::parse));
        assertThat(c.answer()).isEqualTo(Setup.parse(answered));
        assertThat(c.role()).isEqualTo(role);
    }

    @Test
    void parleyAnswers_holdconnIsRefusedWithAClearError() {
        assertThatThrownBy(() -> DtlsSetup.answerTo(Optional.of(Setup.HOLDCONN)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holdconn");
    }

    @ParameterizedTest(name = "Parley offers actpass, answer {0} -> Parley is {1}")
    @CsvSource({
        "active,  SERVER",
        "passive, CLIENT", // pion's answer to an ICE-lite offerer
        ",        SERVER",
    })
    void parleyOffers_theAnswerersSetupDecidesParleysRole(String answered, DtlsRole role) {
        assertThat(DtlsSetup.fromAnswer(Optional.ofNullable(answered).map(Setup::parse))).isEqualTo(role);
    }

    @ParameterizedTest
    @CsvSource({"actpass, must choose", "holdconn, holdconn"})
    void parleyOffers_anAnswerThatDoesNotChooseIsRefused(String answered, String message) {
        assertThatThrownBy(() -> DtlsSetup.fromAnswer(Optional.of(Setup.parse(answered))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @ParameterizedTest(name = "offer {0} -> answer sections say {1}")
    @CsvSource({"actpass, passive, SERVER", "active, passive, SERVER", "passive, active, CLIENT"})
    void answerToAnOffer_everyAcceptedSectionCarriesTheChosenSetup(String offered, String answered, DtlsRole role)
            throws IOException {
        SessionDescription offer = SessionDescription.parse(chromiumOffer().replace("a=setup:actpass", "a=setup:" + offered));
        SdpNegotiation.Answer a = SdpNegotiation.answer(offer, List.of("vp8", "opus"), LOCAL);
        assertThat(a.dtlsRole()).isEqualTo(role);
        List<MediaSection> accepted = a.sdp().media().stream().filter(m -> m.port() != 0).toList();
        assertThat(accepted).isNotEmpty().allSatisfy(m -> assertThat(m.setup()).contains(Setup.parse(answered)));
    }

    @Test
    void answerToAHoldconnOffer_isRefused() throws IOException {
        SessionDescription offer = SessionDescription.parse(chromiumOffer().replace("a=setup:actpass", "a=setup:holdconn"));
        assertThatThrownBy(() -> SdpNegotiation.answer(offer, List.of("vp8", "opus"), LOCAL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holdconn");
    }

    @Test
    void offerToAReceiver_isActpass_andTheSetupIsReadBackFromTheAnswer() {
        CodecTable.Entry vp8 = CodecTable.choose(List.of("vp8"), "video",
                List.of(new dev.parley.rtc.sdp.RtpCodec(96, "VP8", 90000, 0, null, List.of()))).orElseThrow().entry();
        SessionDescription offer = SdpNegotiation.offer(
                List.of(new DownSection("0", "video", vp8, 1234, "cname", "stream", "track", true)), LOCAL, 1, 1);
        assertThat(offer.media()).singleElement().satisfies(m -> assertThat(m.setup()).contains(Setup.ACTPASS));
        // a pion-like answer: setup only at session level
        SessionDescription answer = SessionDescription.parse(offer.toString()
                .replace("a=setup:actpass\r\n", "").replace("a=ice-lite\r\n", "a=setup:passive\r\n"));
        assertThat(DtlsSetup.of(answer)).contains(Setup.PASSIVE);
        assertThat(DtlsSetup.fromAnswer(DtlsSetup.of(answer))).isEqualTo(DtlsRole.CLIENT);
    }
}
