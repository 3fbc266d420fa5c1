package dev.parley.client;

import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.parley.client.media.SyntheticVideoSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #14: a webrtc-java publisher sending two simulcast layers through Parley, a Chromium
 * receiver asking for {@code video}. With transport feedback from the server the publisher's
 * estimate rises and its high layer reaches the browser, on the same down track (one SSRC, one
 * transceiver: the server switches layers at a keyframe without renegotiating). Prints, each second, what the
 * publisher sends per layer and its estimate, and what the browser decodes. Run inside
 * scripts/in-private-netns; skipped without Chromium.
 */
@Tag("media")
class SimulcastQualityTest {
    private static final Path CHROMIUM = ChromiumPrerequisites.CHROMIUM;
    private static final Path DRIVER = ChromiumPrerequisites.DRIVER;
    private static final int WIDTH = 640;
    private static final int SECONDS = 30;

    /** Joins, asks for video, and keeps the first down stream's video in a video element. */
    private static final String RECEIVE = """
            const done = arguments[arguments.length - 1];
            const [url, group] = [arguments[0], arguments[1]];
            import('/protocol.js').then(p => {
              const sc = new p.ServerConnection();
              window.sc = sc;
              sc.ondownstream = s => {
                s.ondowntrack = (track, tr, stream) => {
                  const v = document.createElement('video');
                  v.muted = true; v.autoplay = true; v.srcObject = stream;
                  document.body.appendChild(v);
                };
              };
              sc.onjoined = kind => {
                if (kind === 'join') { sc.request({'': ['video']}); done('joined'); }
                else if (kind === 'fail') done('error: join failed');
              };
              sc.onconnected = () => sc.join(group, 'chromium', 'pw');
              sc.connect(url);
            }).catch(e => done('error: ' + e));
            """;

    /** What the browser decodes: {width, frames, freezes}. */
    private static final String INBOUND = """
            const done = arguments[arguments.length - 1];
            const s = Object.values(sc.down)[0];
            if (!s) return done({width: 0, frames: 0, freezes: 0});
            // after a renegotiation (S4) the stream's video is on another transceiver: the active one counts
            const active = s.pc.getTransceivers().filter(x => x.currentDirection === 'recvonly');
            Promise.all(active.map(x => x.receiver.getStats())).then(reports => {
              const out = {width: 0, frames: 0, freezes: 0, ssrc: 0, transceivers: s.pc.getTransceivers().length,
                  debug: s.pc.getTransceivers().map(x => x.mid + ':' + x.currentDirection).join(',')};
              reports.forEach(r => r.forEach(x => {
                if (x.type === 'inbound-rtp') out.debug += ` ${x.kind} ${x.ssrc} pkts ${x.packetsReceived} kf ${x.keyFramesDecoded} pli ${x.pliCount}`;
                if (x.type === 'inbound-rtp' && x.kind === 'video') {
                  out.width = x.frameWidth || 0; out.frames = x.framesDecoded || 0; out.freezes = x.freezeCount || 0;
                  out.ssrc = x.ssrc || 0;
                }
              }));
              done(out);
            }).catch(e => done({width: 0, frames: 0, freezes: 0}));
            """;

    @TempDir
    Path dir;
    private ParleyTestServer server;
    private ChromeDriver browser;

