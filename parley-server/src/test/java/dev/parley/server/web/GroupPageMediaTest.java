package dev.parley.server.web;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.parley.server.web.TestGroups.GUEST_PASSWORD;
import static dev.parley.server.web.TestGroups.OP_PASSWORD;
import static dev.parley.server.web.TestGroups.OP_USER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The group page with real media through the SFU, and peer-to-peer file transfer. Tagged
 * "media": run inside the private network namespace (scripts/in-private-netns), where the
 * browsers can only reach each other and the server.
 */
@Tag("media")
class GroupPageMediaTest extends GroupPageTestBase {

    /** The first remote tile's video: [videoWidth, currentTime, caption, muted class]. */
    private static final String REMOTE_VIDEO = """
            const tile = document.querySelector('#video-grid .tile[data-key^="down-"]');
            if (!tile) return null;
            const v = tile.querySelector('video');
            return {width: v.videoWidth, time: v.currentTime,
                    name: tile.querySelector('.tile-name').textContent, label: tile.dataset.label || ''};
            """;



    @SuppressWarnings("unchecked")
    private static Map<String, Object> remoteVideo(WebDriver d) {
        return (Map<String, Object>) js(d, REMOTE_VIDEO);
    }

    private static double num(Map<String, Object> m, String key) {
        return m == null ? 0 : ((Number) m.get(key)).doubleValue();
    }

    @Test
    void S7_S15_MD12_UA7_cameraOfOneUserPlaysOnTheOthersPageWithItsMuteAndHandStateUntilDisabled() throws InterruptedException {
        GroupPage sender = newPage().login(OP_USER, OP_PASSWORD);
        GroupPage receiver = newPage().login("watcher", GUEST_PASSWORD);
        receiver.awaitUser(OP_USER);

        sender.driver().findElement(By.id("presentbutton")).click();
        // our own video is shown locally, mirrored
        Browsers.waitFor(sender.driver()).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#video-grid .tile.mirror[data-key^='up-'] video")));
        // "Stop camera" is not confused with "Leave": other name, other colour
        WebElement stop = sender.driver().findElement(By.id("unpresentbutton"));
        WebElement leave = sender.driver().findElement(By.id("disconnectbutton"));
        assertThat(stop.getText()).isEqualTo("Stop camera");
        assertThat(stop.getCssValue("background-color")).isNotEqualTo(leave.getCssValue("background-color"));
        GroupPageBrowserTest.assertToolbarLabelledUnderIcons(sender);

        Browsers.waitFor(receiver.driver()).withTimeout(java.time.Duration.ofSeconds(30))
                .until(d -> num(remoteVideo(d), "width") > 0);
        Map<String, Object> first = remoteVideo(receiver.driver());
        assertThat(first.get("name")).isEqualTo(OP_USER);
        assertThat(first.get("label")).isEqualTo("camera");
        Thread.sleep(2000);
        assertThat(num(remoteVideo(receiver.driver()), "time")).as("the received video keeps playing")
                .isGreaterThan(num(first, "time"));
        // the participant list shows who is sending
        Browsers.waitFor(receiver.driver()).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#users li[data-username='" + OP_USER + "'] .user-media")));
        // the fake microphone beeps: the sender's tile is highlighted while sound arrives
        Browsers.waitFor(receiver.driver()).until(d -> d.findElement(
                By.cssSelector("#video-grid .tile[data-key^='down-']")).getAttribute("class").contains("speaking"));
        Browsers.screenshot(receiver.driver(), "media-receiver");
        Browsers.screenshot(sender.driver(), "media-sender");

        // muting shows the indicator on our own tile
        sender.driver().findElement(By.id("mutebutton")).click();
        assertThat(sender.driver().findElement(By.id("mutebutton")).getAttribute("aria-pressed")).isEqualTo("true");
        assertThat(sender.driver().findElement(By.cssSelector("#video-grid .tile[data-key^='up-']")).getAttribute("class"))
                .contains("muted");
        // and on the other side: on the sender's tile and in the participant list (UA7 user data)
        By remoteTile = By.cssSelector("#video-grid .tile[data-key^='down-']");
        By listedMuted = By.cssSelector("#users li[data-username='" + OP_USER + "'] .user-muted");
        Browsers.waitFor(receiver.driver()).until(d -> d.findElement(remoteTile).getAttribute("class").contains("muted"));
        assertThat(receiver.driver().findElement(remoteTile).findElement(By.cssSelector(".tile-muted")).isDisplayed()).isTrue();
        Browsers.waitFor(receiver.driver()).until(ExpectedConditions.visibilityOfElementLocated(listedMuted));
        assertThat(receiver.awaitUser(OP_USER).getAttribute("aria-label")).contains("muted");
        // a raised hand shows on the tile too
        sender.driver().findElement(By.id("handbutton")).click();
        Browsers.waitFor(receiver.driver()).until(d -> d.findElement(remoteTile).getAttribute("class").contains("hand-raised"));
        assertThat(receiver.driver().findElement(remoteTile).findElement(By.cssSelector(".tile-hand")).isDisplayed()).isTrue();
        Browsers.screenshot(receiver.driver(), "media-receiver-sender-muted-hand-raised");
        Axe.assertClean(receiver.driver(), "call with video, sender muted with hand raised");
        sender.driver().findElement(By.id("mutebutton")).click();
        Browsers.waitFor(receiver.driver()).until(ExpectedConditions.invisibilityOfElementLocated(listedMuted));
        Browsers.waitFor(receiver.driver()).until(d -> !d.findElement(remoteTile).getAttribute("class").contains("muted"));

        sender.driver().findElement(By.id("unpresentbutton")).click();
        Browsers.waitFor(receiver.driver()).until(d -> remoteVideo(d) == null);
        assertThat(sender.driver().findElements(By.cssSelector("#video-grid .tile"))).isEmpty();
        assertThat(Browsers.consoleErrors(sender.driver())).isEmpty();
        assertThat(Browsers.consoleErrors(receiver.driver())).isEmpty();
    }

