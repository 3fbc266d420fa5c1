package dev.parley.server.sfu;

import dev.parley.server.testing.ChromiumPair;
import dev.parley.server.testing.LinkImpairment;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.chrome.ChromeDriver;

import java.util.List;
import java.util.Map;

import static dev.parley.server.sfu.BrowserMediaTest.awaitPlaying;
import static dev.parley.server.sfu.BrowserMediaTest.js;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MD13 and media-path pitfall 4 with a receiver that takes transport-cc but refuses RTX, under
 * AEAD_AES_128_GCM: its NACKs must be answered with plain retransmissions, byte-identical to the
 * first sending (same SRTP index, so same GCM nonce: the same transport-wide number too), which
 * the SRTP context lets out. Before this, each such resend got a new transport-wide number, was
 * refused as nonce reuse, and the receiver got nothing back. Chromium A publishes; Chromium B's
 * answers are made without RTX (codec preferences without {@code rtx}); B's link drops 5 % of
 * what the server sends it for 20 s. Run inside scripts/in-private-netns.
 */
@Tag("media")
class PlainRetransmissionGcmTest {
    @RegisterExtension
    static final ChromiumPair browsers = ChromiumPair.withMediaGroup()
            .requiring(LinkImpairment::available,
                    "iptables-legacy, gcc and libnetfilter_queue are needed to impair a link (scripts/check-test-deps)")
            .withSystemProperty("parley.srtp", "gcm");

    /** Before each answer of this page: every video transceiver prefers its codecs without rtx; the answer is kept. */
    static final String NO_RTX = """
            const create = RTCPeerConnection.prototype.createAnswer;
            RTCPeerConnection.prototype.createAnswer = async function(...args) {
              const codecs = RTCRtpReceiver.getCapabilities('video').codecs.filter(c => !/rtx/i.test(c.mimeType));
              this.getTransceivers().forEach(tr => {
                if (tr.receiver.track && tr.receiver.track.kind === 'video') tr.setCodecPreferences(codecs);
              });
              const answer = await create.apply(this, args);
              window.lastAnswer = answer.sdp;
              return answer;
            };
            """;

    private static final String RECEIVER = """
            const done = arguments[arguments.length - 1];
            const s = Object.values(t.sc.down)[0];
            if (!s) { done(null); return; }
            s.pc.getStats().then(st => {
              const r = {frames: 0, freezes: 0, received: 0, lost: 0, nacks: 0, rtx: 0, port: 0, cipher: ''};
              st.forEach(x => {
                if (x.type === 'inbound-rtp' && x.kind === 'video') {
                  r.frames = x.framesDecoded || 0; r.freezes = x.freezeCount || 0; r.received = x.packetsReceived || 0;
                  r.lost = x.packetsLost || 0; r.nacks = x.nackCount || 0; r.rtx = x.retransmittedPacketsReceived || 0;
                }
                if (x.type === 'transport' && x.selectedCandidatePairId) {
                  r.cipher = x.srtpCipher || '';
                  const pair = st.get(x.selectedCandidatePairId);
                  if (pair) r.port = st.get(pair.localCandidateId).port;
                }
              });
              done(r);
            }).catch(e => done(null));
            """;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> receiver() {
        return (Map<String, Object>) js(browsers.b(), RECEIVER);
    }

    private static double num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    private static long servers(MediaTotals.Counter c) {
        return browsers.server().server().context().media().totals().toReceivers(c);
    }

    @Test
    void MD13_pitfall4_aTransportCcReceiverWithoutRtxGetsItsNackedPacketsBackUnderGcm() throws Exception {
        for (ChromeDriver d : List.of(browsers.a(), browsers.b())) {
            d.get(browsers.server().http("/").toString());
            assertThat(js(d, BrowserMediaTest.SETUP, browsers.server().ws().toString(), "media", d == browsers.a() ? "alice" : "bob"))
                    .isEqualTo("joined");
        }
        BrowserMediaTest.run(browsers.b(), NO_RTX);
        BrowserMediaTest.run(browsers.b(), "t.sc.request({'': ['audio', 'video']})");
        js(browsers.a(), BrowserMediaTest.PUBLISH, false);
        Map<String, Object> before = awaitPlaying(PlainRetransmissionGcmTest::receiver);
        String answer = (String) js(browsers.b(), "arguments[arguments.length - 1](window.lastAnswer || '')");
        assertThat(answer).as("B's answer: transport-cc kept, RTX refused")
                .contains("transport-wide-cc").contains("transport-cc").doesNotContain("rtx/");
        assertThat(before.get("cipher")).isEqualTo("SRTP_AEAD_AES_128_GCM");

        Map<String, Object> start;
        Map<String, Object> end;
        long resentBefore;
        long refusedBefore;
        String counted;
        try (LinkImpairment link = LinkImpairment.toPort((long) num(before, "port"), 0, 5, 21)) {
            Thread.sleep(2000);
            start = receiver();
            resentBefore = servers(MediaTotals.Counter.RETRANSMISSIONS);
            refusedBefore = servers(MediaTotals.Counter.RESENDS_REFUSED);
            Thread.sleep(20_000);
            end = receiver();
            link.close();
            counted = link.summary();
        }
        long resent = servers(MediaTotals.Counter.RETRANSMISSIONS) - resentBefore;
        long refused = servers(MediaTotals.Counter.RESENDS_REFUSED) - refusedBefore;
        double received = num(end, "received") - num(start, "received");
        double lost = num(end, "lost") - num(start, "lost");
        double nacks = num(end, "nacks") - num(start, "nacks");
        System.out.printf("MEASURE plain resends under GCM, 5 %% loss for 20 s (%s): B NACKed %.0f, server resent %d "
                        + "plain, refused %d; B received %.0f video packets, %.0f lost after repair (%.2f %%), "
                        + "%.0f RTX, %.0f freezes, %.0f frames%n", counted, nacks, resent, refused, received, lost,
                100 * lost / Math.max(1, received), num(end, "rtx") - num(start, "rtx"),
                num(end, "freezes") - num(start, "freezes"), num(end, "frames") - num(start, "frames"));

        assertThat(counted).as("the link really dropped packets").matches("packets [1-9]\\d* dropped [1-9]\\d*");
        assertThat(nacks).as("B asked for what it lost").isPositive();
        assertThat(resent).as("the server resent plain packets").isPositive();
        assertThat(refused).as("none refused as GCM nonce reuse").isLessThanOrEqualTo(resent / 20);
        assertThat(lost).as("what stays lost after repair: well under the 5 % the link drops")
                .isLessThan(0.025 * received);
    }
}
