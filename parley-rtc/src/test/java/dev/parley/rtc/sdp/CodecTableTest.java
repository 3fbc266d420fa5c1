package dev.parley.rtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CodecTableTest {

    @Test
    void MD2_defaultsAndUnknownNames() {
        assertThat(CodecTable.forNames(List.of())).extracting(RtpCodec::payloadType).containsExactly(96, 111);
        assertThat(CodecTable.forNames(List.of("vp9", "bogus", "g722"))).extracting(RtpCodec::payloadType)
                .containsExactly(98, 100, 9);
        assertThat(CodecTable.forName("nothing")).isEmpty();
    }

    @Test
    void MD3_MD4_fixedCodecsAndFeedback() {
        RtpCodec h264 = CodecTable.forName("h264").get(0);
        assertThat(h264.payloadType()).isEqualTo(108);
        assertThat(h264.fmtpParameter("profile-level-id")).isEqualTo("42e01f");
        assertThat(h264.feedback()).containsExactly("goog-remb", "nack", "nack pli", "ccm fir");
        RtpCodec opus = CodecTable.forName("OPUS").get(0);
        assertThat(opus.channels()).isEqualTo(2);
        assertThat(opus.fmtp()).isEqualTo("minptime=10;useinbandfec=1;stereo=1;sprop-stereo=1");
        assertThat(opus.feedback()).isEmpty();
        assertThat(CodecTable.isVideo(opus)).isFalse();
    }

    @Test
    void MD3_chromiumOfferCodecsMapToFixedPayloadTypes() {
        MediaSection video = SessionDescription.parse(SdpResources.load("chromium-offer-camera.sdp")).media().get(1);
        assertThat(CodecTable.fixedPayloadType(video.codec(96).orElseThrow())).isEqualTo(96);
        assertThat(CodecTable.fixedPayloadType(video.codec(98).orElseThrow())).isEqualTo(98);
        assertThat(CodecTable.fixedPayloadType(video.codec(100).orElseThrow())).isEqualTo(100);
        assertThat(CodecTable.fixedPayloadType(video.codec(45).orElseThrow())).isEqualTo(35);
        assertThat(CodecTable.fixedPayloadType(video.codec(108).orElseThrow())).isEqualTo(108);
        assertThat(CodecTable.fixedPayloadType(video.codec(102).orElseThrow())).isEqualTo(102);
        assertThat(CodecTable.fixedPayloadType(video.codec(116).orElseThrow())).isEqualTo(-1); // 4d00
        assertThat(CodecTable.fixedPayloadType(video.codec(97).orElseThrow())).isEqualTo(-1); // rtx
    }

    @Test
    void offeredCodecsMatchOursByFmtp() {
        SessionDescription offer = SessionDescription.parse(SdpResources.load("chromium-offer-camera.sdp"));
        List<RtpCodec> offered = offer.media().get(1).codecs();
        RtpCodec ourH264 = CodecTable.forName("h264").get(0);
        assertThat(offered.stream().filter(c -> CodecTable.matches(ourH264, c)).map(RtpCodec::payloadType))
                .containsExactly(108);
        RtpCodec ourVp9p2 = CodecTable.forName("vp9").get(1);
        assertThat(offered.stream().filter(c -> CodecTable.matches(ourVp9p2, c)).map(RtpCodec::payloadType))
                .containsExactly(100);
        RtpCodec ourOpus = CodecTable.forName("opus").get(0);
        assertThat(offer.media().get(0).codecs().stream().filter(c -> CodecTable.matches(ourOpus, c)))
                .extracting(RtpCodec::payloadType).containsExactly(111);

        // Firefox: VP8 at 120 still matches ours at 96, opus with other parameters too
        SessionDescription ff = SessionDescription.parse(SdpResources.load("firefox-style-offer-simulcast.sdp"));
        RtpCodec ourVp8 = CodecTable.forName("vp8").get(0);
        assertThat(ff.media().get(1).codecs().stream().filter(c -> CodecTable.matches(ourVp8, c)))
                .extracting(RtpCodec::payloadType).containsExactly(120);
        assertThat(ff.media().get(0).codecs().stream().filter(c -> CodecTable.matches(ourOpus, c)))
                .extracting(RtpCodec::payloadType).containsExactly(109);
        assertThat(CodecTable.matches(ourOpus, new RtpCodec(111, "opus", 48000, 2, "stereo=0", List.of()))).isFalse();
    }
}
