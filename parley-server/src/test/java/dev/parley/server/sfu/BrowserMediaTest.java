package dev.parley.server.sfu;

import dev.parley.server.testing.Chromium;
import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two real Chromium pages use the built-in protocol.js: A publishes its fake camera and
 * microphone, B receives through the SFU (issue: media, spec S1–S28, MD1–MD12).
 */
@Tag("media")
class BrowserMediaTest {
    static TestServer server;
    static ChromeDriver a, b;

    /** Loaded into each page: connects, joins, and exposes helpers on window.t. */
    static final String SETUP = """
            const done = arguments[arguments.length - 1];
            const [url, group, user] = [arguments[0], arguments[1], arguments[2]];
            import('/protocol.js').then(p => {
              const sc = new p.ServerConnection();
              window.t = {sc, p, events: [], videos: {}, closed: []};
              sc.onjoined = (kind) => { t.events.push('joined:' + kind); if (kind === 'join') done('joined'); if (kind === 'fail') done('fail'); };
              sc.ondownstream = (s) => {
                t.events.push('down:' + s.id);
                s.onclose = () => t.closed.push(s.id);
                s.ondowntrack = (track, tr, stream) => {
                  let v = t.videos[s.id];
                  if (!v) { v = document.createElement('video'); v.muted = true; v.autoplay = true; v.playsInline = true;
                            document.body.appendChild(v); t.videos[s.id] = v; }
                  v.srcObject = stream; v.play().catch(() => {});
                };
              };
              sc.onconnected = () => sc.join(group, user, 'pw');
              sc.onclose = () => t.events.push('closed');
              sc.connect(url);
            }).catch(e => done('error: ' + e));
            """;

    static final String PUBLISH = """
            const done = arguments[arguments.length - 1];
            const simulcast = arguments[0];
            navigator.mediaDevices.getUserMedia({audio: true, video: {width: 640, height: 480}}).then(ms => {
              const c = t.sc.newUpStream();
              c.label = 'camera';
              t.up = c;
              c.onerror = e => t.events.push('uperror:' + e);
              c.onabort = () => t.events.push('upabort');
              ms.getTracks().forEach(track => {
                if (track.kind === 'video' && simulcast) {
                  c.pc.addTransceiver(track, {direction: 'sendonly', streams: [ms],
                    sendEncodings: [{rid: 'h', maxBitrate: 1000000}, {rid: 'l', scaleResolutionDownBy: 2, maxBitrate: 150000}]});
                } else {
                  c.pc.addTransceiver(track, {direction: 'sendonly', streams: [ms]});
                }
              });
              c.stream = ms;
              done(c.id);
            }).catch(e => done('error: ' + e));
            """;

    /** Decoded-frame statistics of the first received video: [width, framesDecoded, audio packets]. */
    static final String STATS = """
            const done = arguments[arguments.length - 1];
            const ids = Object.keys(t.sc.down);
            if (ids.length === 0) { done(null); return; }
            const s = t.sc.down[ids[0]];
            s.pc.getStats().then(r => {
              let width = 0, frames = 0, audio = 0, freezes = 0, nacks = 0, plis = 0;
              r.forEach(x => {
                if (x.type === 'inbound-rtp' && x.kind === 'video') { width = x.frameWidth || 0; frames = x.framesDecoded || 0;
                    freezes = x.freezeCount || 0; nacks = x.nackCount || 0; plis = x.pliCount || 0; }
                if (x.type === 'inbound-rtp' && x.kind === 'audio') { audio = x.packetsReceived || 0; }
              });
              const v = t.videos[ids[0]];
              done({id: ids[0], width, frames, audio, freezes, nacks, plis, videoWidth: v ? v.videoWidth : 0,
                    currentTime: v ? v.currentTime : 0});
            }).catch(e => done(null));
            """;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Chromium.available(), "Chromium and chromedriver are not installed");
        server = TestServer.start(f -> f.group("media", """
                {"wildcard-user": {"password": "pw", "permissions": "present"}}
                """));
        a = Chromium.start();
        b = Chromium.start();
        for (ChromeDriver d : List.of(a, b)) {
            d.get(server.http("/").toString());
        }
    }

    @AfterAll
    static void stop() {
        for (ChromeDriver d : new ChromeDriver[]{a, b}) {
            if (d != null) {
                d.quit();
            }
        }
        if (server != null) {
            server.close();
        }
    }

    static Object js(ChromeDriver d, String script, Object... args) {
        return ((JavascriptExecutor) d).executeAsyncScript(script, args);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> stats(ChromeDriver d) {
        return (Map<String, Object>) js(d, STATS);
    }

    static long num(Map<String, Object> m, String k) {
        return m == null ? 0 : ((Number) m.get(k)).longValue();
    }

    @Test
    void S7_S23_MD12_publisherReachesReceiverWithDecodedVideoAndAudio() throws Exception {
        String ws = server.ws().toString();
        assertThat(js(a, SETUP, ws, "media", "alice")).isEqualTo("joined");
        assertThat(js(b, SETUP, ws, "media", "bob")).isEqualTo("joined");
        ((JavascriptExecutor) b).executeScript("t.sc.request({'': ['audio', 'video']})");
        long start = System.nanoTime();
        Object upId = js(a, PUBLISH, false);
        assertThat(upId).asString().doesNotStartWith("error");

        Map<String, Object> first = null;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            first = stats(b);
            if (first != null && num(first, "videoWidth") > 0 && num(first, "frames") > 0) {
                break;
            }
            Thread.sleep(200);
        }
        System.out.printf("time to first frame: %d ms%n", (System.nanoTime() - start) / 1_000_000);
        assertThat(first).as("B has a down stream").isNotNull();
        assertThat(first.get("id")).isEqualTo(upId);
        assertThat(num(first, "videoWidth")).as("B decodes video").isPositive();

        Thread.sleep(5000);
        Map<String, Object> later = stats(b);
        System.out.println("receiver stats after 5 s: " + later);
        assertThat(num(later, "frames")).as("decoded frames keep increasing").isGreaterThan(num(first, "frames"));
        assertThat(num(later, "audio")).as("audio packets keep arriving").isGreaterThan(num(first, "audio"));
    }
}
