package dev.parley.server.sfu;

import dev.parley.server.testing.Chromium;
import dev.parley.server.testing.Firefox;
import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import dev.parley.server.testing.TestPrerequisite;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.chrome.ChromeDriver;

import java.util.List;
import java.util.Map;

import static dev.parley.server.sfu.BrowserMediaTest.PUBLISH;
import static dev.parley.server.sfu.BrowserMediaTest.SETUP;
import static dev.parley.server.sfu.BrowserMediaTest.STATS;
import static dev.parley.server.sfu.BrowserMediaTest.num;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Firefox (Gecko's WebRTC, driven through WebDriver BiDi) through Parley with the built-in
 * protocol.js: its fake camera and microphone reach Chromium and a second Firefox window,
 * Chromium's reach it, its codecs and rid simulcast reach Chromium, files go both ways between it
 * and Chromium, and the built-in web client runs in it. One Firefox and one Chromium serve every
 * test (each browser start is expensive). Run inside scripts/in-private-netns.
 */
@Tag("media")
class FirefoxMediaTest {
    static TestServer server;
    static Firefox firefox;
    static ChromeDriver chromium;

    @BeforeAll
    static void start() throws Exception {
        TestPrerequisite.require(Firefox.available() && Chromium.available(), "firefox-esr or Chromium is not installed");
        // Firefox pairs no candidate of its veth address with a loopback one: announce the veth's
        server = TestServer.builder().announce(List.of(namespaceAddress())).start(f -> {
            f.group("ff", """
                    {"wildcard-user": {"password": "pw", "permissions": "present"}}
                    """);
            CodecStats.writeGroups(f);
        });
        firefox = Firefox.start();
        chromium = Chromium.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) chromium.quit();
        if (firefox != null) firefox.close();
        if (server != null) server.close();
    }

    /** The first non-loopback IPv4 address that is up (the private namespace's veth), else loopback. */
    static String namespaceAddress() throws java.net.SocketException {
        for (var nif : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp() || nif.isLoopback()) continue;
            for (var a : java.util.Collections.list(nif.getInetAddresses())) {
                if (a instanceof java.net.Inet4Address) return a.getHostAddress();
            }
        }
        return "127.0.0.1";
    }

    /** ICE and DTLS states of Firefox's peer connections, for failure messages. */
    static Object firefoxConnections() {
        try {
            return firefox.execute("""
                    const all = [t.up, ...Object.values(t.sc.down)].filter(x => x && x.pc);
                    return all.map(x => x.id + ':' + x.pc.iceConnectionState + '/' + x.pc.connectionState
                        + ' local=' + (x.pc.localDescription ? (x.pc.localDescription.sdp.match(/a=candidate[^\\r]*/g) || []).join(';') : '')).join(' | ');
                    """);
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** Opens the server's page in both browsers and joins them. */
    static void joinBoth(String firefoxUser, String chromiumUser) throws Exception {
        joinBoth("ff", firefoxUser, chromiumUser);
    }

    static void joinBoth(String group, String firefoxUser, String chromiumUser) throws Exception {
        firefox.navigate(server.http("/").toString());
        chromium.get(server.http("/").toString());
        assertThat(firefox.executeAsync(SETUP, server.ws().toString(), group, firefoxUser)).isEqualTo("joined");
        assertThat(BrowserMediaTest.js(chromium, SETUP, server.ws().toString(), group, chromiumUser)).isEqualTo("joined");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> firefoxStats() throws Exception {
        return stats(firefox);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> stats(Firefox window) throws Exception {
        return (Map<String, Object>) window.executeAsync(STATS);
    }

    /** Waits until the window decodes video and receives audio (30 s at most); returns its stats. */
    static Map<String, Object> awaitMedia(Firefox window) throws Exception {
        Map<String, Object> s = null;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            s = stats(window);
            if (s != null && num(s, "frames") > 0 && num(s, "audio") > 0) return s;
            Thread.sleep(200);
        }
        throw new AssertionError("Firefox decodes no video; stats " + s + "; Firefox: " + firefoxConnections());
    }

    @Test
    void S7_firefoxPublishes_chromiumDecodesItsVideoAndAudio() throws Exception {
        joinBoth("fox", "chrome");
        BrowserMediaTest.run(chromium, "t.sc.request({'': ['audio', 'video']})");
        long start = System.nanoTime();
        Object upId = firefox.executeAsync(PUBLISH, false);
        assertThat(upId).asString().doesNotStartWith("error");
        Map<String, Object> first;
        try {
            first = BrowserMediaTest.awaitVideo(chromium, w -> true);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; Firefox: " + firefoxConnections(), e);
        }
        System.out.printf("Firefox -> Chromium: first frame after %d ms%n", (System.nanoTime() - start) / 1_000_000);
        assertThat(first.get("id")).isEqualTo(upId);
        Thread.sleep(3000);
        Map<String, Object> later = BrowserMediaTest.stats(chromium);
        assertThat(num(later, "frames")).as("decoded frames keep increasing").isGreaterThan(num(first, "frames"));
        assertThat(num(later, "audio")).as("audio packets keep arriving").isGreaterThan(num(first, "audio"));
        firefox.execute("t.up.close(); return null;");
    }

    @Test
    void S7_chromiumPublishes_firefoxDecodesItsVideoAndAudio() throws Exception {
        joinBoth("fox2", "chrome2");
        firefox.execute("t.sc.request({'': ['audio', 'video']}); return null;");
        long start = System.nanoTime();
        Object upId = BrowserMediaTest.js(chromium, PUBLISH, false);
        assertThat(upId).asString().doesNotStartWith("error");
        Map<String, Object> s = awaitMedia(firefox);
        System.out.printf("Chromium -> Firefox: first frame after %d ms, %s%n", (System.nanoTime() - start) / 1_000_000, s);
        assertThat(num(s, "frames")).as("Firefox decodes video; stats " + s + "; Firefox: " + firefoxConnections())
                .isGreaterThan(0);
        Thread.sleep(3000);
        Map<String, Object> later = firefoxStats();
        assertThat(num(later, "frames")).as("decoded frames keep increasing").isGreaterThan(num(s, "frames"));
        assertThat(num(later, "audio")).as("audio packets keep arriving").isGreaterThan(num(s, "audio"));
        assertThat(s.get("id")).isEqualTo(upId);
        BrowserMediaTest.run(chromium, "t.up.close()");
    }

    /**
     * MD2/MD3: Firefox's encoder, selected by the group's codecs, decoded by Chromium. Not H.264:
     * Firefox on Linux offers H.264 only with Cisco's OpenH264 plugin, which it downloads at run
     * time (DefaultCodecPreferences::SoftwareH264EnabledStatic); Debian does not package it, and
     * this Firefox's offer has no H264 line.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"vp8", "vp9", "av1"})
    void MD2_MD3_firefoxToChromium_decodesTheGroupsCodec(String codec) throws Exception {
        joinBoth(CodecStats.group(codec), "fox-" + codec, "chrome-" + codec);
        BrowserMediaTest.run(chromium, "t.sc.request({'': ['audio', 'video']})");
        long start = System.nanoTime();
        assertThat(firefox.executeAsync(PUBLISH, false)).asString().doesNotStartWith("error");
        Map<String, Object> first;
        try {
            first = CodecStats.awaitDecoding(() -> CodecStats.of(BrowserMediaTest.js(chromium, CodecStats.SCRIPT)));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; Firefox: " + firefoxConnections(), e);
        }
        long firstMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(first.get("mime")).as("Chromium decodes the group's codec").isEqualTo(CodecStats.mime(codec));
        Thread.sleep(CodecStats.PLAY_MS);
        Map<String, Object> later = CodecStats.of(BrowserMediaTest.js(chromium, CodecStats.SCRIPT));
        System.out.printf("codec %s Firefox -> Chromium: first frame after %d ms, %d frames decoded in the next %d ms%n",
                codec, firstMs, CodecStats.frames(later) - CodecStats.frames(first), CodecStats.PLAY_MS);
        assertThat(CodecStats.frames(later)).as("decoded frames keep increasing").isGreaterThan(CodecStats.frames(first));
        firefox.execute("t.up.close(); return null;");
    }

    @Test
    void S7_firefoxToFirefox_decodesVideoAndAudio() throws Exception {
        try (Firefox second = firefox.openWindow()) {
            for (Firefox w : List.of(firefox, second)) w.navigate(server.http("/").toString());
            assertThat(firefox.executeAsync(SETUP, server.ws().toString(), "ff", "fox-a")).isEqualTo("joined");
            assertThat(second.executeAsync(SETUP, server.ws().toString(), "ff", "fox-b")).isEqualTo("joined");
            second.execute("t.sc.request({'': ['audio', 'video']}); return null;");
            long start = System.nanoTime();
            Object upId = firefox.executeAsync(PUBLISH, false);
            assertThat(upId).asString().doesNotStartWith("error");
            Map<String, Object> first = awaitMedia(second);
            System.out.printf("Firefox -> Firefox: first frame after %d ms%n", (System.nanoTime() - start) / 1_000_000);
            assertThat(first.get("id")).isEqualTo(upId);
            Thread.sleep(CodecStats.PLAY_MS);
            Map<String, Object> later = stats(second);
            assertThat(num(later, "frames")).as("decoded frames keep increasing").isGreaterThan(num(first, "frames"));
            assertThat(num(later, "audio")).as("audio packets keep arriving").isGreaterThan(num(first, "audio"));
            firefox.execute("t.up.close(); return null;");
        }
    }

    /** MD6, S3: Firefox sends two rid layers; Chromium gets the low one, then the high one (same track, no offer). */
    @Test
    void MD6_S3_firefoxSimulcast_chromiumSwitchesFromTheLowToTheHighLayer() throws Exception {
        joinBoth("fox-sc", "chrome-sc");
        BrowserMediaTest.run(chromium, "t.sc.request({'': ['audio', 'video-low']})");
        assertThat(firefox.executeAsync(PUBLISH, true)).asString().doesNotStartWith("error");
        // the publish call may return before Firefox has set its offer as local description
        Object offer = firefox.executeAsync("""
                const done = arguments[arguments.length - 1], t0 = Date.now();
                (function poll() {
                    const d = t.up.pc.localDescription;
                    if (d) done((d.sdp.match(/a=simulcast:[^\\r]*/) || ['no a=simulcast'])[0]);
                    else if (Date.now() - t0 > 10000) done('no local description after 10 s');
                    else setTimeout(poll, 100);
                })();
                """);
        assertThat(offer).as("Firefox offered simulcast").isEqualTo("a=simulcast:send h;l");
        Map<String, Object> low;
        try {
            low = BrowserMediaTest.awaitVideo(chromium, w -> w > 0 && w <= 400);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; Firefox: " + firefoxConnections(), e);
        }
        System.out.println("Firefox simulcast, video-low: " + low);
        BrowserMediaTest.run(chromium, "t.sc.request({'': ['audio', 'video']})");
        Map<String, Object> high = BrowserMediaTest.awaitVideo(chromium, w -> w > 400);
        System.out.println("Firefox simulcast, video: " + high);
        // issue #14: the other layer arrives on the same down track, without a new offer
        assertThat(num(high, "offers")).as("no new offer for another layer").isEqualTo(num(low, "offers"));
        assertThat(num(high, "ssrc")).isEqualTo(num(low, "ssrc"));
        assertThat(num(high, "frames")).isGreaterThan(num(low, "frames"));
        firefox.execute("t.up.close(); return null;");
    }

    /** Receives every file offered to this page and records "name:content" (or the failure) in t.received. */
    static final String RECEIVE_FILES = """
            t.received = [];
            t.sc.onfiletransfer = f => {
              if (f.up) return;
              f.onevent = (state, data) => {
                if (state === 'done') data.text().then(x => t.received.push(f.name + ':' + x));
                if (state === 'cancelled') t.received.push('cancelled:' + data);
              };
              f.receive().catch(e => t.received.push('error:' + e));
            };
            """;

    static final String SEND_FILE = """
            t.sc.sendFile(arguments[0], new File([arguments[1]], arguments[2], {type: 'text/plain'}));
            """;

    /** The peer-to-peer file transfer of the protocol, each way, signalled through Parley. */
    @Test
    void fileTransfer_firefoxAndChromiumSendEachOtherAFile() throws Exception {
        joinBoth("fox-ft", "chrome-ft");
        firefox.execute(RECEIVE_FILES + "return null;");
        BrowserMediaTest.run(chromium, RECEIVE_FILES);
        Object chromiumId = BrowserMediaTest.js(chromium, "arguments[arguments.length - 1](t.sc.id);");
        Object firefoxId = firefox.execute("return t.sc.id;");
        String big = "0123456789abcdef".repeat(8192);                // 128 KiB: several data channel messages
        firefox.executeAsync(SEND_FILE + "arguments[arguments.length - 1](null);", chromiumId, big, "from-firefox.txt");
        BrowserMediaTest.run(chromium, SEND_FILE.replace("arguments[0]", "'" + firefoxId + "'")
                .replace("arguments[1]", "'hello from chromium'").replace("arguments[2]", "'from-chromium.txt'"));
        long deadline = System.nanoTime() + 30_000_000_000L;
        Object toChromium = null, toFirefox = null;
        while (System.nanoTime() < deadline) {
            toChromium = ((org.openqa.selenium.JavascriptExecutor) chromium).executeScript("return t.received.join('|')");
            toFirefox = firefox.execute("return t.received.join('|');");
            if (!"".equals(toChromium) && !"".equals(toFirefox)) break;
            Thread.sleep(200);
        }
        assertThat(toFirefox).isEqualTo("from-chromium.txt:hello from chromium");
        assertThat(toChromium).isEqualTo("from-firefox.txt:" + big);
    }

    /** The built-in web client in Firefox: the login form, then Chromium's camera playing on the page. */
    @Test
    void webClientInFirefox_logsIn_andPlaysChromiumsCamera() throws Exception {
        firefox.navigate(server.http("/group/ff/").toString());
        awaitTrue(firefox, "const u = document.getElementById('username'); return !!u && u.offsetParent !== null;",
                "the login form shows");
        firefox.execute("""
                for (const [id, v] of [['username', 'web-fox'], ['password', 'pw']]) {
                  const e = document.getElementById(id);
                  e.value = v;
                  e.dispatchEvent(new Event('input', {bubbles: true}));
                }
                document.getElementById('connectbutton').click();
                return null;""");
        awaitTrue(firefox, "const a = document.getElementById('app'); return !!a && a.offsetParent !== null;",
                "the group page shows after login");
        chromium.get(server.http("/").toString());
        assertThat(BrowserMediaTest.js(chromium, SETUP, server.ws().toString(), "ff", "web-chrome")).isEqualTo("joined");
        assertThat(BrowserMediaTest.js(chromium, PUBLISH, false)).asString().doesNotStartWith("error");
        String playing = "const v = [...document.querySelectorAll('video')].find(v => v.videoWidth > 0);"
                + " return v ? v.currentTime : 0;";
        awaitTrue(firefox, "const v = [...document.querySelectorAll('video')].find(v => v.videoWidth > 0);"
                + " return !!v && v.currentTime > 0;", "a received video plays");
        double t1 = ((Number) firefox.execute(playing)).doubleValue();
        Thread.sleep(CodecStats.PLAY_MS);
        double t2 = ((Number) firefox.execute(playing)).doubleValue();
        assertThat(t2).as("the video keeps playing").isGreaterThan(t1);
        BrowserMediaTest.run(chromium, "t.up.close()");
    }

    static void awaitTrue(Firefox window, String script, String what) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Boolean.TRUE.equals(window.execute(script))) return;
            Thread.sleep(200);
        }
        throw new AssertionError("not within 30 s: " + what);
    }
}
