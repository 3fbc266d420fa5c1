package dev.parley.server.record;

import dev.parley.server.testing.Chromium;
import dev.parley.server.testing.TestPrerequisite;
import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static dev.parley.server.record.WebmWriter.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Chromium publishes its fake camera and microphone; the server records the stream
 * (GA4, MD15, MD16) and the file is read back with the test's EBML reader.
 */
@Tag("media")
class RecordingMediaTest {
    static TestServer server;
    static ChromeDriver browser;

    static final String SETUP = """
            const done = arguments[arguments.length - 1];
            const [url, group, user] = [arguments[0], arguments[1], arguments[2]];
            import('/protocol.js').then(p => {
              const sc = new p.ServerConnection();
              window.t = {sc, p, events: []};
              sc.onjoined = (kind) => { if (kind === 'join') done('joined'); if (kind === 'fail') done('fail'); };
              sc.onusermessage = (id, dest, username, time, privileged, kind, error, message) => t.events.push(kind + ':' + message);
              sc.onconnected = () => sc.join(group, user, 'pw');
              sc.connect(url);
            }).catch(e => done('error: ' + e));
            """;

    static final String PUBLISH = """
            const done = arguments[arguments.length - 1];
            navigator.mediaDevices.getUserMedia({audio: true, video: {width: 640, height: 480}}).then(ms => {
              const c = t.sc.newUpStream();
              c.label = 'camera';
              t.up = c;
              ms.getTracks().forEach(track => c.pc.addTransceiver(track, {direction: 'sendonly', streams: [ms]}));
              c.stream = ms;
              done(c.id);
            }).catch(e => done('error: ' + e));
            """;

    /** Plays a file in the page with Chromium's own demuxer and decoders. */
    static final String PLAY = """
            const done = arguments[arguments.length - 1];
            const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));
            const v = document.createElement('video');
            v.muted = true;
            document.body.appendChild(v);
            v.onerror = () => done({error: v.error ? v.error.code + ' ' + v.error.message : 'error'});
            v.onloadedmetadata = () => v.play().then(() => setTimeout(() => done({
                width: v.videoWidth, height: v.videoHeight, duration: v.duration,
                frames: v.getVideoPlaybackQuality().totalVideoFrames, time: v.currentTime}), 1500))
              .catch(e => done({error: 'play: ' + e}));
            v.src = URL.createObjectURL(new Blob([bytes], {type: 'video/webm'}));
            """;

    /** The presenter's bandwidth estimate, which the server's REMB bounds. */
    static final String OUTGOING = """
            const done = arguments[arguments.length - 1];
            t.up.pc.getStats().then(r => { let v = 0;
              r.forEach(x => { if (x.type === 'candidate-pair' && x.nominated) v = x.availableOutgoingBitrate || 0; });
              done(v); });
            """;

    @BeforeAll
    static void start() throws Exception {
        TestPrerequisite.require(Chromium.available(), "Chromium and chromedriver are not installed");
        server = TestServer.start(f -> {
            f.group("rec", """
                    {"allow-recording": true,
                     "users": {"op/x": {"password": "pw", "permissions": "op"}},
                     "wildcard-user": {"password": "pw", "permissions": "present"}}
                    """);
            f.group("h264", """
                    {"allow-recording": true, "codecs": ["h264", "opus"],
                     "users": {"op/x": {"password": "pw", "permissions": "op"}}}
                    """);
            f.group("av1", """
                    {"allow-recording": true, "codecs": ["av1", "opus"],
                     "users": {"op/x": {"password": "pw", "permissions": "op"}}}
                    """);
        });
        browser = Chromium.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void freshPage() throws IOException {
        browser.get(server.http("/").toString());
        Path dir = server.recordingsDir().resolve("rec");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeAsyncScript(script, args);
    }

    static void run(String script) {
        ((JavascriptExecutor) browser).executeScript(script);
    }

    private static List<Path> recordings() throws IOException {
        return recordings("rec");
    }

    private static List<Path> recordings(String group) throws IOException {
        Path dir = server.recordingsDir().resolve(group);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    /** Waits until the file's Segment has a known size, i.e. the writer closed it. */
    private static byte[] awaitClosedFile(Path file) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            byte[] b = Files.readAllBytes(file);
            try {
                List<EbmlReader.Element> top = EbmlReader.parse(b);
                if (top.size() == 2 && sizeKnown(b, top.get(1)) && top.get(1).one(INFO).one(DURATION).float64() > 0) {
                    return b;
                }
            } catch (AssertionError | RuntimeException e) {
                // still being written
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the recording " + file + " was not closed");
            }
            Thread.sleep(100);
        }
    }

