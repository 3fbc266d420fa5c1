package dev.parley.server.sfu;

import dev.parley.rtc.sdp.ExtMap;
import dev.parley.rtc.sdp.MediaSection;
import dev.parley.rtc.sdp.RtpCodec;
import dev.parley.rtc.sdp.SessionDescription;
import dev.parley.server.dependencydescriptor.DependencyDescriptor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AV1 dependency descriptor extension (docs/svc.md) in the server's SDP: accepted from an AV1
 * presenter, with {@code a=extmap-allow-mixed} (a keyframe's descriptor needs the two-byte form),
 * offered to AV1 receivers under a fixed id; other codecs' SDP does not change.
 */
class DependencyDescriptorNegotiationTest {
    private static final String DD_LINE = "a=extmap:12 " + DependencyDescriptor.URI + "\r\n";

    /** Chromium's camera offer (AV1 among its codecs) with the descriptor in its video section, as Chromium offers it. */
    private static SessionDescription offerWithDescriptor() throws IOException {
        String sdp = DtlsSetupTest.chromiumOffer().replace("\r\n", "\n").replace("\n", "\r\n");
        return SessionDescription.parse(sdp.replace(
                "a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id\r\n",
                "a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id\r\n" + DD_LINE));
    }

    private static MediaSection video(SessionDescription sd) {
        return sd.media().stream().filter(MediaSection::isVideo).findFirst().orElseThrow();
    }

    @Test
    void anAv1PresentersDescriptorIsAccepted_withMixedExtensionForms() throws IOException {
        SdpNegotiation.Answer a = SdpNegotiation.answer(offerWithDescriptor(), List.of("av1", "opus"), DtlsSetupTest.LOCAL);
        assertThat(video(a.sdp()).extMapId(DependencyDescriptor.URI)).hasValue(12);
        assertThat(a.sdp().hasAttribute("extmap-allow-mixed")).isTrue();
        UpSection up = a.sections().stream().filter(s -> s.kind().equals("video")).findFirst().orElseThrow();
        assertThat(up.codec().name()).isEqualTo("av1");
        assertThat(up.dependencyDescriptorExtensionId()).isEqualTo(12);
    }

    @Test
    void otherCodecsLeaveTheDescriptorOut_andTheAnswerAsItWas() throws IOException {
        SdpNegotiation.Answer a = SdpNegotiation.answer(offerWithDescriptor(), List.of("vp8", "opus"), DtlsSetupTest.LOCAL);
        assertThat(video(a.sdp()).extMapId(DependencyDescriptor.URI)).isEmpty();
        assertThat(a.sdp().hasAttribute("extmap-allow-mixed")).isFalse();
        assertThat(a.sections()).allSatisfy(s -> assertThat(s.dependencyDescriptorExtensionId()).isEqualTo(-1));
    }

    @Test
    void anAv1ReceiverIsOfferedTheDescriptor_aVp8OneIsNot() {
        CodecTable.Entry av1 = entry("av1", new RtpCodec(35, "AV1", 90000, 0, null, List.of()));
        CodecTable.Entry vp8 = entry("vp8", new RtpCodec(96, "VP8", 90000, 0, null, List.of()));
        SessionDescription offer = SdpNegotiation.offer(List.of(
                new DownSection("0", "video", av1, 1234, "cname", "s", "t", true),
                new DownSection("1", "video", vp8, 1235, "cname", "s", "u", true)), DtlsSetupTest.LOCAL, 1, 1);
        assertThat(offer.media().get(0).extMapId(DependencyDescriptor.URI))
                .hasValue(SdpNegotiation.DOWN_DEPENDENCY_DESCRIPTOR_ID);
        assertThat(offer.media().get(0).extMapId(ExtMap.TRANSPORT_WIDE_CC))
                .as("its own id").hasValue(SdpNegotiation.DOWN_TRANSPORT_CC_ID);
        assertThat(offer.media().get(1).extMapId(DependencyDescriptor.URI)).isEmpty();
        assertThat(offer.hasAttribute("extmap-allow-mixed")).isTrue();
        SessionDescription vp8Only = SdpNegotiation.offer(List.of(new DownSection("0", "video", vp8, 1235, "cname",
                "s", "u", true)), DtlsSetupTest.LOCAL, 1, 1);
        assertThat(vp8Only.hasAttribute("extmap-allow-mixed")).isFalse();
    }

    private static CodecTable.Entry entry(String name, RtpCodec offered) {
        return CodecTable.choose(List.of(name), "video", List.of(offered)).orElseThrow().entry();
    }
}
