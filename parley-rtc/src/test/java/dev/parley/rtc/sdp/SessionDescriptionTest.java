package dev.parley.rtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SessionDescriptionTest {

    @ParameterizedTest
    @ValueSource(strings = {"chromium-offer-camera.sdp", "chromium-offer-simulcast.sdp", "chromium-answer-down.sdp",
            "galene-offer-down.sdp", "galene-offer-down-candidates.sdp", "galene-answer-up.sdp",
            "firefox-style-offer-simulcast.sdp"})
    void parseThenWriteIsByteIdentical(String resource) {
        String text = SdpResources.load(resource);
        assertThat(SessionDescription.parse(text).toString()).isEqualTo(text);
    }

    @Test
    void S21_chromiumCameraOfferExposesMidsCodecsExtmapsAndSsrcs() {
        SessionDescription sd = SessionDescription.parse(SdpResources.load("chromium-offer-camera.sdp"));

        assertThat(sd.origin().sessionId()).isEqualTo("9202103139793625222");
        assertThat(sd.origin().sessionVersion()).isEqualTo(2);
        assertThat(sd.bundleMids()).containsExactly("0", "1");
        assertThat(sd.msidSemantic()).contains("WMS a9947490-89fa-4277-87fa-11d34289a20a");
        assertThat(sd.iceLite()).isFalse();
        assertThat(sd.media()).extracting(MediaSection::kind).containsExactly("audio", "video");

        MediaSection audio = sd.media().get(0);
        assertThat(audio.mid()).contains("0");
        assertThat(audio.direction()).isEqualTo(Direction.SENDONLY);
        assertThat(audio.port()).isEqualTo(9);
        assertThat(audio.proto()).isEqualTo("UDP/TLS/RTP/SAVPF");
        assertThat(audio.payloadTypes()).containsExactly(111, 63, 9, 0, 8, 13, 110, 126);
        RtpCodec opus = audio.codecs().get(0);
        assertThat(opus).isEqualTo(new RtpCodec(111, "opus", 48000, 2, "minptime=10;useinbandfec=1",
                List.of("transport-cc")));
        assertThat(audio.extMapId(ExtMap.MID)).isEqualTo(OptionalInt.of(4));
        assertThat(audio.ssrcs()).containsExactly(3328301906L);
        assertThat(audio.cname(3328301906L)).contains("JpSWfYMf4Ho6KwXB");
        assertThat(audio.msid()).contains(new Msid("a9947490-89fa-4277-87fa-11d34289a20a",
                "5ad5d988-caee-41a2-a1e6-ff43833b876e"));
        assertThat(audio.rtcpMux()).isTrue();
        assertThat(audio.rtcpRsize()).isTrue();
        assertThat(audio.iceUfrag()).contains("R6LQ");
        assertThat(audio.icePwd()).contains("uQYk+mz2gxp6coLiqc1stQqm");
        assertThat(audio.iceOptions()).containsExactly("trickle");
        assertThat(audio.setup()).contains(Setup.ACTPASS);
        Fingerprint fp = audio.fingerprint().orElseThrow();
        assertThat(fp.algorithm()).isEqualTo("sha-256");
        assertThat(fp.bytes()).hasSize(32).startsWith((byte) 0x87, (byte) 0x9F);

        MediaSection video = sd.media().get(1);
        assertThat(video.mid()).contains("1");
        RtpCodec vp8 = video.codec(96).orElseThrow();
        assertThat(vp8.name()).isEqualTo("VP8");
        assertThat(vp8.feedback()).containsExactly("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli");
        RtpCodec h264 = video.codec(108).orElseThrow();
        assertThat(h264.fmtpParameter("profile-level-id")).isEqualTo("42e01f");
        assertThat(h264.fmtpParameter("packetization-mode")).isEqualTo("1");
        assertThat(video.codec(97).orElseThrow().fmtpParameter("apt")).isEqualTo("96");
        assertThat(video.codec(97).orElseThrow().isAuxiliary()).isTrue();
        assertThat(video.codec(100).orElseThrow().fmtpParameter("profile-id")).isEqualTo("2");
        assertThat(video.codec(45).orElseThrow().name()).isEqualTo("AV1");
        assertThat(video.extMapId(ExtMap.MID)).isEqualTo(OptionalInt.of(4));
        assertThat(video.extMapId(ExtMap.RID)).isEqualTo(OptionalInt.of(10));
        assertThat(video.extMapId(ExtMap.REPAIRED_RID)).isEqualTo(OptionalInt.of(11));
        assertThat(video.extMaps()).hasSize(11).first().isEqualTo(
                new ExtMap(14, null, "urn:ietf:params:rtp-hdrext:toffset", null));
        assertThat(video.ssrcGroups()).containsExactly(new SsrcGroup("FID", List.of(1562474906L, 218487239L)));
        assertThat(video.ssrcs()).containsExactly(1562474906L, 218487239L);
        assertThat(video.mediaSsrcs()).containsExactly(1562474906L);
        assertThat(video.rids()).isEmpty();
        assertThat(video.simulcast()).isEmpty();
        assertThat(video.attributes("rtcp-xr")).containsExactly("rcvr-rtt=all");
        assertThat(video.field('c')).contains("IN IP4 0.0.0.0");
    }

    @Test
    void MD6_chromiumSimulcastOfferExposesRids() {
        SessionDescription sd = SessionDescription.parse(SdpResources.load("chromium-offer-simulcast.sdp"));
        MediaSection video = sd.media().get(1);
        assertThat(video.rids()).containsExactly(new Rid("h", "send", null), new Rid("l", "send", null));
        assertThat(video.simulcast().orElseThrow().sendRids()).containsExactly("h", "l");
        assertThat(video.simulcast().orElseThrow().recv()).isEmpty();
        assertThat(video.ssrcs()).isEmpty();
        assertThat(video.extMapId(ExtMap.RID)).isEqualTo(OptionalInt.of(10));
        assertThat(video.extMapId(
                "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension"))
                .isEqualTo(OptionalInt.of(12));
    }

    @Test
    void S9_referenceServerOfferHasOneCodecPerSectionAndRemotePartyMsid() {
        SessionDescription sd = SessionDescription.parse(SdpResources.load("galene-offer-down.sdp"));
        assertThat(sd.fingerprint()).isPresent();
        MediaSection audio = sd.media().get(0);
        MediaSection video = sd.media().get(1);
        assertThat(sd.fingerprint(video)).isEqualTo(sd.fingerprint());
        assertThat(audio.codecs()).extracting(RtpCodec::name).containsExactly("opus");
        assertThat(audio.codecs().get(0).feedback()).isEmpty();
        assertThat(video.codecs()).singleElement().satisfies(c -> {
            assertThat(c.payloadType()).isEqualTo(96);
            assertThat(c.feedback()).containsExactly("goog-remb", "nack", "nack pli", "ccm fir");
        });
        assertThat(video.direction()).isEqualTo(Direction.SENDONLY);
        assertThat(video.msid().orElseThrow().streamId()).isEqualTo("a9947490-89fa-4277-87fa-11d34289a20a");
        assertThat(video.ssrcAttributes()).extracting(SsrcAttribute::attribute)
                .containsExactly("cname", "msid", "mslabel", "label");
        assertThat(video.extMapId(ExtMap.MID)).isEqualTo(OptionalInt.of(1));
    }

    @Test
    void candidatesAndEndOfCandidatesInsideMediaSection() {
        SessionDescription sd = SessionDescription.parse(SdpResources.load("galene-offer-down-candidates.sdp"));
        MediaSection audio = sd.media().get(0);
        assertThat(audio.candidates()).hasSize(2);
        Candidate c = audio.candidates().get(1);
        assertThat(c.component()).isEqualTo(2);
        assertThat(c.address()).isEqualTo("10.77.0.1");
        assertThat(c.port()).isEqualTo(40002);
        assertThat(c.extension("ufrag")).isEqualTo("MSPZJwutXHZIJmiw");
        assertThat(audio.endOfCandidates()).isTrue();
        assertThat(sd.media().get(1).endOfCandidates()).isFalse();
    }

    @Test
    void firefoxStyleOfferFallsBackToSessionLevelFingerprintAndReadsExtmapDirections() {
        SessionDescription sd = SessionDescription.parse(SdpResources.load("firefox-style-offer-simulcast.sdp"));
        MediaSection audio = sd.media().get(0);
        MediaSection video = sd.media().get(1);
        assertThat(audio.fingerprint()).isEmpty();
        assertThat(sd.fingerprint(audio)).isPresent();
        assertThat(sd.iceOptions()).containsExactly("trickle");
        assertThat(audio.extMaps().get(1)).isEqualTo(
                new ExtMap(2, "recvonly", "urn:ietf:params:rtp-hdrext:csrc-audio-level", null));
        assertThat(audio.codec(9).orElseThrow().channels()).isEqualTo(1);
        assertThat(audio.codec(101).orElseThrow().fmtp()).isEqualTo("0-15");
        assertThat(video.codec(120).orElseThrow().feedback()).contains("nack pli", "goog-remb");
        assertThat(video.codec(126).orElseThrow().fmtpParameter("packetization-mode")).isEqualTo("1");
        assertThat(video.simulcast().orElseThrow().sendRids()).containsExactly("h", "l");
        assertThat(video.extMapId(ExtMap.RID)).isEqualTo(OptionalInt.of(8));
        assertThat(video.mediaSsrcs()).containsExactly(1717298236L);
        assertThat(video.msid().orElseThrow().trackId()).isEqualTo("{5d6e7f80-91a2-4b3c-8d4e-5f6a7b8c9d0e}");
    }

    @Test
    void S21_buildAnswerFromScratchWritesParsableSdp() {
        SessionDescription offer = SessionDescription.parse(SdpResources.load("chromium-offer-simulcast.sdp"));
        SessionDescription answer = SessionDescription.create(
                new Origin("-", "4215645726918870812", 1795620529L, "IN", "IP4", "0.0.0.0"));
        answer.addAttribute("msid-semantic", "WMS *");
        answer.setFingerprint(Fingerprint.of("sha-256", new byte[32]));
        answer.setIceLite(true);
        answer.setBundle(offer.bundleMids());
        for (MediaSection om : offer.media()) {
            MediaSection m = MediaSection.create(om.kind(), 9, om.proto(), List.of());
            m.setField('c', "IN IP4 0.0.0.0");
            m.setSetup(Setup.PASSIVE);
            m.setMid(om.mid().orElseThrow());
            m.setIceCredentials("ufragufragufrag1", "pwdpwdpwdpwdpwdpwdpwdpwd");
            m.addAttribute("rtcp-mux", null);
            m.addCodec(om.codecs().get(0));
            if (om.isVideo()) {
                m.addExtMap(new ExtMap(om.extMapId(ExtMap.RID).orElseThrow(), null, ExtMap.RID, null));
                m.addAttribute("rid", "h recv");
                m.addAttribute("rid", "l recv");
                m.addAttribute("simulcast", "recv h;l");
            }
            m.setDirection(om.direction().reverse());
            m.addCandidate(Candidate.host("1", 1, 2130706431L, "10.0.0.1", 40000));
            m.addAttribute("end-of-candidates", null);
            answer.addMedia(m);
        }

        String text = answer.toString();
        assertThat(text).startsWith("v=0\r\no=- 4215645726918870812 1795620529 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n")
                .contains("a=ice-lite\r\n", "a=group:BUNDLE 0 1\r\n", "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n",
                        "a=rtcp-fb:96 nack pli\r\n", "a=candidate:1 1 udp 2130706431 10.0.0.1 40000 typ host\r\n",
                        "a=recvonly\r\n")
                .doesNotContain("sendonly");
        SessionDescription reparsed = SessionDescription.parse(text);
        assertThat(reparsed.toString()).isEqualTo(text);
        assertThat(reparsed.iceLite()).isTrue();
        MediaSection v = reparsed.media().get(1);
        assertThat(v.simulcast().orElseThrow().recvRids()).containsExactly("h", "l");
        assertThat(v.setup()).contains(Setup.PASSIVE);
        assertThat(v.codecs().get(0).feedback()).contains("nack", "nack pli", "ccm fir", "goog-remb");
    }

    @Test
    void settersReplaceInPlaceAndKeepUnknownAttributeOrder() {
        SessionDescription sd = SessionDescription.parse(SdpResources.load("chromium-offer-camera.sdp"));
        MediaSection video = sd.media().get(1);
        int before = video.lines().size();
        int setupIndex = video.lines().indexOf(new SdpLine.Attribute("setup", "actpass"));
        video.setSetup(Setup.ACTIVE);
        video.setDirection(Direction.INACTIVE);
        assertThat(video.lines()).hasSize(before);
        assertThat(video.lines().get(setupIndex)).isEqualTo(new SdpLine.Attribute("setup", "active"));
        assertThat(video.direction()).isEqualTo(Direction.INACTIVE);
        assertThat(video.removeAttributes("rtcp-xr")).isEqualTo(1);
        sd.setOrigin(sd.origin().withSessionVersion(3));
        String text = sd.toString();
        assertThat(text).contains("o=- 9202103139793625222 3 IN IP4 127.0.0.1\r\n", "a=inactive\r\n");
        assertThat(text.substring(text.indexOf("m=video"))).doesNotContain("rtcp-xr");
    }

    @Test
    void lfOnlyInputIsAccepted() {
        String crlf = SdpResources.load("galene-answer-up.sdp");
        SessionDescription sd = SessionDescription.parse(crlf.replace("\r\n", "\n"));
        assertThat(sd.toString()).isEqualTo(crlf);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "hello",
        "o=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n",
        "v=1\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n",
        "v=0\r\ns=-\r\nt=0 0\r\n",
        "v=0\r\no=- 1 1 IN IP4\r\ns=-\r\nt=0 0\r\n",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video\r\n",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video x UDP/TLS/RTP/SAVPF 96\r\n",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96\r\n",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:300 VP8/90000\r\n",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=extmap:0 urn:x\r\n",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=ssrc:99999999999 cname:x\r\n",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=setup:sideways\r\n",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=fingerprint:sha-256 ZZ:00\r\n",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=candidate:1 1 udp x 1.2.3.4 5 typ host\r\n",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=simulcast:send\r\n",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid\r\n",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\nBOGUS\r\n",
    })
    void badSdpIsRejectedWithSdpParseException(String text) {
        assertThatThrownBy(() -> SessionDescription.parse(text)).isInstanceOf(SdpParseException.class)
                .hasMessageContaining("SDP");
    }

    @Test
    void parseErrorNamesTheLine() {
        String text = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
                + "a=rtpmap:111 opus\r\n";
        assertThatThrownBy(() -> SessionDescription.parse(text)).isInstanceOf(SdpParseException.class)
                .hasMessageContaining("line 6").hasMessageContaining("a=rtpmap:111 opus")
                .satisfies(e -> assertThat(((SdpParseException) e).lineNumber()).isEqualTo(6));
    }

    @Test
    void dataChannelAndRejectedSectionsRoundTrip() {
        String text = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=ice-lite\r\na=group:BUNDLE 0\r\n"
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n"
                + "a=sctp-port:5000\r\na=max-message-size:262144\r\n"
                + "m=video 0 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na=inactive\r\n"
                + "a=rtpmap:96 VP8/90000\r\n";
        SessionDescription sd = SessionDescription.parse(text);
        assertThat(sd.toString()).isEqualTo(text);
        assertThat(sd.iceLite()).isTrue();
        MediaSection app = sd.mediaByMid("0").orElseThrow();
        assertThat(app.kind()).isEqualTo("application");
        assertThat(app.payloadTypes()).isEmpty();
        assertThat(app.codecs()).isEmpty();
        assertThat(app.attribute("sctp-port")).contains("5000");
        MediaSection video = sd.mediaByMid("1").orElseThrow();
        assertThat(video.port()).isZero();
        assertThat(video.direction()).isEqualTo(Direction.INACTIVE);
        assertThat(sd.mediaByMid("2")).isEmpty();
        sd.setIceLite(false);
        assertThat(sd.toString()).doesNotContain("ice-lite");
    }
}