    /** Whether an element's 8-byte size was patched (the writer starts it as "unknown"). */
    private static boolean sizeKnown(byte[] file, EbmlReader.Element e) {
        for (int i = e.dataStart() - 7; i < e.dataStart(); i++) {
            if ((file[i] & 0xFF) != 0xFF) {
                return true;
            }
        }
        return false;
    }

    /** Checks the file's tracks and blocks, then (WebM only) plays it in Chromium. */
    private static void checkRecording(Path file, long minMillis) throws Exception {
        checkRecording(file, minMillis, "V_VP8");
    }

    private static void checkRecording(Path file, long minMillis, String videoCodec) throws Exception {
        boolean webm = !videoCodec.equals("V_MPEG4/ISO/AVC");
        assertThat(file.getFileName().toString()).as("MD15 name")
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}-op-slash-x\\." + (webm ? "webm" : "mkv"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        byte[] bytes = awaitClosedFile(file);
        assertThat(bytes.length).as("a few seconds of VP8 and Opus").isGreaterThan(50_000);

        List<EbmlReader.Element> top = EbmlReader.parse(bytes);
        assertThat(top.get(0).one(DOC_TYPE).string()).isEqualTo(webm ? "webm" : "matroska");
        EbmlReader.Element segment = top.get(1);
        List<EbmlReader.Element> entries = segment.one(TRACKS).all(TRACK_ENTRY);
        assertThat(entries).extracting(e -> e.one(CODEC_ID).string()).containsExactly("A_OPUS", videoCodec);
        EbmlReader.Element video = entries.get(1).one(VIDEO);
        assertThat(video.one(PIXEL_WIDTH).uint()).isEqualTo(640);
        assertThat(video.one(PIXEL_HEIGHT).uint()).isEqualTo(480);

        int videoBlocks = 0, audioBlocks = 0, keyframes = 0;
        long lastVideo = -1, lastAudio = -1;
        boolean firstVideoIsKey = false;
        for (EbmlReader.Element cluster : segment.all(CLUSTER)) {
            long base = cluster.one(TIMECODE).uint();
            for (EbmlReader.Element e : cluster.all(SIMPLE_BLOCK)) {
                EbmlReader.Block b = EbmlReader.Block.of(e);
                long time = base + b.relativeTime();
                if (b.track() == 2) {
                    if (videoBlocks == 0) {
                        firstVideoIsKey = b.keyframe();
                    }
                    assertThat(time).as("video times increase").isGreaterThan(lastVideo);
                    lastVideo = time;
                    videoBlocks++;
                    if (b.keyframe()) {
                        keyframes++;
                        if (videoCodec.equals("V_VP8")) {
                            assertThat(Vp8Depacketizer.keyframeSize(b.data(), 0, b.data().length)).containsExactly(640, 480);
                        }
                    }
                } else {
                    assertThat(b.track()).isEqualTo(1);
                    assertThat(time).as("audio times do not go back").isGreaterThanOrEqualTo(lastAudio);
                    lastAudio = time;
                    audioBlocks++;
                }
            }
        }
        System.out.printf("%s: %d bytes, %d video blocks (%d keyframes), %d audio blocks, video %d ms, audio %d ms%n",
                file.getFileName(), bytes.length, videoBlocks, keyframes, audioBlocks, lastVideo, lastAudio);
        assertThat(firstVideoIsKey).as("the file starts with a keyframe").isTrue();
        assertThat(keyframes).isPositive();
        assertThat(videoBlocks).isGreaterThanOrEqualTo(100);
        assertThat(audioBlocks).isGreaterThanOrEqualTo(100);
        assertThat(lastVideo).isGreaterThan(minMillis);
        assertThat(Math.abs(lastVideo - lastAudio)).as("audio and video end together").isLessThan(300);
        assertThat(segment.one(INFO).one(DURATION).float64()).isGreaterThan(minMillis);
        if (!webm) {
            assertThat(entries.get(1).one(CODEC_PRIVATE).bytes()[0]).as("AVC configuration version").isEqualTo((byte) 1);
            return;                     // Chromium does not play Matroska files
        }