    @BeforeEach
    void start() throws Exception {
        ChromiumPrerequisites.require();
        server = ParleyTestServer.start("quality", """
                {"wildcard-user": {"password": "pw", "permissions": "present"}}
                """);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--allow-loopback-in-peer-connection",
                "--autoplay-policy=no-user-gesture-required",
                "--user-data-dir=" + Files.createTempDirectory(dir, "profile"));
        browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString())).usingAnyFreePort().build(), options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        browser.get(server.http("/"));
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void javaPublishersHighSimulcastLayerReachesChromium() throws Exception {
        ServerConnection alice = new ServerConnection();
        try (SyntheticVideoSource video = new SyntheticVideoSource(WIDTH, 480, 30)) {
            alice.connect(server.ws()).get(10, TimeUnit.SECONDS);
            assertThat(alice.join("quality", "alice", "pw").get(10, TimeUnit.SECONDS).kind()).isEqualTo("join");
            assertThat(browser.executeAsyncScript(RECEIVE, server.ws(), "quality")).isEqualTo("joined");
            VideoTrack track = alice.engine().createVideoTrack("v", video.source());
            Stream up = alice.newUpStream("camera");
            up.label("camera");
            up.addSimulcastVideo(track, List.of(SimulcastOfferTest.layer(1, 1_500_000),
                    SimulcastOfferTest.layer(2, 300_000)));

            Map<Object, Long> lastBytes = new HashMap<>();
            java.util.Set<Long> videoSsrcs = new java.util.HashSet<>();
            long maxTransceivers = 0;
            int reachedAt = -1;
            long maxEstimate = 0;
            for (int s = 1; s <= SECONDS; s++) {
                Thread.sleep(1000);
                CompletableFuture<RTCStatsReport> report = new CompletableFuture<>();
                up.pc().getStats(report::complete);
                StringBuilder line = new StringBuilder();
                long estimate = 0;
                for (var st : report.get(5, TimeUnit.SECONDS).getStats().values()) {
                    var a = st.getAttributes();
                    if (st.getType() == RTCStatsType.OUTBOUND_RTP && a.get("rid") != null) {
                        long bytes = ((Number) a.getOrDefault("bytesSent", 0)).longValue();
                        long kbps = (bytes - lastBytes.getOrDefault(a.get("rid"), bytes)) * 8 / 1000;
                        lastBytes.put(a.get("rid"), bytes);
                        line.append(String.format(" rid %s %s px %d kbit/s;", a.get("rid"), a.get("frameWidth"), kbps));
                    } else if (st.getType() == RTCStatsType.CANDIDATE_PAIR && a.get("availableOutgoingBitrate") != null) {
                        estimate = Math.max(estimate, ((Number) a.get("availableOutgoingBitrate")).longValue());
                    }
                }
                maxEstimate = Math.max(maxEstimate, estimate);
                @SuppressWarnings("unchecked")
                Map<String, Object> in = (Map<String, Object>) browser.executeAsyncScript(INBOUND);
                long width = ((Number) in.get("width")).longValue();
                if (in.get("ssrc") != null && ((Number) in.get("ssrc")).longValue() != 0) {
                    videoSsrcs.add(((Number) in.get("ssrc")).longValue());
                }
                if (in.get("transceivers") != null) {
                    maxTransceivers = Math.max(maxTransceivers, ((Number) in.get("transceivers")).longValue());
                }
                System.out.printf("MEASURE t=%2d s publisher estimate %4d kbit/s;%s Chromium decodes %d px, %s frames, "
                        + "%s freezes %s%n", s, estimate / 1000, line, width, in.get("frames"), in.get("freezes"), in.get("debug"));
                if (width == WIDTH && reachedAt < 0) {
                    reachedAt = s;
                }
                if (reachedAt > 0 && s >= reachedAt + 5) {
                    break;                                       // a few more seconds of figures, then done
                }
            }
            System.out.printf("MEASURE high layer (%d px) at Chromium after %s; highest publisher estimate %d kbit/s%n",
                    WIDTH, reachedAt < 0 ? "never (" + SECONDS + " s)" : reachedAt + " s", maxEstimate / 1000);
            up.close();
            track.dispose();
            assertThat(reachedAt).as("the high layer reached Chromium within " + SECONDS + " s").isPositive();
            // issue #14: the layers change on one down track, without renegotiation
            assertThat(videoSsrcs).as("video SSRCs Chromium received").hasSize(1);
            assertThat(maxTransceivers).as("transceivers of the down stream").isEqualTo(1);
        } finally {
            alice.close();
        }
    }
}
