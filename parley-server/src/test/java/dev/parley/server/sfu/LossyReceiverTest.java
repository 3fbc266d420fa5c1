package dev.parley.server.sfu;

import dev.parley.server.testing.Chromium;
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
 * Issue #14, a receiver on a lossy, distant link: Chromium A publishes (one 640 px layer, audio),
 * Chromium B receives through a link that drops 5 % of what the server sends it, at random, and
 * delays the rest by 50 ms, for 60 s ({@link LinkImpairment}: the kernel's own UDP path, queued
 * to a userspace delayer because this kernel has no netem). The server must repair the video
 * (NACK answered from its cache, as RTX) well enough that B hardly freezes and decodes nearly
 * every frame A sends, and audio keeps flowing. Decoded frames are compared with the frames A
 * encoded in the same window, so a slow machine that encodes fewer frames does not fail it.
 * The target is at most one freeze in the 60 s. Before retransmissions were doubled on
 * lossy links (DownTrack) this link froze 2, 4 and 8 times, each time a retransmission was
 * itself lost and the second round trip passed Chromium's freeze threshold; since, 0 and 0. The
 * assertion allows one more than the target for a loaded machine; the figures are printed.
 * Run inside scripts/in-private-netns (it needs CAP_NET_ADMIN there).
 */
@Tag("media")
class LossyReceiverTest {
    @RegisterExtension
    static final ChromiumPair browsers = ChromiumPair.withMediaGroup()
            .withBrowserArguments(Chromium.FAKE_CAMERA_30_FPS)
            .requiring(LinkImpairment::available,
                    "iptables-legacy, gcc and libnetfilter_queue are needed to impair a link (scripts/check-test-deps)");

    /** B's receive counters and A's encoded frames, read together. */
    private static final String RECEIVER = """
            const done = arguments[arguments.length - 1];
            const s = Object.values(t.sc.down)[0];
            if (!s) { done(null); return; }
            s.pc.getStats().then(st => {
              const r = {frames: 0, freezes: 0, freezeSeconds: 0, width: 0, rtx: 0, nacks: 0, lost: 0,
                         samples: 0, concealed: 0, audioPackets: 0, port: 0};
              st.forEach(x => {
                if (x.type === 'inbound-rtp' && x.kind === 'video') {
                  r.frames = x.framesDecoded || 0; r.freezes = x.freezeCount || 0;
                  r.freezeSeconds = x.totalFreezesDuration || 0; r.width = x.frameWidth || 0;
                  r.rtx = x.retransmittedPacketsReceived || 0; r.nacks = x.nackCount || 0; r.lost = x.packetsLost || 0;
                }
                if (x.type === 'inbound-rtp' && x.kind === 'audio') {
                  r.samples = x.totalSamplesReceived || 0; r.concealed = x.concealedSamples || 0;
                  r.audioPackets = x.packetsReceived || 0;
                }
                if (x.type === 'transport' && x.selectedCandidatePairId) {
                  const pair = st.get(x.selectedCandidatePairId);
                  if (pair) r.port = st.get(pair.localCandidateId).port;
                }
              });
              done(r);
            }).catch(e => done(null));
            """;

    private static final String SENDER = """
            const done = arguments[arguments.length - 1];
            t.up.pc.getStats().then(st => {
              let encoded = 0, why = '', width = 0;
              st.forEach(x => { if (x.type === 'outbound-rtp' && x.kind === 'video') {
                encoded += x.framesEncoded || 0; why = x.qualityLimitationReason; width = x.frameWidth || 0; } });
              done({encoded, why, width});
            }).catch(e => done(null));
            """;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> receiver() {
        return (Map<String, Object>) js(browsers.b(), RECEIVER);
    }

    private static double num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sender() {
        return (Map<String, Object>) js(browsers.a(), SENDER);
    }

    private static long encoded() {
        return (long) num(sender(), "encoded");
    }

    @Test
    void MD11_MD13_fivePercentLossAnd50msDelayOnTheReceiversLinkFor60s() throws Exception {
        for (ChromeDriver d : List.of(browsers.a(), browsers.b())) {
            d.get(browsers.server().http("/").toString());
            assertThat(js(d, BrowserMediaTest.SETUP, browsers.server().ws().toString(), "media", d == browsers.a() ? "alice" : "bob"))
                    .isEqualTo("joined");
        }
        BrowserMediaTest.run(browsers.b(), "t.sc.request({'': ['audio', 'video']})");
        js(browsers.a(), BrowserMediaTest.PUBLISH, false);
        Map<String, Object> before = awaitPlaying(LossyReceiverTest::receiver);
        long port = (long) num(before, "port");
        assertThat(port).as("B's selected candidate port").isPositive();

        Map<String, Object> start;
        long encodedAtStart;
        Map<String, Object> end;
        long encodedAtEnd;
        String counted;
        try (LinkImpairment link = LinkImpairment.toPort(port, 50, 5, 14)) {
            Thread.sleep(3000);                                  // the jitter buffer adapts to the delay
            start = receiver();
            encodedAtStart = encoded();
            for (int i = 1; i <= 6; i++) {
                Thread.sleep(10_000);
                System.out.printf("MEASURE   lossy link t=+%d s B: %s; A: %s%n", 10 * i, receiver(), sender());
            }
            end = receiver();
            encodedAtEnd = encoded();
            link.close();
            counted = link.summary();
        }
        double frames = num(end, "frames") - num(start, "frames");
        double sent = encodedAtEnd - encodedAtStart;
        double freezes = num(end, "freezes") - num(start, "freezes");
        double freezeSeconds = num(end, "freezeSeconds") - num(start, "freezeSeconds");
        double samples = num(end, "samples") - num(start, "samples");
        double concealed = num(end, "concealed") - num(start, "concealed");
        double rtx = num(end, "rtx") - num(start, "rtx");
        System.out.printf("MEASURE 5 %% loss + 50 ms for 60 s (%s): %.0f frames decoded of %.0f encoded (%.1f fps of "
                        + "%.1f), %.0f freezes (%.2f s), width %.0f, %.0f RTX packets, audio %.0f samples of which "
                        + "%.1f %% concealed%n", counted, frames, sent, frames / 60, sent / 60, freezes, freezeSeconds,
                num(end, "width"), rtx, samples, 100 * concealed / Math.max(1, samples));

        assertThat(counted).as("the link really dropped packets").matches("packets [1-9]\\d* dropped [1-9]\\d*");
        assertThat(frames).as("decoded frames: nearly all of those encoded (25 of 30 fps)")
                .isGreaterThanOrEqualTo(sent * 25 / 30);
        assertThat(freezes).as("freezes in 60 s (the issue's target is one; see the class comment)")
                .isLessThanOrEqualTo(2);
        assertThat(rtx).as("losses repaired by retransmission as RTX").isPositive();
        assertThat(samples).as("audio continuous: 60 s of 48 kHz samples, nearly all").isGreaterThan(0.9 * 60 * 48_000);
        assertThat(concealed / samples).as("concealed audio: about the 5 % lost, not gaps").isLessThan(0.15);
    }
}
