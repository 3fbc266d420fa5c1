package dev.parley.server.web;

import dev.parley.rtc.turn.TurnStats;
import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.parley.server.web.TestGroups.GUEST_PASSWORD;
import static dev.parley.server.web.TestGroups.OP_PASSWORD;
import static dev.parley.server.web.TestGroups.OP_USER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * L10, L11: with {@code -relay-only} and the built-in TURN server, a publisher's and a receiver's media
 * both go through the relay (the browsers may use no other candidate), and the receiver's video plays:
 * once with only the TURN-over-UDP URL, once with only the TURN-over-TCP URL.
 * Tagged "media": runs inside the private network namespace.
 */
@Tag("media")
class RelayOnlyMediaTest {
    private static final String REMOTE_VIDEO = """
            const tile = document.querySelector('#video-grid .tile[data-key^="down-"]');
            if (!tile) return null;
            const v = tile.querySelector('video');
            return {width: v.videoWidth, frames: v.getVideoPlaybackQuality().totalVideoFrames};
            """;

    /**
     * Wraps RTCPeerConnection so that the page's peer connections (built from the join reply's
     * rtcConfiguration) see only the TURN URLs of one transport; this is how a browser that can reach
     * the TURN port over only one transport behaves, without touching the namespace's firewall.
     * Records the URLs it let through so that the test can check the filter really applied.
     */
    private static final String KEEP_ONLY_TRANSPORT = """
            const tcp = arguments[0];
            const Native = window.RTCPeerConnection;
            window.parleyIceUrls = [];
            const keep = u => u.includes('transport=tcp') === tcp;
            window.RTCPeerConnection = class extends Native {
                constructor(config, ...rest) {
                    const c = Object.assign({}, config || {});
                    c.iceServers = (c.iceServers || []).map(s => {
                        const urls = [].concat(s.urls || []).filter(keep);
                        window.parleyIceUrls.push(...urls);
                        return Object.assign({}, s, {urls: urls});
                    }).filter(s => s.urls.length > 0);
                    super(c, ...rest);
                }
            };
            """;

    private enum Transport { UDP, TCP }

    private static TestServer server;
    private Browsers browsers;

    @BeforeAll
    static void startServer() throws IOException {
        Browsers.assumeAvailable();
        server = TestServer.builder().turn("127.0.0.1:0", true).start(TestGroups::write);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.close();
    }

    @BeforeEach
    void openBrowsers() {
        browsers = new Browsers();
    }

    @AfterEach
    void closeBrowsers() {
        browsers.close();
    }

    @SuppressWarnings("unchecked")
    private static long remote(WebDriver d, String key) {
        Map<String, Object> m = (Map<String, Object>) ((JavascriptExecutor) d).executeScript(REMOTE_VIDEO);
        return m == null ? 0 : ((Number) m.get(key)).longValue();
    }

    @SuppressWarnings("unchecked")
    private static List<String> iceUrls(GroupPage page) {
        return (List<String>) ((JavascriptExecutor) page.driver()).executeScript("return window.parleyIceUrls;");
    }

    /** A group page whose peer connections may use the built-in TURN server over this transport only. */
    private GroupPage newPage(Transport transport) {
        GroupPage page = new GroupPage(browsers.open()).open(server.http("/group/" + TestGroups.GROUP + "/"));
        ((JavascriptExecutor) page.driver()).executeScript(KEEP_ONLY_TRANSPORT, transport == Transport.TCP);
        return page;
    }

    private static TurnStats turn() {
        return server.server().context().iceServers().builtInTurn().stats();
    }

    /** What one run measured while the receiver's video played. */
    private record Relayed(long firstFrameMillis, TurnStats before, TurnStats after) {
    }

    /**
     * The publisher presents its camera; waits for the receiver's first frame, then checks that decoded
     * frames keep increasing and that the TURN server relayed more bytes meanwhile.
     */
    private Relayed cameraPlaysThroughRelay(Transport transport) throws InterruptedException {
        GroupPage sender = newPage(transport).login(OP_USER, OP_PASSWORD);
        GroupPage receiver = newPage(transport).login("watcher", GUEST_PASSWORD);
        receiver.awaitUser(OP_USER);
        long started = System.nanoTime();
        sender.driver().findElement(By.id("presentbutton")).click();

        Browsers.waitFor(receiver.driver()).withTimeout(Duration.ofSeconds(90))
                .withMessage("no remote video frame relayed over TURN/" + transport)
                .until(d -> remote(d, "width") > 0);
        long firstFrameMillis = (System.nanoTime() - started) / 1_000_000;
        long frames0 = remote(receiver.driver(), "frames");
        TurnStats before = turn();
        Thread.sleep(3000);
        assertThat(remote(receiver.driver(), "frames")).as("decoded frames keep increasing").isGreaterThan(frames0);
        TurnStats after = turn();
        assertThat(after.allocations()).as("publisher and receiver both allocated").isGreaterThanOrEqualTo(2);
        assertThat(after.relayedBytes()).as("media goes through the relay").isGreaterThan(before.relayedBytes());
        for (GroupPage page : List.of(sender, receiver)) {
            assertThat(iceUrls(page)).as("the page was given only TURN over " + transport).isNotEmpty()
                    .allMatch(u -> u.startsWith("turn:") && u.contains("transport=tcp") == (transport == Transport.TCP));
        }
        System.out.printf("relay-only over %s: first remote frame %d ms after present; TURN %s%n",
                transport, firstFrameMillis, after);
        return new Relayed(firstFrameMillis, before, after);
    }

    @Test
    void L10_L11_cameraPlaysThroughTheBuiltInTurnServerOverUdpWithRelayOnly() throws InterruptedException {
        cameraPlaysThroughRelay(Transport.UDP);
    }

    @Test
    void L10_L11_cameraPlaysThroughTheBuiltInTurnServerOverTcpOnlyWithRelayOnly() throws InterruptedException {
        Relayed run = cameraPlaysThroughRelay(Transport.TCP);
        // Only TCP URLs were given, so each browser's relay is reached over its own TCP connection:
        // UDP allocations alone would leave this at zero.
        assertThat(run.after().tcpConnections()).as("publisher and receiver reach TURN over TCP")
                .isGreaterThanOrEqualTo(2);
    }
}
