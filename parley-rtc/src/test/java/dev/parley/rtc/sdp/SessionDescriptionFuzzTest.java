package dev.parley.rtc.sdp;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

/**
 * Fuzz target: any text offered as SDP either parses or is rejected with
 * {@link SdpParseException}; every typed accessor of a parsed description (codecs, extmaps, rids,
 * simulcast, SSRCs, candidates, fingerprints, bundle) then works, and what we write back parses
 * again. Seeds: {@code SessionDescriptionFuzzTestInputs/} (browser offers). Long runs: {@code ./parley fuzz}.
 */
class SessionDescriptionFuzzTest {

    @FuzzTest
    // no line breaks inside entries: libFuzzer's dictionary format cannot hold them
    @DictionaryEntries({"m=video 9 UDP/TLS/RTP/SAVPF 96", "a=rtpmap:", "a=fmtp:", "a=rtcp-fb:", "a=extmap:",
            "a=rid:", "a=simulcast:", "a=ssrc:", "a=ssrc-group:FID ", "a=msid:", "a=fingerprint:sha-256 ",
            "a=setup:", "a=candidate:", "a=group:BUNDLE ", "a=mid:", " send ", " recv ", ";", "~", "apt=",
            "typ host", "raddr", "VP8/90000", "opus/48000/2"})
    void parse(byte[] input) {
        SessionDescription sd;
        try {
            sd = SessionDescription.parse(new String(input, StandardCharsets.UTF_8));
        } catch (SdpParseException expected) {
            return;
        }
        readEverything(sd);
        for (MediaSection m : sd.media()) {
            readEverything(m);
            m.kind();
            m.port();
            m.proto();
            m.payloadTypes();
            m.mid();
            m.direction();
            m.msid();
            m.rtcpMux();
            m.rtcpRsize();
            m.rtpMaps();
            m.fmtps();
            m.rtcpFeedback();
            for (RtpCodec c : m.codecs()) {
                m.codec(c.payloadType());
            }
            m.extMaps();
            m.rids();
            m.simulcast();
            m.ssrcAttributes();
            m.ssrcGroups();
            for (long ssrc : m.ssrcs()) {
                m.cname(ssrc);
            }
            m.mediaSsrcs();
            sd.iceUfrag(m);
            sd.icePwd(m);
            sd.fingerprint(m);
            sd.setup(m);
        }
        sd.origin();
        sd.sessionName();
        sd.groups();
        sd.bundleMids();
        sd.msidSemantic();
        sd.iceLite();
        SessionDescription.parse(sd.toString());
    }

    private static void readEverything(SdpBlock block) {
        block.iceUfrag();
        block.icePwd();
        block.iceOptions();
        block.fingerprints();
        block.fingerprint();
        block.setup();
        block.candidates();
        block.endOfCandidates();
    }
}