    /** The share of the video area (between the panels, under the header) covered by tiles. */
    private static double tileCoverage(WebDriver d) {
        return ((Number) js(d, """
                const area = document.getElementById('videos').getBoundingClientRect();
                let covered = 0;
                for (const t of document.querySelectorAll('#video-grid .tile')) {
                    const r = t.getBoundingClientRect();
                    covered += r.width * r.height;
                }
                return covered / (area.width * area.height);""")).doubleValue();
    }

    private static final String REMOTE_CAMERA = "[data-key^='down-'][data-label='camera']";
    private static final String OWN_CAMERA = "[data-key^='up-']";
    private static final String SCREEN = "[data-label='screenshare']";

    private static WebElement tile(WebDriver d, String selector) {
        return d.findElement(By.cssSelector("#video-grid .tile" + selector));
    }

    /**
     * Whether the first tile is more than twice as wide as the second. Looked up afresh each
     * time: under load a stream may be renegotiated, and its tile replaced.
     */
    private static boolean muchWider(WebDriver d, String large, String small) {
        List<WebElement> a = d.findElements(By.cssSelector("#video-grid .tile" + large));
        List<WebElement> b = d.findElements(By.cssSelector("#video-grid .tile" + small));
        return !a.isEmpty() && !b.isEmpty() && a.get(0).getRect().getWidth() > 2 * b.get(0).getRect().getWidth();
    }

    /** Hovers a tile so that its corner buttons show, and presses its pin button. */
    private static void togglePin(WebDriver d, String selector) {
        WebElement tile = tile(d, selector);
        new org.openqa.selenium.interactions.Actions(d).moveToElement(tile).perform();
        tile.findElement(By.cssSelector(".tile-pin")).click();
    }

