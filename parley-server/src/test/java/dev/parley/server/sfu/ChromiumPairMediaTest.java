package dev.parley.server.sfu;

import dev.parley.server.testing.Chromium;
import dev.parley.server.testing.TestPrerequisite;
import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.chrome.ChromeDriver;

import java.util.Map;

import static dev.parley.server.sfu.BrowserMediaTest.PUBLISH;
import static dev.parley.server.sfu.BrowserMediaTest.SETUP;
import static dev.parley.server.sfu.BrowserMediaTest.js;
import static dev.parley.server.sfu.BrowserMediaTest.num;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Chromium pages through Parley, one publishing, one receiving; one pair of browsers (and one
 * server) serves every test, as each browser start is expensive. Run inside scripts/in-private-netns.
 * <ul>
 *   <li>RFC 8842 §5.3 with libwebrtc as the DTLS server: the receiving Chromium's answers are
 *   rewritten to {@code a=setup:passive} before it applies them (as pion always answers an
 *   ICE-lite offerer), so Parley must send the ClientHello; the video must still decode.</li>
 *   <li>MD2/MD3 with real encoders and decoders: for each video codec, a group whose
 *   {@code codecs} names only that one; the answer selects it, the receiver decodes it (its
 *   inbound-rtp codec is checked) and keeps decoding.</li>
 *   <li>MD10, MD7 with VP9 and AV1 SVC: the publisher sends one VP9 or AV1 track with three
 *   spatial layers ({@code L3T3_KEY}); the receiver asks for {@code video-low} and must decode
 *   spatial layer 0 only, then asks for {@code video} and must decode the top layer the publisher
 *   sends. AV1's layers come from its dependency descriptor (docs/svc.md).</li>
 *   <li>MD6, S3 with AV1 simulcast: the receiver moves between two AV1 simulcast layers and keeps
 *   decoding, whether the publisher numbers the layers' frames in one sequence or each on its
 *   own (the server continues the descriptors' frame numbers; docs/svc.md).</li>
 * </ul>
 */
@Tag("media")
class ChromiumPairMediaTest {
    /** Makes every answer this page creates say passive, before the page applies and sends it. */
    static final String ANSWER_PASSIVE = """
            const set = RTCPeerConnection.prototype.setLocalDescription;
            RTCPeerConnection.prototype.setLocalDescription = function(d) {
              if (d && d.type === 'answer') {
                d = {type: 'answer', sdp: d.sdp.replace(/a=setup:[a-z]+/g, 'a=setup:passive')};
              }
              return set.call(this, d);
            };
            """;

    /**
     * Holds this page's offers back for a second while its ice messages go out, so the server
     * gets the client's candidates before the SDP they belong to (S22).
     */
    static final String CANDIDATES_BEFORE_OFFER = """
            const send = t.sc.send.bind(t.sc);
            t.sc.send = m => {
              if (m.type === 'offer') { setTimeout(() => { t.events.push('offer-sent:' + m.id); send(m); }, 1000); return; }
              if (m.type === 'ice') t.events.push('ice-sent:' + m.id);
              send(m);
            };
            """;

    /** Records, as they arrive on the WebSocket, the SDPs and the number of ice messages the server sends. */
    static final String RECORD_SERVER_MESSAGES = """
            const ws = t.sc.socket, handle = ws.onmessage;
            t.serverIce = 0; t.serverSdp = '';
            ws.onmessage = e => {
              const m = JSON.parse(e.data);
              if (m.type === 'ice') t.serverIce++;
              if (m.sdp) t.serverSdp += m.sdp;
              return handle.call(ws, e);
            };
            """;

    /** The SVC publisher's camera size. */
    static final int WIDTH = 1280, HEIGHT = 720;

    /**
     * Publishes the fake camera at {@code arguments[0]}x{@code arguments[1]} with the video
     * encodings of {@code arguments[2]} (JSON: the transceiver's {@code sendEncodings}). Resolution
     * is kept over frame rate, so that CPU load on a busy machine does not shrink the layers.
     */
    static final String PUBLISH_ENCODINGS = """
            const done = arguments[arguments.length - 1];
            const [width, height, encodings] = [arguments[0], arguments[1], JSON.parse(arguments[2])];
            navigator.mediaDevices.getUserMedia({audio: true, video: {width: {exact: width}, height: {exact: height}}}).then(ms => {
              const c = t.sc.newUpStream();
              c.label = 'camera';
              t.up = c;
              c.onerror = e => t.events.push('uperror:' + e);
              ms.getTracks().forEach(track => {
                const init = {direction: 'sendonly', streams: [ms]};
                if (track.kind === 'video') {
                  init.sendEncodings = encodings;
                }
                const tr = c.pc.addTransceiver(track, init);
                if (track.kind === 'video') {
                  t.videoSender = tr.sender;
                  const p = tr.sender.getParameters();
                  p.degradationPreference = 'maintain-resolution';
                  tr.sender.setParameters(p).catch(e => t.events.push('params:' + e));
                }
              });
              c.stream = ms;
              done(c.id);
            }).catch(e => done('error: ' + e));
            """;

    /**
     * One L3T3_KEY encoding of a {@value #WIDTH}x{@value #HEIGHT} camera: three spatial layers
     * (libwebrtc keeps a layer only if it is at least 240x135), VP9 or AV1 as the group's only
     * codec decides, through the server's answer.
     */
    static final String SVC_ENCODINGS = "[{\"scalabilityMode\": \"L3T3_KEY\", \"maxBitrate\": 2500000}]";

    /**
     * Two simulcast layers {@code h} and {@code l} (half size), L1T3 each: libwebrtc sends a single
     * AV1 or VP9 encoding when simulcast is asked for without a scalability mode ("legacy
     * scalability": its simulcast is off for those codecs).
     */
    static final String SIMULCAST_L1T3_ENCODINGS = """
            [{"rid": "h", "maxBitrate": 1000000, "scalabilityMode": "L1T3"},
             {"rid": "l", "scaleResolutionDownBy": 2, "maxBitrate": 150000, "scalabilityMode": "L1T3"}]""";

    /** What the SVC publisher's video encoder sends: {width, mode, mime, bytes, encoder}, null before it sends. */
    static final String SENT = """
            const done = arguments[arguments.length - 1];
            if (!t.videoSender) { done(null); return; }
            t.videoSender.getStats().then(r => {
              let out = null;
              r.forEach(x => {
                if (x.type === 'outbound-rtp' && x.kind === 'video') {
                  const c = x.codecId && r.get(x.codecId);
                  out = {width: x.frameWidth || 0, mode: x.scalabilityMode || '', mime: c ? c.mimeType : '',
                         bytes: x.bytesSent || 0, encoder: x.encoderImplementation || ''};
                }
              });
              done(out);
            }).catch(e => done(null));
            """;

    /** Turns the publisher's simulcast layer {@code arguments[0]} (a rid) on or off ({@code arguments[1]}). */
    static final String SET_LAYER_ACTIVE = """
            const done = arguments[arguments.length - 1];
            const [rid, active] = [arguments[0], arguments[1]];
            const sender = t.up.pc.getSenders().find(x => x.track && x.track.kind === 'video');
            const p = sender.getParameters();
            p.encodings.forEach(e => { if (e.rid === rid) e.active = active; });
            sender.setParameters(p).then(() => done('ok')).catch(e => done('error: ' + e));
            """;

    /** Each simulcast layer the publisher sends: rid, width, bytes, frames encoded, keyframes. */
    static final String SENT_LAYERS = """
            const done = arguments[arguments.length - 1];
            t.up.pc.getStats().then(r => {
              const out = [];
              r.forEach(x => {
                if (x.type === 'outbound-rtp' && x.kind === 'video') {
                  out.push({rid: x.rid || '', width: x.frameWidth || 0, bytes: x.bytesSent || 0, frames: x.framesEncoded || 0,
                            keyframes: x.keyFramesEncoded || 0, mode: x.scalabilityMode || '', limit: x.qualityLimitationReason || '',
                            active: x.active});
                }
              });
              done(JSON.stringify(out));
            }).catch(e => done('error: ' + e));
            """;

    static TestServer server;
    /** The same groups, on a server in {@code -ice-trickle} mode. */
    static TestServer trickling;
    static ChromeDriver publisher, receiver;

    @BeforeAll
    static void start() throws Exception {
        TestPrerequisite.require(Chromium.available(), "Chromium and chromedriver are not installed");
        server = TestServer.start(f -> {
            f.group("roles", """
                    {"wildcard-user": {"password": "pw", "permissions": "present"}}
                    """);
            CodecStats.writeGroups(f);
        });
        trickling = TestServer.builder().trickleIce().start(CodecStats::writeGroups);
        publisher = Chromium.start();
        receiver = Chromium.start();
    }

    @AfterAll
    static void stop() {
        for (ChromeDriver d : new ChromeDriver[]{publisher, receiver}) {
            if (d != null) d.quit();
        }
        if (server != null) server.close();
        if (trickling != null) trickling.close();
    }

    /** Fresh pages on {@code on}: the publisher joins {@code group} as "pub", the receiver as "sub". */
    static void joinBoth(TestServer on, String group) {
        publisher.get(on.http("/").toString());
        receiver.get(on.http("/").toString());
        assertThat(js(publisher, SETUP, on.ws().toString(), group, "pub")).isEqualTo("joined");
        assertThat(js(receiver, SETUP, on.ws().toString(), group, "sub")).isEqualTo("joined");
    }

    @Test
    void S16_S22_trickledCandidatesBothWays_candidatesBeforeTheOfferAndAfterTheAnswer() throws Exception {
        String group = CodecStats.group("vp8");
        joinBoth(trickling, group);
        BrowserMediaTest.run(publisher, CANDIDATES_BEFORE_OFFER + RECORD_SERVER_MESSAGES);
        BrowserMediaTest.run(receiver, RECORD_SERVER_MESSAGES);
        BrowserMediaTest.run(receiver, "t.sc.request({'': ['audio', 'video']})");
        long start = System.nanoTime();
        assertThat(js(publisher, PUBLISH, false)).asString().doesNotStartWith("error");

        Map<String, Object> first = CodecStats.awaitDecoding(() -> CodecStats.of(js(receiver, CodecStats.SCRIPT)));
        System.out.printf("-ice-trickle: first frame after %d ms%n", (System.nanoTime() - start) / 1_000_000);
        String remoteSdps = "return t.serverSdp";
        for (ChromeDriver d : new ChromeDriver[]{publisher, receiver}) {
            assertThat((String) ((org.openqa.selenium.JavascriptExecutor) d).executeScript(remoteSdps))
                    .as("the server's SDP carries no candidates").contains("a=ice-ufrag").doesNotContain("a=candidate");
            assertThat(((Number) ((org.openqa.selenium.JavascriptExecutor) d).executeScript("return t.serverIce")).intValue())
                    .as("the server's candidates arrived as ice messages").isPositive();
        }
        String events = (String) ((org.openqa.selenium.JavascriptExecutor) publisher).executeScript("return t.events.join(' ')");
        assertThat(events).as("the publisher's candidates went out before its offer").contains("ice-sent:", "offer-sent:");
        assertThat(events.indexOf("ice-sent:")).as(events).isLessThan(events.indexOf("offer-sent:"));
        Thread.sleep(CodecStats.PLAY_MS);
        assertThat(CodecStats.frames(CodecStats.of(js(receiver, CodecStats.SCRIPT)))).isGreaterThan(CodecStats.frames(first));
        BrowserMediaTest.run(publisher, "t.up.close()");
    }

    @Test
    void S10_receiverAnsweringPassive_isTheDtlsServer_andDecodesVideo() throws Exception {
        publisher.get(server.http("/").toString());
        receiver.get(server.http("/").toString());
        BrowserMediaTest.run(receiver, ANSWER_PASSIVE);
        assertThat(js(publisher, SETUP, server.ws().toString(), "roles", "pub")).isEqualTo("joined");
        assertThat(js(receiver, SETUP, server.ws().toString(), "roles", "sub")).isEqualTo("joined");
        BrowserMediaTest.run(receiver, "t.sc.request({'': ['audio', 'video']})");
        long start = System.nanoTime();
        assertThat(js(publisher, PUBLISH, false)).asString().doesNotStartWith("error");

        Map<String, Object> first = BrowserMediaTest.awaitVideo(receiver, w -> true);
        System.out.printf("Chromium as DTLS server: first frame after %d ms%n", (System.nanoTime() - start) / 1_000_000);
        Object setup = ((org.openqa.selenium.JavascriptExecutor) receiver).executeScript(
                "const s = Object.values(t.sc.down)[0]; return s.pc.localDescription.sdp.match(/a=setup:([a-z]+)/)[1];");
        assertThat(setup).as("the receiver's applied answer").isEqualTo("passive");
        Thread.sleep(2000);
        assertThat(num(BrowserMediaTest.stats(receiver), "frames")).isGreaterThan(num(first, "frames"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"vp8", "vp9", "h264", "av1"})
    void MD2_MD3_chromiumToChromium_decodesTheGroupsCodec(String codec) throws Exception {
        String group = CodecStats.group(codec);
        joinBoth(server, group);
        BrowserMediaTest.run(receiver, "t.sc.request({'': ['audio', 'video']})");
        long start = System.nanoTime();
        assertThat(js(publisher, PUBLISH, false)).asString().doesNotStartWith("error");

        Map<String, Object> first = CodecStats.awaitDecoding(() -> CodecStats.of(js(receiver, CodecStats.SCRIPT)));
        long firstMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(first.get("mime")).as("the receiver decodes the group's codec").isEqualTo(CodecStats.mime(codec));
        Thread.sleep(CodecStats.PLAY_MS);
        Map<String, Object> later = CodecStats.of(js(receiver, CodecStats.SCRIPT));
        System.out.printf("codec %s Chromium -> Chromium: first frame after %d ms, %d frames decoded in the next %d ms%n",
                codec, firstMs, CodecStats.frames(later) - CodecStats.frames(first), CodecStats.PLAY_MS);
        assertThat(CodecStats.frames(later)).as("decoded frames keep increasing").isGreaterThan(CodecStats.frames(first));
        BrowserMediaTest.run(publisher, "t.up.close()");
    }

    /** libwebrtc's switch that numbers each simulcast layer's frames on its own (off by default in Chromium 156). */
    static final String INDEPENDENT_FRAME_IDS = "--force-fieldtrials=WebRTC-Video-SimulcastIndependentFrameIds/Enabled/WebRTC-GenericDescriptorAuth/Disabled/";

    /**
     * MD6, S3, issue #14 with AV1 simulcast (docs/svc.md, "AV1 simulcast"): the publisher sends two
     * rid layers of AV1 ({@code L1T3} each), each frame with a dependency descriptor; the receiver
     * moves {@code video} → {@code video-low} → {@code video} without a new offer, and after each
     * switch must decode the new layer's width and keep decoding. Before the switches the
     * publisher pauses its small layer for 3 s (as libwebrtc pauses layers when its estimate
     * falls). libwebrtc's receiver takes frame ids from the descriptors' frame numbers and drops a
     * keyframe older than the last one: by default Chromium numbers the frames of all layers in one
     * sequence, so a keyframe of the other layer always comes later; with
     * {@value #INDEPENDENT_FRAME_IDS} each layer counts its own frames, the paused one falls behind,
     * and the receiver sees frame numbers jump back at the switch unless the server continues them.
     * Prints freezes and keyframe requests at each step.
     */
    @ParameterizedTest(name = "independent frame ids: {0}")
    @ValueSource(booleans = {false, true})
    void MD6_S3_av1SimulcastReceiverSwitchesLayersAndKeepsDecoding(boolean independentFrameIds) throws Exception {
        ChromeDriver a = independentFrameIds ? Chromium.start(INDEPENDENT_FRAME_IDS) : publisher;
        try {
            a.get(server.http("/").toString());
            receiver.get(server.http("/").toString());
            String group = CodecStats.group("av1");
            assertThat(js(a, SETUP, server.ws().toString(), group, "pub")).isEqualTo("joined");
            assertThat(js(receiver, SETUP, server.ws().toString(), group, "sub")).isEqualTo("joined");
            BrowserMediaTest.run(receiver, "t.sc.request({'': ['audio', 'video']})");
            assertThat(js(a, PUBLISH_ENCODINGS, 640, 480, SIMULCAST_L1T3_ENCODINGS)).asString().doesNotStartWith("error");

            Map<String, Object> high = BrowserMediaTest.awaitVideo(receiver, w -> w > 400);
            assertThat(CodecStats.of(js(receiver, CodecStats.SCRIPT)).get("mime")).isEqualTo(CodecStats.mime("av1"));
            high = keepsDecoding("av1 simulcast video", high);
            assertThat(js(a, SET_LAYER_ACTIVE, "l", false)).isEqualTo("ok");
            Thread.sleep(3000);
            assertThat(js(a, SET_LAYER_ACTIVE, "l", true)).isEqualTo("ok");
            Thread.sleep(1000);
            System.out.println("A sends " + js(a, SENT_LAYERS));
            high = BrowserMediaTest.stats(receiver);
            Map<String, Object> low = switchTo("video-low", w -> w > 0 && w <= 400, high);
            Map<String, Object> highAgain = switchTo("video", w -> w > 400, low);
            System.out.println("A sends " + js(a, SENT_LAYERS));
            switchTo("video-low", w -> w > 0 && w <= 400, highAgain);
            assertThat(num(highAgain, "offers")).as("no new offer for another layer").isEqualTo(num(high, "offers"));
            assertThat(num(highAgain, "ssrc")).as("the same down track").isEqualTo(num(high, "ssrc"));
            BrowserMediaTest.run(a, "t.up.close()");
        } finally {
            if (a != publisher) {
                a.quit();
            }
        }
    }

    /** Asks for {@code what}; waits for B to decode a width {@code widthOk} takes, then checks it keeps decoding. */
    private static Map<String, Object> switchTo(String what, java.util.function.LongPredicate widthOk,
                                                Map<String, Object> before) throws Exception {
        BrowserMediaTest.run(receiver, "t.sc.request({'': ['audio', '" + what + "']})");
        long asked = System.nanoTime();
        Map<String, Object> now = BrowserMediaTest.awaitVideo(receiver, widthOk);
        System.out.printf("av1 simulcast %s: B decodes %d wide after %d ms%n", what, num(now, "width"),
                (System.nanoTime() - asked) / 1_000_000);
        assertThat(num(now, "frames")).as("one decoder's count, still rising").isGreaterThan(num(before, "frames"));
        return keepsDecoding("av1 simulcast " + what, now);
    }

    /**
     * Watches B decode for 3 s at the same width: at least 5 frames (a frozen receiver decodes
     * none; 5 leaves room for a machine so loaded that it decodes 5 a second); prints freezes and PLIs.
     */
    private static Map<String, Object> keepsDecoding(String what, Map<String, Object> from) throws Exception {
        Thread.sleep(3000);
        Map<String, Object> prev = BrowserMediaTest.stats(receiver);
        assertThat(num(prev, "width")).as("%s: still the same layer", what).isEqualTo(num(from, "width"));
        assertThat(num(prev, "frames") - num(from, "frames")).as("%s: frames decoded in 3 s (%s)", what, prev)
                .isGreaterThanOrEqualTo(5);
        System.out.printf("%s: %d wide, %d frames in 3 s; freezes %d (%d ms in all), PLIs %d, NACKs %d%n", what,
                num(prev, "width"), num(prev, "frames") - num(from, "frames"), num(prev, "freezes"),
                num(prev, "freezeMs"), num(prev, "plis"), num(prev, "nacks"));
        return prev;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> sent(ChromeDriver d) {
        return (Map<String, Object>) js(d, SENT);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"vp9", "av1"})
    void MD10_MD7_videoLowOfAnSvcStreamDecodesTheBaseLayer_videoDecodesTheTopLayer(String codec) throws Exception {
        String group = CodecStats.group(codec);
        joinBoth(server, group);
        BrowserMediaTest.run(receiver, "t.sc.request({'': ['audio', 'video-low']})");
        assertThat(js(publisher, PUBLISH_ENCODINGS, WIDTH, HEIGHT, SVC_ENCODINGS)).asString().doesNotStartWith("error");

        Map<String, Object> low = BrowserMediaTest.awaitVideo(receiver, w -> true);
        Map<String, Object> sending = sent(publisher);
        System.out.println(codec + ": A sends " + sending + "; B with video-low decodes " + low);
        assertThat(sending).as("A's encoder").isNotNull();
        assertThat(sending.get("mime")).isEqualTo(CodecStats.mime(codec));
        assertThat(sending.get("mode")).as("A sends SVC: the answer let it").isEqualTo("L3T3_KEY");
        // A's estimate starts low and A may send its base layer only at first: the check means
        // something once A sends an upper layer too, and then for a while, not just one frame
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (num(sent(publisher), "width") <= WIDTH / 4 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(3000);
        low = BrowserMediaTest.stats(receiver);
        sending = sent(publisher);
        assertThat(num(sending, "width")).as("A sends more than its base layer").isGreaterThan(WIDTH / 4);
        System.out.println(codec + " later: A sends " + sending + "; B with video-low decodes " + low);
        assertThat(num(low, "width")).as("spatial layer 0 of a %d-wide L3 stream", WIDTH).isEqualTo(WIDTH / 4);
        assertThat(num(low, "frames")).isPositive();
        // each forwarded picture ends with a marker: B's decoder completes them and needs no keyframe
        // (with the marker left on the dropped top layer, B sent 20 PLIs in these seconds)
        assertThat(num(low, "plis")).as("B's keyframe requests").isLessThanOrEqualTo(2);

        BrowserMediaTest.run(receiver, "t.sc.request({'': ['audio', 'video']})");
        long switched = System.nanoTime();
        // A's top layer may change as its bandwidth estimate moves: wait until B decodes what A sends now
        Map<String, Object> high = BrowserMediaTest.awaitVideo(receiver,
                w -> w > WIDTH / 4 && w == num(sent(publisher), "width"));
        long upMs = (System.nanoTime() - switched) / 1_000_000;
        sending = sent(publisher);
        System.out.printf("%s video: B decodes %s after %d ms; A sends %s%n", codec, high, upMs, sending);
        assertThat(num(high, "width")).as("B decodes the top layer A sends").isGreaterThanOrEqualTo(WIDTH / 2);
        Thread.sleep(2000);
        Map<String, Object> later = BrowserMediaTest.stats(receiver);
        assertThat(num(later, "frames")).as("and keeps decoding").isGreaterThan(num(high, "frames"));
        BrowserMediaTest.run(publisher, "t.up.close()");
    }
}
