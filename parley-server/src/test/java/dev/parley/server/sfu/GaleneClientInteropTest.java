package dev.parley.server.sfu;

import dev.parley.server.ParleyServer;
import dev.parley.server.ServerOptions;
import dev.parley.server.testing.Chromium;
import dev.parley.server.testing.TestPrerequisite;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Galène's own web client library against Parley (drop-in compatibility). Galène's files are
 * not part of this repository: set GALENE_STATIC to a checkout's {@code static/} directory to
 * run it, e.g. from {@code git archive} of github.com/jech/galene.
 */
@Tag("media")
class GaleneClientInteropTest {

    static final String SETUP = """
            const done = arguments[arguments.length - 1];
            const [url, user] = [arguments[0], arguments[1]];
            const s = document.createElement('script');
            s.src = '/protocol.js';
            s.onload = () => {
              const sc = new ServerConnection();
              window.t = {sc, videos: {}, chats: []};
              sc.onchat = (id, source, dest, username, time, privileged, history, kind, message) => t.chats.push(message);
              sc.onjoined = (kind) => { if (kind === 'join') done('joined'); if (kind === 'fail') done('fail'); };
              sc.ondownstream = (c) => {
                c.ondowntrack = (track, tr, stream) => {
                  let v = t.videos[c.id];
                  if (!v) { v = document.createElement('video'); v.muted = true; v.autoplay = true;
                            document.body.appendChild(v); t.videos[c.id] = v; }
                  v.srcObject = stream; v.play().catch(() => {});
                };
              };
              sc.onconnected = () => sc.join('interop', user, 'pw');
              sc.connect(url);
            };
            document.head.appendChild(s);
            """;

    static final String PUBLISH = """
            const done = arguments[arguments.length - 1];
            navigator.mediaDevices.getUserMedia({audio: true, video: true}).then(ms => {
              const c = t.sc.newUpStream();
              c.label = 'camera';
              ms.getTracks().forEach(track => c.pc.addTrack(track, ms));
              c.stream = ms;
              done(c.id);
            }).catch(e => done('error: ' + e));
            """;

    @Test
    void galeneProtocolJsChatsAndReceivesVideoThroughParley() throws Exception {
        String dir = System.getenv("GALENE_STATIC");
        Assumptions.assumeTrue(dir != null && Files.isDirectory(Path.of(dir)), "GALENE_STATIC is not set");
        TestPrerequisite.require(Chromium.available(), "Chromium is not installed");
        Path root = Files.createTempDirectory("galene-interop-");
        Path groups = Files.createDirectories(root.resolve("groups"));
        Files.writeString(groups.resolve("interop.json"), "{\"wildcard-user\": {\"password\": \"pw\", \"permissions\": \"present\"}}");
        ParleyServer server = ParleyServer.start(new ServerOptions("127.0.0.1:0", true, Path.of(dir), root.resolve("data"),
                groups, root.resolve("recordings"), "", "", false, false, List.of("127.0.0.1")));
        ChromeDriver a = Chromium.start(), b = Chromium.start();
        try {
            String base = "http://127.0.0.1:" + server.httpAddress().getPort();
            String ws = "ws://127.0.0.1:" + server.httpAddress().getPort() + "/ws";
            for (ChromeDriver d : List.of(a, b)) {
                d.get(base + "/");
            }
            assertThat(((JavascriptExecutor) a).executeAsyncScript(SETUP, ws, "alice")).isEqualTo("joined");
            assertThat(((JavascriptExecutor) b).executeAsyncScript(SETUP, ws, "bob")).isEqualTo("joined");
            ((JavascriptExecutor) b).executeScript("t.sc.request({'': ['audio', 'video']})");
            ((JavascriptExecutor) a).executeScript("t.sc.chat('', '', 'hello from galene.js')");
            assertThat(((JavascriptExecutor) a).executeAsyncScript(PUBLISH)).asString().doesNotStartWith("error");
            long deadline = System.nanoTime() + 30_000_000_000L;
            long width = 0;
            while (System.nanoTime() < deadline && width == 0) {
                Object w = ((JavascriptExecutor) b).executeScript(
                        "const v = Object.values(t.videos)[0]; return v ? v.videoWidth : 0");
                width = ((Number) w).longValue();
                Thread.sleep(200);
            }
            assertThat(width).as("Galène's library receives decoded video from Parley").isPositive();
            Object chats = ((JavascriptExecutor) b).executeScript("return t.chats");
            assertThat(chats.toString()).contains("hello from galene.js");
            System.out.println("Galène protocol.js interop: video width " + width + ", chats " + chats);
        } finally {
            a.quit();
            b.quit();
            server.shutdown();
        }
    }
}