    @Test
    void S17_tilesFillTheAreaTheSpeakerOrAScreenShareIsShownLargeUnlessAnotherTileIsPinned() {
        GroupPage sender = newPage().login(OP_USER, OP_PASSWORD);
        GroupPage receiver = newPage().login("viewer", GUEST_PASSWORD);
        receiver.awaitUser(OP_USER);

        // two cameras: each page shows two tiles, which fill the video area between the panels
        sender.driver().findElement(By.id("presentbutton")).click();
        receiver.driver().findElement(By.id("presentbutton")).click();
        Browsers.waitFor(receiver.driver()).withTimeout(java.time.Duration.ofSeconds(30))
                .until(d -> num(remoteVideo(d), "width") > 0);
        Browsers.waitFor(receiver.driver()).until(d -> d.findElements(By.cssSelector("#video-grid .tile")).size() == 2);
        Browsers.waitFor(receiver.driver()).until(d -> tileCoverage(d) > 0.6);
        Browsers.screenshot(receiver.driver(), "grid-two-cameras");
        Axe.assertClean(receiver.driver(), "call with two cameras");
        // speaker view: whoever speaks (the sender's fake microphone beeps) is shown large
        WebDriver r = receiver.driver();
        r.findElement(By.id("settingsbutton")).click();
        r.findElement(By.id("speakerbox")).click();
        r.findElement(By.id("settings-close")).click();
        Browsers.waitFor(r).withTimeout(java.time.Duration.ofSeconds(30)).until(d -> muchWider(d, REMOTE_CAMERA, OWN_CAMERA));
        Browsers.screenshot(r, "speaker-view");
        r.findElement(By.id("settingsbutton")).click();
        r.findElement(By.id("speakerbox")).click();
        r.findElement(By.id("settings-close")).click();
        // fewer streams for the rest: two cameras and a screen are a lot for a loaded CI machine
        r.findElement(By.id("unpresentbutton")).click();

        sender.type("/sharescreen");
        Browsers.waitFor(sender.driver()).until(ExpectedConditions.visibilityOfElementLocated(By.id("unsharebutton")));
        Browsers.waitFor(receiver.driver()).withTimeout(java.time.Duration.ofSeconds(60))
                .until(d -> "screenshare".equals(js(d, """
                        const t = document.querySelector('#video-grid .tile[data-label="screenshare"] video');
                        return t && t.videoWidth > 0 ? 'screenshare' : null;""")));
        // the share says what it is and takes the large tile
        assertThat(tile(r, SCREEN).findElement(By.cssSelector(".tile-name")).getText()).isEqualTo("Screen of " + OP_USER);
        Browsers.waitFor(r).until(d -> tile(d, SCREEN).getAttribute("class").contains("featured"));
        Browsers.waitFor(r).until(d -> muchWider(d, SCREEN, REMOTE_CAMERA));
        Browsers.screenshot(r, "screen-share-featured");
        Axe.assertClean(r, "screen share shown large");

        // a pinned tile is shown large instead, until unpinned
        togglePin(r, REMOTE_CAMERA);
        Browsers.waitFor(r).until(d -> muchWider(d, REMOTE_CAMERA, SCREEN));
        assertThat(tile(r, REMOTE_CAMERA).findElement(By.cssSelector(".tile-pin")).getAttribute("aria-pressed")).isEqualTo("true");
        Browsers.screenshot(r, "camera-pinned");
        togglePin(r, REMOTE_CAMERA);
        Browsers.waitFor(r).until(d -> muchWider(d, SCREEN, REMOTE_CAMERA));

        sender.driver().findElement(By.id("unsharebutton")).click();
        Browsers.waitFor(r).until(d -> d.findElements(
                By.cssSelector("#video-grid .tile[data-label='screenshare']")).isEmpty());
        assertThat(sender.driver().findElement(By.id("sharebutton")).isDisplayed()).isTrue();
        assertThat(Browsers.consoleErrors(r)).isEmpty();
    }

    @Test
    void aLocalMediaFileIsPlayedToTheGroupAsAStreamLabelledVideo() throws IOException {
        Path wav = Files.createTempFile("parley-tone-", ".wav");
        Files.write(wav, tone(60));       // long enough to outlast a slow start on a loaded machine
        try {
            GroupPage sender = newPage().login(OP_USER, OP_PASSWORD);
            GroupPage receiver = newPage().login("listener", GUEST_PASSWORD);
            receiver.awaitUser(OP_USER);

            sender.driver().findElement(By.id("settingsbutton")).click();
            sender.driver().findElement(By.id("videofile")).sendKeys(wav.toString());
            Browsers.waitFor(receiver.driver()).withTimeout(java.time.Duration.ofSeconds(30))
                    .until(d -> Boolean.TRUE.equals(js(d, """
                            const v = document.querySelector('#video-grid .tile[data-label="video"] video');
                            return !!(v && v.srcObject && v.srcObject.getAudioTracks().length > 0);""")));
            assertThat(receiver.driver().findElement(By.cssSelector("#video-grid .tile[data-label='video'] .tile-name"))
                    .getText()).isEqualTo(OP_USER);
            assertThat(receiver.driver().findElement(By.cssSelector("#video-grid .tile[data-label='video']"))
                    .getAttribute("class")).contains("audio-only");
            Browsers.screenshot(receiver.driver(), "media-file-audio-only");
            assertThat(Browsers.consoleErrors(sender.driver())).isEmpty();
        } finally {
            Files.deleteIfExists(wav);
        }
    }

