package dev.parley.client;

import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.parley.client.media.SyntheticVideoSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java SDK and the server's own web client (protocol.js in headless Chromium) in one
 * group of the real Parley server: media both ways through the SFU, and files both ways
 * peer to peer. Run inside scripts/in-private-netns; skipped without Chromium.
 */
@Tag("media")
class WebClientInteropTest {
    private static final Path CHROMIUM = ChromiumPrerequisites.CHROMIUM;
    private static final Path DRIVER = ChromiumPrerequisites.DRIVER;

    /** Loads protocol.js, connects and joins; exposes the connection and what it saw on window.t. */
    private static final String SETUP = """
            const done = arguments[arguments.length - 1];
            const [url, group, user] = [arguments[0], arguments[1], arguments[2]];
            import('/protocol.js').then(p => {
              const hex = h => Array.from(new Uint8Array(h), x => x.toString(16).padStart(2, '0')).join('');
              const sc = new p.ServerConnection();
              window.t = {sc, files: [], videos: {}, states: [], hex};
              sc.onjoined = kind => { if (kind === 'join' || kind === 'fail') done(kind); };
              sc.onfiletransfer = f => {
                f.onevent = (state, data) => {
                  t.states.push((f.up ? 'up:' : 'down:') + state);
                  if (state === 'done' && !f.up) {
                    data.arrayBuffer().then(b => crypto.subtle.digest('SHA-256', b).then(h =>
                      t.files.push({name: f.name, size: b.byteLength, sha256: hex(h)})));
                  }
                };
                if (!f.up) f.receive();
              };
              sc.ondownstream = s => {
                s.ondowntrack = (track, tr, stream) => {
                  let v = t.videos[s.id];
                  if (!v) { v = document.createElement('video'); v.muted = true; v.autoplay = true;
                            document.body.appendChild(v); t.videos[s.id] = v; }
                  v.srcObject = stream; v.play().catch(() => {});
                };
              };
              sc.onconnected = () => sc.join(group, user, 'pw');
              sc.connect(url);
            }).catch(e => done('error: ' + e));
            """;

    /** The 3 MB, in both directions. */
    private static final int FILE_SIZE = 3 * 1024 * 1024;

    @TempDir
    Path dir;
    private ParleyTestServer server;
    private ChromeDriver browser;
    private ServerConnection java;

