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
import java.util.Map;

import static dev.parley.server.web.TestGroups.GUEST_PASSWORD;
import static dev.parley.server.web.TestGroups.OP_PASSWORD;
import static dev.parley.server.web.TestGroups.OP_USER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * L10, L11: with {@code -relay-only} and the built-in TURN server, a publisher's and a receiver's media
 * both go through the relay (the browsers may use no other candidate), and the receiver's video plays.
 * Tagged "media": runs inside the private network namespace.
 */
@Tag("media")
class RelayOnlyMediaTest {
    private static final String REMOTE_VIDEO = """
            const tile = document.querySelector('#video-grid .tile[data-key^="down-"]');
            if (!tile) return null;
            const v = tile.querySelector('video');
            return {width: v.videoWidth, time: v.currentTime};
            """;

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
    private static double remote(WebDriver d, String key) {
        Map<String, Object> m = (Map<String, Object>) ((JavascriptExecutor) d).executeScript(REMOTE_VIDEO);
        return m == null ? 0 : ((Number) m.get(key)).doubleValue();
    }

    private GroupPage newPage() {
        return new GroupPage(browsers.open()).open(server.http("/group/" + TestGroups.GROUP + "/"));
    }

    private static TurnStats turn() {
        return server.server().context().iceServers().builtInTurn().stats();
    }

    @Test
    void L10_L11_cameraPlaysThroughTheBuiltInTurnServerWithRelayOnly() throws InterruptedException {
        GroupPage sender = newPage().login(OP_USER, OP_PASSWORD);
        GroupPage receiver = newPage().login("watcher", GUEST_PASSWORD);
        receiver.awaitUser(OP_USER);
        long started = System.nanoTime();
        sender.driver().findElement(By.id("presentbutton")).click();

        Browsers.waitFor(receiver.driver()).withTimeout(Duration.ofSeconds(90)).until(d -> remote(d, "width") > 0);
        long firstFrameMillis = (System.nanoTime() - started) / 1_000_000;
        double t0 = remote(receiver.driver(), "time");
        TurnStats before = turn();
        Thread.sleep(3000);
        assertThat(remote(receiver.driver(), "time")).as("the relayed video keeps playing").isGreaterThan(t0);
        TurnStats after = turn();
        assertThat(after.allocations()).as("publisher and receiver both allocated").isGreaterThanOrEqualTo(2);
        assertThat(after.relayedBytes()).as("media goes through the relay").isGreaterThan(before.relayedBytes());
        System.out.printf("relay-only: first remote frame %d ms after present; TURN %s%n", firstFrameMillis, after);
    }
}