    /** A mono 16-bit 8 kHz WAV file with a 440 Hz tone. */
    private static byte[] tone(int seconds) {
        int rate = 8000;
        int samples = rate * seconds;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + 2 * samples).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 2 * samples)
                .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(rate).putInt(2 * rate).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(2 * samples);
        for (int i = 0; i < samples; i++) {
            b.putShort((short) (8000 * Math.sin(2 * Math.PI * 440 * i / rate)));
        }
        return b.array();
    }

    @Test
    void simulcastSendsRidsHAndLWithTheLowLayerHalved() {
        WebDriver d = browsers.open();
        // record the page's peer connections so that the test can read the sender's parameters
        ((ChromeDriver) d).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                (() => {
                    const Original = window.RTCPeerConnection;
                    window.__parleyPeerConnections = [];
                    window.RTCPeerConnection = function (...args) {
                        const pc = new Original(...args);
                        window.__parleyPeerConnections.push(pc);
                        return pc;
                    };
                    window.RTCPeerConnection.prototype = Original.prototype;
                })();
                """));
        new GroupPage(d).open(groupUrl()).login(OP_USER, OP_PASSWORD);
        d.findElement(By.id("settingsbutton")).click();
        new org.openqa.selenium.support.ui.Select(d.findElement(By.id("simulcastselect"))).selectByValue("on");
        d.findElement(By.id("settings-close")).click();
        d.findElement(By.id("presentbutton")).click();
        Browsers.waitFor(d).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#video-grid .tile[data-key^='up-'] video")));
        // the sender's encodings, found through the local tile's video track
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> encodings = (List<Map<String, Object>>) js(d, """
                const v = document.querySelector('#video-grid .tile[data-key^="up-"] video');
                const track = v.srcObject.getVideoTracks()[0];
                for (const pc of window.__parleyPeerConnections || []) {
                    for (const s of pc.getSenders())
                        if (s.track === track) return s.getParameters().encodings;
                }
                return null;
                """);
        assertThat(encodings).extracting(e -> e.get("rid")).containsExactly("h", "l");
        assertThat(((Number) encodings.get(1).get("scaleResolutionDownBy")).doubleValue()).isEqualTo(2.0);
        assertThat(((Number) encodings.get(1).get("maxBitrate")).longValue()).isEqualTo(100_000L);
    }

    @Test
    void aThreeMegabyteFileSentOverADataChannelArrivesByteIdentical() throws IOException {
        GroupPage sender = newPage().login(OP_USER, OP_PASSWORD);
        WebDriver receiverDriver = browsers.open();
        // the page's CSP (connect-src) rightly forbids fetching blob: URLs; the test must read one
        ((ChromeDriver) receiverDriver).executeCdpCommand("Page.setBypassCSP", Map.of("enabled", true));
        GroupPage receiver = new GroupPage(receiverDriver).open(groupUrl())
                .login("taker", GUEST_PASSWORD);
        sender.awaitUser("taker");

        // the 3 MB: many 16 kB chunks, with flow control on the data channel
        byte[] content = new byte[3 * 1024 * 1024];
        new java.util.Random(42).nextBytes(content);
        Path file = Files.createTempFile("parley-transfer-", ".bin");
        Files.write(file, content);
        try {
            sender.chooseUserMenuItem("taker", "Send file");
            long started = System.nanoTime();
            sender.driver().findElement(By.id("fileinput")).sendKeys(file.toString());

            WebElement accept = Browsers.waitFor(receiver.driver()).until(ExpectedConditions.elementToBeClickable(
                    By.xpath("//div[contains(@class,'file-transfer')]//button[normalize-space(.)='Accept']")));
            assertThat(receiver.driver().findElement(By.cssSelector(".file-transfer")).getText())
                    .contains(OP_USER, file.getFileName().toString());
            accept.click();

            WebElement save = Browsers.waitFor(receiver.driver()).withTimeout(java.time.Duration.ofSeconds(60))
                    .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".file-transfer a[download]")));
            System.out.printf("3 MB file transfer through the group page: %d ms%n",
                    (System.nanoTime() - started) / 1_000_000);
            assertThat(save.getAttribute("download")).isEqualTo(file.getFileName().toString());
            // hash the Blob behind the save link in the page (127.0.0.1 is a secure context)
            String received = (String) ((JavascriptExecutor) receiver.driver()).executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    fetch(document.querySelector('.file-transfer a[download]').href)
                        .then(r => r.arrayBuffer())
                        .then(b => crypto.subtle.digest('SHA-256', b).then(h => done(b.byteLength + ' '
                            + Array.from(new Uint8Array(h), x => x.toString(16).padStart(2, '0')).join(''))))
                        .catch(e => done('error ' + e));
                    """);
            assertThat(received).as("size and SHA-256 of the received Blob")
                    .isEqualTo(content.length + " " + sha256(content));
            Browsers.waitFor(sender.driver()).until(ExpectedConditions.textToBePresentInElementLocated(
                    By.cssSelector(".file-transfer"), "transferred"));
            Browsers.screenshot(receiver.driver(), "file-transfer-received");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Run before the page's scripts: keeps every RTCPeerConnection, to read its senders' parameters. */
    private static final String RECORD_PEER_CONNECTIONS = """
            window.__pcs = [];
            const Original = window.RTCPeerConnection;
            window.RTCPeerConnection = function(...args) {
                const pc = new Original(...args);
                window.__pcs.push(pc);
                return pc;
            };
            window.RTCPeerConnection.prototype = Original.prototype;
            """;

    /** Records six seconds of a blinking canvas as WebM; answers it in base64. */
    private static final String RECORD_CLIP = """
            const done = arguments[arguments.length - 1];
            const c = document.createElement('canvas');
            c.width = 160;
            c.height = 120;
            const ctx = c.getContext('2d');
            let n = 0;
            const timer = setInterval(() => { ctx.fillStyle = n++ % 2 ? '#c00' : '#00c'; ctx.fillRect(0, 0, 160, 120); }, 50);
            const rec = new MediaRecorder(c.captureStream(20), {mimeType: 'video/webm'});
            const chunks = [];
            rec.ondataavailable = e => chunks.push(e.data);
            rec.onstop = async () => {
                clearInterval(timer);
                const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
                let s = '';
                for (const b of bytes) s += String.fromCharCode(b);
                done(btoa(s));
            };
            rec.start();
            setTimeout(() => rec.stop(), 6000);
            """;

    @Test
    void S7_settingsFiltersHighQualityAudioAndTileControlsWorkWithRealMedia() throws InterruptedException, IOException {
        WebDriver sd = browsers.open();
        ((ChromeDriver) sd).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORD_PEER_CONNECTIONS));
        GroupPage sender = new GroupPage(sd).open(groupUrl()).login(OP_USER, OP_PASSWORD);
        GroupPage receiver = newPage().login("listener", GUEST_PASSWORD);
        WebDriver rd = receiver.driver();
        receiver.awaitUser(OP_USER);

        // the settings as /set writes them: high-quality audio, no voice processing, a vertical mirror
        sender.type("/set hqaudiobox");
        sender.type("/set preprocessingbox false");
        sender.type("/set filterselect \"mirror-v\"");
        sd.findElement(By.id("presentbutton")).click();
        Browsers.waitFor(sd).until(d -> Boolean.TRUE.equals(js(d, """
                const v = document.querySelector('#video-grid .tile[data-key^="up-"] video');
                const s = v && v.srcObject;
                return !!s && s.getVideoTracks().length === 1 && 'canvas' in s.getVideoTracks()[0];
                """)));
        assertThat(js(sd, """
                const s = document.querySelector('#video-grid .tile[data-key^="up-"] video').srcObject;
                return s.getAudioTracks()[0].getSettings().noiseSuppression;
                """)).isEqualTo(false);
        Browsers.waitFor(sd).until(d -> Long.valueOf(128000).equals(js(d, """
                for (const pc of window.__pcs)
                    for (const s of pc.getSenders())
                        if (s.track && s.track.kind === 'audio' && pc.connectionState !== 'closed')
                            return (s.getParameters().encodings[0] || {}).maxBitrate || null;
                return null;
                """)));
        // the filtered video reaches the other side and plays
        Browsers.waitFor(rd).withTimeout(java.time.Duration.ofSeconds(30)).until(d -> num(remoteVideo(d), "width") > 0);
        double t0 = num(remoteVideo(rd), "time");
        Thread.sleep(1500);
        assertThat(num(remoteVideo(rd), "time")).as("the filtered video keeps playing").isGreaterThan(t0);

        // per-tile volume and picture-in-picture
        By tile = By.cssSelector("#video-grid .tile[data-key^='down-']");
        WebElement volume = rd.findElement(tile).findElement(By.cssSelector("input.tile-volume"));
        assertThat(volume.getAccessibleName()).isEqualTo("Volume of " + OP_USER);
        js(rd, "const v = document.querySelector('.tile[data-key^=\"down-\"] input.tile-volume'); v.value = '30'; v.dispatchEvent(new Event('input'));");
        assertThat(((Number) js(rd, "return document.querySelector('.tile[data-key^=\"down-\"] video').volume")).doubleValue()).isEqualTo(0.3);
        boolean pip = Boolean.TRUE.equals(js(rd, "return document.pictureInPictureEnabled"));
        assertThat(rd.findElement(tile).findElements(By.cssSelector(".tile-pip"))).hasSize(pip ? 1 : 0);
        volume.sendKeys(org.openqa.selenium.Keys.ARROW_LEFT);
        Browsers.screenshot(rd, "tile-controls");
        Axe.assertClean(rd, "call with video, tile controls shown");

        // activity detection: the beeping sender is highlighted, and no longer once it is switched off
        Browsers.waitFor(rd).until(d -> d.findElement(tile).getAttribute("class").contains("speaking"));
        receiver.type("/set activitybox false");
        Browsers.waitFor(rd).until(d -> !d.findElement(tile).getAttribute("class").contains("speaking"));
        Thread.sleep(1500);
        assertThat(rd.findElement(tile).getAttribute("class")).doesNotContain("speaking");

        // /replace sends the camera again in a new peer connection; the other side still gets video
        long before = (Long) js(sd, "return window.__pcs.length");
        sender.type("/replace");
        Browsers.waitFor(sd).until(d -> (Long) js(d, "return window.__pcs.length") > before);
        Browsers.waitFor(rd).withTimeout(java.time.Duration.ofSeconds(30)).until(d -> num(remoteVideo(d), "width") > 0);

        // without a camera the sender is audio-only; the receiver may hide audio-only tiles
        sender.type("/set videoselect \"off\"");
        Browsers.waitFor(rd).withTimeout(java.time.Duration.ofSeconds(30))
                .until(d -> d.findElements(By.cssSelector("#video-grid .tile.audio-only[data-key^='down-']")).size() == 1);
        receiver.type("/set audioonlybox false");
        Browsers.waitFor(rd).until(d -> !d.findElement(By.cssSelector("#video-grid .tile.audio-only")).isDisplayed());
        receiver.type("/unset audioonlybox");
        Browsers.waitFor(rd).until(d -> d.findElement(By.cssSelector("#video-grid .tile.audio-only")).isDisplayed());
        sender.type("/unset videoselect");

        // /presentfile plays a local video file to the group (a clip the sender's browser records first)
        Path clip = Files.createTempFile("parley-clip-", ".webm");
        try {
            Files.write(clip, java.util.Base64.getDecoder().decode((String) ((JavascriptExecutor) sd).executeAsyncScript(RECORD_CLIP)));
            sender.type("/presentfile");
            sd.findElement(By.id("presentfileinput")).sendKeys(clip.toString());
            Browsers.waitFor(rd).until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#video-grid .tile[data-label='video'][data-key^='down-']")));
        } finally {
            Files.deleteIfExists(clip);
        }
        assertThat(Browsers.consoleErrors(rd)).isEmpty();

        // the statistics page (H48), in another tab of the receiver's browser, shows the streams with their rates
        rd.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
        rd.get(server.http("/stats.html").toString());
        Browsers.waitFor(rd).until(ExpectedConditions.visibilityOfElementLocated(By.id("stats-username"))).sendKeys(TestGroups.ADMIN_USER);
        rd.findElement(By.id("stats-password")).sendKeys(TestGroups.ADMIN_PASSWORD, org.openqa.selenium.Keys.ENTER);
        WebElement stats = Browsers.waitFor(rd).until(ExpectedConditions.visibilityOfElementLocated(By.id("stats-groups")));
        Browsers.waitFor(rd).until(ExpectedConditions.textToBePresentInElement(stats, "↑ up"));
        assertThat(stats.getText()).contains("↓ down");
        // ids are shortened, whole in the tooltip; the table fits a 1280-pixel window
        WebElement table = stats.findElement(By.cssSelector("table"));
        assertThat(table.findElement(By.cssSelector("tbody th")).getText()).hasSize(9).endsWith("…");
        assertThat(table.findElement(By.cssSelector("tbody th")).getAttribute("title")).hasSizeGreaterThan(12);
        assertThat(table.getRect().getWidth()).isLessThanOrEqualTo(stats.getRect().getWidth());
        Browsers.screenshot(rd, "stats-page-with-media");
        Axe.assertClean(rd, "statistics page with streams");
        assertThat(Browsers.consoleErrors(sd)).isEmpty();
    }
}