        @SuppressWarnings("unchecked")
        var played = (java.util.Map<String, Object>) js(PLAY, java.util.Base64.getEncoder().encodeToString(bytes));
        System.out.println("played in Chromium: " + played);
        assertThat(played).doesNotContainKey("error");
        assertThat(((Number) played.get("width")).intValue()).isEqualTo(640);
        assertThat(((Number) played.get("height")).intValue()).isEqualTo(480);
        assertThat(((Number) played.get("duration")).doubleValue()).isGreaterThan(minMillis / 1000.0);
        assertThat(((Number) played.get("frames")).intValue()).as("frames decoded by Chromium").isGreaterThan(10);
    }

    @Test
    void GA4_MD15_MD16_anExistingStreamIsRecordedUntilUnrecord() throws Exception {
        assertThat(js(SETUP, server.ws().toString(), "rec", "op/x")).isEqualTo("joined");
        assertThat(js(PUBLISH)).asString().doesNotStartWith("error");
        Thread.sleep(2000);
        run("t.sc.groupAction('record')");
        Thread.sleep(6000);
        System.out.println("presenter's available outgoing bitrate while recorded: " + js(OUTGOING));
        run("t.sc.groupAction('unrecord')");
        Thread.sleep(500);
        List<Path> files = recordings();
        assertThat(files).hasSize(1);
        checkRecording(files.get(0), 4000);
    }

    @Test
    void shutdownClosesTheRecordingCleanly() throws Exception {
        TestServer own = TestServer.start(f -> f.group("rec", """
                {"allow-recording": true,
                 "users": {"op/x": {"password": "pw", "permissions": "op"}}}
                """));
        try {
            browser.get(own.http("/").toString());
            assertThat(js(SETUP, own.ws().toString(), "rec", "op/x")).isEqualTo("joined");
            assertThat(js(PUBLISH)).asString().doesNotStartWith("error");
            run("t.sc.groupAction('record')");
            Thread.sleep(6000);
            own.server().shutdown();
            Path dir = own.recordingsDir().resolve("rec");
            List<Path> files;
            try (Stream<Path> list = Files.list(dir)) {
                files = list.toList();
            }
            assertThat(files).hasSize(1);
            byte[] bytes = Files.readAllBytes(files.get(0));
            EbmlReader.Element segment = EbmlReader.parse(bytes).get(1);
            assertThat(segment.dataEnd()).isEqualTo(bytes.length);
            assertThat(sizeKnown(bytes, segment)).as("the segment size was fixed at close").isTrue();
            assertThat(segment.all(CLUSTER)).allMatch(c -> sizeKnown(bytes, c));
            assertThat(segment.one(INFO).one(DURATION).float64()).isGreaterThan(3000);
            assertThat(segment.all(CLUSTER)).isNotEmpty();
        } finally {
            own.close();
        }
    }

    /** Publishes in {@code group} and records for 6 s; returns the group's files. */
    private static List<Path> recordIn(String group) throws Exception {
        assertThat(js(SETUP, server.ws().toString(), group, "op/x")).isEqualTo("joined");
        assertThat(js(PUBLISH)).asString().doesNotStartWith("error");
        Thread.sleep(1000);
        run("t.sc.groupAction('record')");
        Thread.sleep(6000);
        run("t.sc.groupAction('unrecord')");
        Thread.sleep(500);
        return recordings(group);
    }

    @Test
    void MD16_h264GoesIntoMatroska() throws Exception {
        List<Path> files = recordIn("h264");
        assertThat(files).hasSize(1);
        checkRecording(files.get(0), 4000, "V_MPEG4/ISO/AVC");
    }

    @Test
    void MD16_M3_av1IsNotRecordedAndOpsAreWarned() throws Exception {
        List<Path> files = recordIn("av1");
        Object events = ((JavascriptExecutor) browser).executeScript("return t.events");
        System.out.println("events: " + events);
        assertThat(events.toString()).contains("warning:Recording: codec AV1 is not supported");
        assertThat(files).as("audio alone is recorded").hasSize(1);
        byte[] bytes = awaitClosedFile(files.get(0));
        EbmlReader.Element segment = EbmlReader.parse(bytes).get(1);
        assertThat(segment.one(TRACKS).all(TRACK_ENTRY)).extracting(e -> e.one(CODEC_ID).string()).containsExactly("A_OPUS");
    }

    @Test
    void S23_MD16_aNewStreamIsRecordedAndItsFileClosesWithTheStream() throws Exception {
        assertThat(js(SETUP, server.ws().toString(), "rec", "op/x")).isEqualTo("joined");
        run("t.sc.groupAction('record')");
        Thread.sleep(500);
        assertThat(js(PUBLISH)).asString().doesNotStartWith("error");
        Thread.sleep(6000);
        run("t.up.close()");
        Thread.sleep(500);
        List<Path> files = recordings();
        assertThat(files).hasSize(1);
        checkRecording(files.get(0), 4000);
        run("t.sc.groupAction('unrecord')");
    }
}
