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

    static TestServer server;
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
        publisher = Chromium.start();
        receiver = Chromium.start();
    }

    @AfterAll
    static void stop() {
        for (ChromeDriver d : new ChromeDriver[]{publisher, receiver}) {
            if (d != null) d.quit();
        }
        if (server != null) server.close();
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
        publisher.get(server.http("/").toString());
        receiver.get(server.http("/").toString());
        assertThat(js(publisher, SETUP, server.ws().toString(), group, "pub")).isEqualTo("joined");
        assertThat(js(receiver, SETUP, server.ws().toString(), group, "sub")).isEqualTo("joined");
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
}