    @BeforeEach
    void start() throws Exception {
        ChromiumPrerequisites.require();
        server = ParleyTestServer.start("interop", """
                {"wildcard-user": {"password": "pw", "permissions": "present"}}
                """);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                "--allow-loopback-in-peer-connection", "--autoplay-policy=no-user-gesture-required",
                "--user-data-dir=" + Files.createTempDirectory(dir, "profile"));
        browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString())).usingAnyFreePort().build(), options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        browser.get(server.http("/"));
        Object joined = js().executeAsyncScript(SETUP, server.ws(), "interop", "web");
        assertThat(joined).isEqualTo("join");

        java = new ServerConnection();
        java.connect(server.ws()).get(10, TimeUnit.SECONDS);
        assertThat(java.join("interop", "java", "pw").get(10, TimeUnit.SECONDS).kind()).isEqualTo("join");
    }

    @AfterEach
    void stop() throws Exception {
        if (java != null) {
            java.close();
        }
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    private JavascriptExecutor js() {
        return browser;
    }

    private String webId() {
        return (String) js().executeScript("return t.sc.id;");
    }

    private Object poll(String script, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Object v = null;
        while (System.nanoTime() < deadline) {
            v = js().executeScript(script);
            if (v != null && !Boolean.FALSE.equals(v)) {
                return v;
            }
            Thread.sleep(100);
        }
        return v;
    }

    @Test
    void javaReceivesTheBrowsersCameraAsDecodedFrames() throws Exception {
        CountDownLatch frames = new CountDownLatch(10);
        AtomicReference<String> from = new AtomicReference<>();
        java.ondownstream(s -> {
            from.set(s.username() + " " + s.label());
            s.ondowntrack((track, transceiver, ms) -> {
                if (track instanceof VideoTrack v) {
                    v.addSink(frame -> frames.countDown());
                }
            });
        });
        java.request(Map.of("", List.of("audio", "video")));
        Object published = js().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                navigator.mediaDevices.getUserMedia({audio: true, video: {width: 320, height: 240}}).then(ms => {
                  const c = t.sc.newUpStream();
                  c.label = 'camera';
                  ms.getTracks().forEach(track => c.pc.addTransceiver(track, {direction: 'sendonly', streams: [ms]}));
                  c.stream = ms;
                  done(c.id);
                }).catch(e => done('error: ' + e));
                """);
        assertThat(published).asString().doesNotStartWith("error");
        assertThat(frames.await(30, TimeUnit.SECONDS)).as("frames decoded by the Java client").isTrue();
        assertThat(from.get()).isEqualTo("web camera");
    }

    @Test
    void theBrowserDecodesTheJavaClientsVideo() throws Exception {
        js().executeScript("t.sc.request({'': ['audio', 'video']});");
        try (SyntheticVideoSource video = new SyntheticVideoSource(320, 240, 30)) {
            VideoTrack track = java.engine().createVideoTrack("v", video.source());
            Stream up = java.newUpStream("camera");
            up.label("camera");
            up.addTrack(track);
            Object size = poll("""
                    const v = t.videos[arguments[0]];
                    return v && v.videoWidth > 0 && v.currentTime > 0 ? v.videoWidth + 'x' + v.videoHeight : null;
                    """.replace("arguments[0]", "'" + up.id() + "'"), 30);
            assertThat(size).isEqualTo("320x240");
            up.close();
            Thread.sleep(200);
            track.dispose();
        }
    }

    @Test
    void aFileFromJavaArrivesIntactInTheBrowser() throws Exception {
        Path file = dir.resolve("from-java.bin");
        String sha256 = writeRandomFile(file, FILE_SIZE);
        CompletableFuture<String> senderDone = new CompletableFuture<>();
        java.onfiletransfer(f -> f.onevent((state, data) -> {
            if (state.equals("done") || state.equals("cancelled")) {
                senderDone.complete(state + " " + data);
            }
        }));
        long deadline = System.currentTimeMillis() + 10_000;
        while (!java.users().containsKey(webId()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        java.sendFile(webId(), file);
        assertThat(senderDone.get(60, TimeUnit.SECONDS)).isEqualTo("done null");
        @SuppressWarnings("unchecked")
        Map<String, Object> got = (Map<String, Object>) poll("return t.files[0] || null;", 10);
        assertThat(got).containsEntry("name", "from-java.bin").containsEntry("size", (long) FILE_SIZE)
                .containsEntry("sha256", sha256);
    }

    @Test
    void aFileFromTheBrowserArrivesIntactOnDisk() throws Exception {
        CompletableFuture<Object> done = new CompletableFuture<>();
        AtomicReference<TransferredFile> incoming = new AtomicReference<>();
        Path target = dir.resolve("from-web.bin");
        java.onfiletransfer(f -> {
            incoming.set(f);
            f.onevent((state, data) -> {
                if (state.equals("done")) {
                    done.complete(data);
                } else if (state.equals("cancelled")) {
                    done.completeExceptionally(new AssertionError("cancelled: " + data));
                }
            });
            f.receive(target);
        });
        String javaId = java.id();
        // the browser can only offer a file to a user it already knows
        assertThat(poll("return t.sc.users['" + javaId + "'] ? true : null;", 10)).isEqualTo(true);
        // random bytes made in the page; the page reports their SHA-256 before sending them
        String sent = (String) js().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const a = new Uint8Array(arguments[1]);
                for (let i = 0; i < a.length; i += 65536) crypto.getRandomValues(a.subarray(i, i + 65536));
                crypto.subtle.digest('SHA-256', a).then(h => {
                  t.sc.sendFile(arguments[0], new File([a], 'from-web.bin', {type: 'application/octet-stream'}));
                  done(t.hex(h));
                }).catch(e => done('error: ' + e));
                """, javaId, FILE_SIZE);
        assertThat(sent).doesNotStartWith("error");
        assertThat(done.get(60, TimeUnit.SECONDS)).isEqualTo(target);
        assertThat(Files.size(target)).isEqualTo(FILE_SIZE);
        assertThat(sha256(target)).as("SHA-256 of the file written to disk").isEqualTo(sent);
        assertThat(incoming.get().name()).isEqualTo("from-web.bin");
        assertThat(incoming.get().mimetype()).isEqualTo("application/octet-stream");
        assertThat(poll("return t.states.includes('up:done') ? t.states.join(',') : null;", 10))
                .asString().contains("up:inviting", "up:connecting", "up:done");
    }

    /** Writes {@code size} random bytes to {@code file} in blocks; returns their SHA-256. */
    private static String writeRandomFile(Path file, int size) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        Random random = new Random(3);
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                int n = Math.min(left, block.length);
                out.write(block, 0, n);
                digest.update(block, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
