package dev.parley.server.web;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import static dev.parley.server.web.TestGroups.GUEST_PASSWORD;
import static dev.parley.server.web.TestGroups.OP_PASSWORD;
import static dev.parley.server.web.TestGroups.OP_USER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The group page survives a server restart (J25 shutdown, then a new server on the same port
 * with the same groups and data): it shows "Reconnecting…", rejoins with the same credentials
 * (an invitation token too), sends its camera again and receives the others' again, without
 * the user doing anything. Tagged "media": run inside the private network namespace.
 */
@Tag("media")
class GroupPageReconnectTest extends GroupPageTestBase {
    private static final Duration MEDIA_WAIT = Duration.ofSeconds(40);

    /** Decoded frames of the first remote tile's video, or -1 without one. */
    private static final String REMOTE_FRAMES = """
            const v = document.querySelector('#video-grid .tile[data-key^="down-"] video');
            return v && v.videoWidth > 0 ? v.getVideoPlaybackQuality().totalVideoFrames : -1;
            """;

    /** Notes in the page whether the reconnect banner was ever shown (it may be brief). */
    static final String WATCH_BANNER = """
            window.__sawReconnecting = false;
            new MutationObserver(() => {
                if (document.querySelector('#reconnect-banner:not(.hidden)')) window.__sawReconnecting = true;
            }).observe(document.body, {attributes: true, subtree: true});
            """;



    private static long remoteFrames(WebDriver d) {
        return ((Number) js(d, REMOTE_FRAMES)).longValue();
    }

    /** Waits until the remote video decodes frames, and more of them a moment later. */
    static void awaitFramesAdvancing(WebDriver d) {
        Browsers.waitFor(d).withTimeout(MEDIA_WAIT).until(x -> remoteFrames(x) > 0);
        long first = remoteFrames(d);
        Browsers.waitFor(d).withTimeout(MEDIA_WAIT).until(x -> remoteFrames(x) > first + 10);
    }

    static void awaitBackInGroup(GroupPage page, String other) {
        WebDriver d = page.driver();
        Browsers.waitFor(d).withTimeout(MEDIA_WAIT).until(x -> Boolean.TRUE.equals(js(x, "return window.__sawReconnecting")));
        Browsers.waitFor(d).withTimeout(MEDIA_WAIT).until(ExpectedConditions.invisibilityOfElementLocated(By.id("reconnect-banner")));
        page.awaitUser(other);
        page.awaitMessage("Reconnected to");
        assertThat(page.loginVisible()).isFalse();
    }

    @Test
    void J25_afterAServerRestartOrACutConnectionThePagesRejoinByThemselvesAndMediaFlowsAgain() throws IOException {
        GroupPage sender = newPage().login(OP_USER, OP_PASSWORD);
        // the receiver comes in with an invitation: its token must serve again for the rejoin
        sender.type("/invite");
        String text = sender.awaitMessage("?token=").getText();
        String link = text.substring(text.indexOf("http")).split("\\s")[0];
        WebDriver receiverDriver = browsers.open();
        // keep the page's WebSockets reachable, so that the test can cut one
        ((ChromeDriver) receiverDriver).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                (() => {
                    const Original = window.WebSocket;
                    window.__parleySockets = [];
                    window.WebSocket = function (...args) {
                        const ws = new Original(...args);
                        window.__parleySockets.push(ws);
                        return ws;
                    };
                    window.WebSocket.prototype = Original.prototype;
                    Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
                })();
                """));
        GroupPage receiver = new GroupPage(receiverDriver);
        receiver.driver().get(link);
        receiver.awaitLoginError("username required");
        receiver.submitUsername("ridcully").awaitJoined();
        sender.awaitUser("ridcully");

        sender.driver().findElement(By.id("presentbutton")).click();
        awaitFramesAdvancing(receiver.driver());

        js(sender.driver(), WATCH_BANNER);
        js(receiver.driver(), WATCH_BANNER);
        long restarted = System.nanoTime();
        server.restart();

        awaitBackInGroup(sender, "ridcully");
        awaitBackInGroup(receiver, OP_USER);
        System.out.printf("server restart to both pages back in the group: %d ms%n", (System.nanoTime() - restarted) / 1_000_000);
        // the camera is published again without a click, and reaches the other page
        awaitFramesAdvancing(receiver.driver());
        System.out.printf("server restart to the camera playing again on the other page: %d ms%n",
                (System.nanoTime() - restarted) / 1_000_000);
        Browsers.screenshot(receiver.driver(), "reconnected-receiver");
        assertThat(sender.driver().findElement(By.id("unpresentbutton")).isDisplayed()).isTrue();
        assertThat(sender.driver().findElements(By.cssSelector("#video-grid .tile[data-key^='up-']"))).hasSize(1);

        // a connection cut under the page (as by a network drop) is recovered from the same way
        js(receiver.driver(), WATCH_BANNER);
        js(receiver.driver(), "window.__parleySockets.at(-1).close(4000, 'cut by the test')");
        awaitBackInGroup(receiver, OP_USER);
        awaitFramesAdvancing(receiver.driver());
        sender.awaitUser("ridcully");

        // the shutdown is not reported as a kick, nor anything as an error
        for (GroupPage p : new GroupPage[] {sender, receiver}) {
            assertThat(p.driver().findElement(By.id("box")).getText()).doesNotContain("kicked");
            assertThat(p.driver().findElement(By.id("toasts")).getText()).isEmpty();
        }
    }

    @Test
    void J25_aRejoinThatIsRefusedEndsTheSessionWithOneMessage() throws IOException {
        GroupPage guest = newPage().login("rincewind", GUEST_PASSWORD);
        js(guest.driver(), WATCH_BANNER);
        // the new server no longer accepts the guest password
        server.files().group(TestGroups.GROUP, """
                {"public": true, "users": {"%s": {"password": "%s", "permissions": "op"}},
                 "wildcard-user": {"password": "changed", "permissions": "present"}}
                """.formatted(OP_USER, OP_PASSWORD));
        try {
            server.restart();
            String error = guest.awaitLoginError("Could not rejoin");
            assertThat(error).doesNotContain("kicked");
            assertThat(guest.driver().findElement(By.id("toasts")).getText()).isEmpty();
            Browsers.screenshot(guest.driver(), "rejoin-refused");
            Axe.assertClean(guest.driver(), "rejoin refused");
        } finally {
            TestGroups.write(server.files());
        }
    }
}
