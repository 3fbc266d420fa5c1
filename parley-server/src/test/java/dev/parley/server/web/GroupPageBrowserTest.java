package dev.parley.server.web;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.parley.server.web.TestGroups.GUEST_PASSWORD;
import static dev.parley.server.web.TestGroups.OP_PASSWORD;
import static dev.parley.server.web.TestGroups.OP_USER;
import static org.assertj.core.api.Assertions.assertThat;

/** Users of the real group page against the real server: login, participants, chat, operator actions. */
@Tag("browser")
class GroupPageBrowserTest extends GroupPageTestBase {



    @Test
    void J14_C6_C7_twoUsersSeeEachOtherAndChatPubliclyAndPrivately() {
        GroupPage op = newPage();
        Axe.assertClean(op.driver(), "login form");
        op.login(OP_USER, OP_PASSWORD);
        GroupPage guest = newPage().login("alice", GUEST_PASSWORD);

        op.awaitUser("alice");
        guest.awaitUser(OP_USER);
        assertThat(op.usernames()).containsExactlyInAnyOrder(OP_USER, "alice");
        assertThat(guest.usernames()).containsExactlyInAnyOrder(OP_USER, "alice");
        // ourself first, marked as such
        assertThat(guest.driver().findElement(By.cssSelector("#users li:first-child")).getText()).contains("alice", "(you)");

        guest.type("hello from alice");
        op.awaitMessage("hello from alice");
        guest.awaitMessage("hello from alice");

        // private message through the participant's menu
        op.chooseUserMenuItem("alice", "Send private message");
        op.type("psst, alice");
        WebElement received = guest.awaitMessage("psst, alice");
        assertThat(received.getAttribute("class")).contains("private");
        assertThat(received.getText()).contains("private message from " + OP_USER);
        op.awaitMessage("psst, alice");

        // and back with the /msg command
        guest.type("/msg " + OP_USER + " hi vimes");
        assertThat(op.awaitMessage("hi vimes").getText()).contains("private message from alice");

        // wide window: every toolbar button shows its name under its icon; names say what they do
        assertToolbarLabelledUnderIcons(guest);
        assertThat(guest.driver().findElement(By.id("presentbutton")).getText()).isEqualTo("Start camera");
        assertThat(guest.driver().findElement(By.id("disconnectbutton")).getText()).isEqualTo("Leave");
        Browsers.screenshot(op.driver(), "group-page-operator");
        Axe.assertClean(op.driver(), "in the group, chat open, private message under way");
        guest.driver().findElement(By.id("settingsbutton")).click();
        Browsers.waitFor(guest.driver()).until(ExpectedConditions.visibilityOfElementLocated(By.id("settings-dialog")));
        Browsers.screenshot(guest.driver(), "settings-open");
        Axe.assertClean(guest.driver(), "settings open");
        guest.driver().findElement(By.id("settings-close")).click();
        Browsers.screenshot(guest.driver(), "group-page-guest");
        // a private message is not shown to anyone else
        GroupPage third = newPage().login("bob", GUEST_PASSWORD);
        third.awaitMessage("hello from alice");
        assertThat(third.driver().findElement(By.id("box")).getText()).doesNotContain("psst", "hi vimes");
        assertThat(Browsers.consoleErrors(op.driver())).isEmpty();
        assertThat(Browsers.consoleErrors(guest.driver())).isEmpty();
    }

    /** Each visible toolbar button has a visible label whose top is below its icon's bottom. */
    static void assertToolbarLabelledUnderIcons(GroupPage page) {
        List<WebElement> buttons = page.driver().findElements(By.cssSelector(".toolbar .btn")).stream()
                .filter(WebElement::isDisplayed).toList();
        assertThat(buttons).hasSizeGreaterThan(5);
        for (WebElement b : buttons) {
            WebElement label = b.findElement(By.cssSelector(".label"));
            WebElement icon = b.findElement(By.cssSelector("svg"));
            assertThat(label.isDisplayed()).as("label of %s", b.getAttribute("id")).isTrue();
            assertThat(label.getRect().getY()).as("label of %s under its icon", b.getAttribute("id"))
                    .isGreaterThanOrEqualTo(icon.getRect().getY() + icon.getRect().getHeight());
        }
    }

    @Test
    void U3_everyoneSeesARecordingBadgeWhileTheGroupIsRecorded() {
        GroupPage op = newPage().login(OP_USER, OP_PASSWORD);
        GroupPage guest = newPage().login("ivan", GUEST_PASSWORD);
        op.awaitUser("ivan");
        By badge = By.id("recording-indicator");
        assertThat(guest.driver().findElement(badge).isDisplayed()).isFalse();

        op.type("/record");
        for (GroupPage p : List.of(op, guest)) {
            Browsers.waitFor(p.driver()).until(ExpectedConditions.visibilityOfElementLocated(badge));
            assertThat(p.driver().findElement(badge).getText()).isEqualTo("Recording");
            assertThat(p.driver().findElement(badge).getCssValue("background-color")).isEqualTo("rgba(179, 18, 29, 1)");
        }
        Browsers.screenshot(guest.driver(), "recording-badge");
        Axe.assertClean(guest.driver(), "recording badge");
        op.type("/unrecord");
        for (GroupPage p : List.of(op, guest)) {
            Browsers.waitFor(p.driver()).until(ExpectedConditions.invisibilityOfElementLocated(badge));
        }
    }

    /** Whether two elements' rectangles overlap. */
    private static boolean overlap(WebElement a, WebElement b) {
        org.openqa.selenium.Rectangle r = a.getRect();
        org.openqa.selenium.Rectangle q = b.getRect();
        return r.getX() < q.getX() + q.getWidth() && q.getX() < r.getX() + r.getWidth()
                && r.getY() < q.getY() + q.getHeight() && q.getY() < r.getY() + r.getHeight();
    }

    @Test
    void anErrorToastCoversNeitherTheChatInputNorTheVideosAndCanBeDismissedAndLeavingSaysSo() {
        GroupPage guest = newPage().login("judy", GUEST_PASSWORD);
        guest.type("/msg nobody hello");
        WebElement toast = Browsers.waitFor(guest.driver()).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#toasts .toast.error")));
        assertThat(toast.getText()).contains("nobody");
        for (String id : List.of("input", "inputbutton", "videos", "users-panel", "chat-panel")) {
            assertThat(overlap(toast, guest.driver().findElement(By.id(id)))).as("toast over #%s", id).isFalse();
        }
        Browsers.screenshot(guest.driver(), "error-toast");
        Axe.assertClean(guest.driver(), "error toast");
        toast.findElement(By.cssSelector("button[aria-label='Dismiss']")).click();
        Browsers.waitFor(guest.driver()).until(d -> d.findElements(By.cssSelector("#toasts .toast")).isEmpty());

        // leaving says so, forgets the password and does not try to reconnect
        guest.driver().findElement(By.id("disconnectbutton")).click();
        Browsers.waitFor(guest.driver()).until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("login-notice"), "You have left the group"));
        assertThat(guest.driver().findElement(By.id("password")).getAttribute("value")).isEmpty();
        assertThat(guest.driver().findElement(By.id("login-error")).isDisplayed()).isFalse();
    }

    @Test
    void onAPhoneTheControlsFitOneRowAndThePanelsLeaveTheVideosVisible() {
        WebDriver d = browsers.open();
        d.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        GroupPage guest = new GroupPage(d).open(groupUrl()).login("kim", GUEST_PASSWORD);
        // one row: every visible control shares the first one's vertical position
        List<WebElement> controls = d.findElements(By.cssSelector(".topbar .btn")).stream()
                .filter(WebElement::isDisplayed).toList();
        assertThat(controls).extracting(e -> e.getRect().getY()).containsOnly(controls.get(0).getRect().getY());
        assertThat(d.findElement(By.id("disconnectbutton")).isDisplayed()).isTrue();
        Browsers.screenshot(d, "phone-call");
        Axe.assertClean(d, "phone");
        // the rest is in the "More" menu, and works from there
        d.findElement(By.id("morebutton")).click();
        By raise = By.xpath("//div[@id='menu']/button[normalize-space(.)='Raise hand']");
        Browsers.waitFor(d).until(ExpectedConditions.elementToBeClickable(raise));
        Browsers.screenshot(d, "phone-more-menu");
        Axe.assertClean(d, "phone, More menu open");
        d.findElement(raise).click();
        Browsers.waitFor(d).until(x -> !x.findElements(By.cssSelector("#users li[data-username='kim'] .user-hand")).isEmpty());

        // the chat takes the lower part; the videos stay visible above it; a close button closes it
        d.findElement(By.id("toggle-chat")).click();
        WebElement chat = d.findElement(By.id("chat-panel"));
        Browsers.waitFor(d).until(x -> chat.isDisplayed());
        WebElement videos = d.findElement(By.id("videos"));
        assertThat(videos.getRect().getHeight()).isGreaterThan(250);
        assertThat(overlap(chat, videos)).isFalse();
        Browsers.screenshot(d, "phone-chat-open");
        Axe.assertClean(d, "phone, chat open");
        d.findElement(By.id("chat-close")).click();
        Browsers.waitFor(d).until(x -> !chat.isDisplayed());
        assertThat(d.switchTo().activeElement().getAttribute("id")).isEqualTo("toggle-chat");

        // the settings, from the "More" menu: they fit the width and scroll, the close button stays in view
        d.findElement(By.id("morebutton")).click();
        Browsers.waitFor(d).until(ExpectedConditions.elementToBeClickable(
                By.xpath("//div[@id='menu']/button[normalize-space(.)='Settings']"))).click();
        WebElement close = Browsers.waitFor(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("settings-close")));
        WebElement dialog = d.findElement(By.id("settings-dialog"));
        assertThat(dialog.getRect().getWidth()).isLessThanOrEqualTo(390);
        assertThat(close.getRect().getY() + close.getRect().getHeight()).isLessThanOrEqualTo(dialog.getRect().getY() + dialog.getRect().getHeight());
        Browsers.screenshot(d, "phone-settings-open");
        Axe.assertClean(d, "phone, settings open");
        close.click();
        Browsers.waitFor(d).until(ExpectedConditions.invisibilityOfElementLocated(By.id("settings-dialog")));
    }

    @Test
    void GA3_lockStopsAThirdUserUntilUnlocked() {
        GroupPage op = newPage().login(OP_USER, OP_PASSWORD);
        GroupPage guest = newPage().login("carol", GUEST_PASSWORD);
        op.awaitUser("carol");

        op.type("/lock testing lock");
        op.driver().findElement(By.id("locked-indicator"));
        Browsers.waitFor(op.driver()).until(d -> d.findElement(By.id("locked-indicator")).isDisplayed());

        GroupPage late = newPage().submitLogin("dave", GUEST_PASSWORD);
        String error = late.awaitLoginError("testing lock");
        assertThat(error).contains("testing lock");
        assertThat(late.loginVisible()).isTrue();
        Browsers.screenshot(late.driver(), "locked-group-refused");
        assertThat(op.usernames()).doesNotContain("dave");

        op.type("/unlock");
        Browsers.waitFor(op.driver()).until(d -> !d.findElement(By.id("locked-indicator")).isDisplayed());
        late.submitLogin("dave", GUEST_PASSWORD).awaitJoined();
        op.awaitUser("dave");
        guest.awaitUser("dave");

        // the operator's own menu offers to lock again, and locking from it works
        op.chooseUserMenuItem(OP_USER, "Lock group");
        op.answerTextDialog("");
        Browsers.waitFor(op.driver()).until(d -> d.findElement(By.id("locked-indicator")).isDisplayed());
        op.chooseUserMenuItem(OP_USER, "Unlock group");
        Browsers.waitFor(op.driver()).until(d -> !d.findElement(By.id("locked-indicator")).isDisplayed());
    }

    @Test
    void UA4_J24_operatorKicksAUserWhoSeesWhy() {
        GroupPage op = newPage().login(OP_USER, OP_PASSWORD);
        GroupPage guest = newPage().login("eve", GUEST_PASSWORD);
        op.awaitUser("eve");

        op.type("/kick eve misbehaving in tests");
        String error = guest.awaitLoginError("misbehaving in tests");
        assertThat(error).contains(OP_USER);
        // said once, on the login form, not again in a toast; and no reconnection is attempted
        assertThat(guest.driver().findElement(By.id("toasts")).getText()).doesNotContain("misbehaving");
        assertThat(guest.driver().findElement(By.id("reconnect-banner")).isDisplayed()).isFalse();
        Browsers.screenshot(guest.driver(), "kicked-user");
        op.awaitUserGone("eve");
        assertThat(op.usernames()).containsExactly(OP_USER);
    }

    @Test
    void T4_inviteLinkLetsAGuestInWithoutTheLoginForm() {
        GroupPage op = newPage().login(OP_USER, OP_PASSWORD);
        op.type("/invite");
        String text = op.awaitMessage("?token=").getText();
        String link = text.substring(text.indexOf("http"));
        link = link.split("\\s")[0];
        assertThat(link).startsWith(server.http("/group/" + TestGroups.GROUP + "/?token=").toString());

        GroupPage invited = new GroupPage(browsers.open());
        invited.driver().get(link);
        // the invitation names no user (J7 need-username): only a username is asked for
        invited.awaitLoginError("username required");
        assertThat(invited.driver().findElement(By.id("password")).isDisplayed()).isFalse();
        invited.submitUsername("grace").awaitJoined();
        op.awaitUser("grace");
        // the token is not left in the address bar
        assertThat(invited.driver().getCurrentUrl()).doesNotContain("token=");
    }

    @Test
    void UA7_M2_GA2_raisedHandWarningAndClearedChatReachTheOthers() {
        GroupPage op = newPage().login(OP_USER, OP_PASSWORD);
        GroupPage guest = newPage().login("heidi", GUEST_PASSWORD);
        op.awaitUser("heidi");

        guest.driver().findElement(By.id("handbutton")).click();
        Browsers.waitFor(op.driver()).until(d -> !d.findElements(
                By.cssSelector("#users li[data-username='heidi'] .user-hand")).isEmpty());
        // drawn with the client's own icon (no emoji font needed), and the operator is told
        assertThat(op.driver().findElements(By.cssSelector("#users li[data-username='heidi'] .user-hand svg"))).hasSize(1);
        Browsers.waitFor(op.driver()).until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("toasts"), "heidi raised their hand"));
        assertThat(guest.driver().findElement(By.id("toasts")).getText()).doesNotContain("raised their hand");
        assertThat(guest.driver().findElement(By.id("handbutton")).getAttribute("aria-pressed")).isEqualTo("true");
        guest.type("/unraise");
        Browsers.waitFor(op.driver()).until(d -> d.findElements(
                By.cssSelector("#users li[data-username='heidi'] .user-hand")).isEmpty());

        // an operator's warning through the participant menu (the text comes from the page's dialog)
        op.chooseUserMenuItem("heidi", "Warn");
        op.answerTextDialog("mind the time");
        assertThat(guest.awaitMessage("mind the time").getText()).contains(OP_USER);

        // an operator mutes the guest's microphone (usermessage "mute", M2)
        op.type("/mute heidi");
        Browsers.waitFor(guest.driver()).until(d ->
                "true".equals(d.findElement(By.id("mutebutton")).getAttribute("aria-pressed")));
        // and identifies her (UA5): the reply carries her address
        op.chooseUserMenuItem("heidi", "Identify");
        assertThat(op.awaitMessage("127.0.0.1").getText()).contains("heidi");

        guest.type("something to clear");
        op.awaitMessage("something to clear");
        op.type("/clear");
        Browsers.waitFor(guest.driver()).until(d -> !d.findElement(By.id("box")).getText().contains("something to clear"));
        Browsers.waitFor(op.driver()).until(d -> !d.findElement(By.id("box")).getText().contains("something to clear"));
    }

    @Test
    void aRejectedFileTransferIsCancelledOnBothSides() throws IOException {
        GroupPage op = newPage().login(OP_USER, OP_PASSWORD);
        GroupPage guest = newPage().login("judy", GUEST_PASSWORD);
        op.awaitUser("judy");
        Path file = Files.createTempFile("parley-unwanted-", ".txt");
        Files.writeString(file, "not wanted");
        try {
            op.chooseUserMenuItem("judy", "Send file");
            op.driver().findElement(By.id("fileinput")).sendKeys(file.toString());
            Browsers.waitFor(op.driver()).until(ExpectedConditions.textToBePresentInElementLocated(
                    By.cssSelector(".file-transfer"), "Waiting for judy"));
            WebElement reject = Browsers.waitFor(guest.driver()).until(ExpectedConditions.elementToBeClickable(
                    By.xpath("//div[contains(@class,'file-transfer')]//button[normalize-space(.)='Reject']")));
            reject.click();
            // no peer connection is ever made: the refusal travels as a filetransfer "cancel"
            Browsers.waitFor(op.driver()).until(ExpectedConditions.textToBePresentInElementLocated(
                    By.cssSelector(".file-transfer"), "cancelled"));
            Browsers.waitFor(guest.driver()).until(ExpectedConditions.textToBePresentInElementLocated(
                    By.cssSelector(".file-transfer"), "cancelled"));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void participantMenuWorksWithTheKeyboardAlone() {
        GroupPage op = newPage().login(OP_USER, OP_PASSWORD);
        newPage().login("ivan", GUEST_PASSWORD);
        WebElement entry = op.awaitUser("ivan");
        entry.sendKeys(Keys.ENTER);
        WebElement first = Browsers.waitFor(op.driver()).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#menu button[role=menuitem]")));
        assertThat(op.driver().switchTo().activeElement()).isEqualTo(first);
        assertThat(first.getText()).isEqualTo("Send private message");
        first.sendKeys(Keys.ARROW_DOWN);
        assertThat(op.driver().switchTo().activeElement().getText()).isEqualTo("Send file");
        op.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
        assertThat(op.driver().findElement(By.id("menu")).isDisplayed()).isFalse();
        // focus goes back to the participant
        assertThat(op.driver().switchTo().activeElement()).isEqualTo(entry);
        entry.sendKeys(Keys.ENTER);
        op.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
        op.driver().switchTo().activeElement().sendKeys("by keyboard", Keys.ENTER);
        op.awaitMessage("by keyboard");
        assertThat(op.awaitMessage("by keyboard").getText()).contains("private message to ivan");
    }

    @Test
    void everyVisibleControlHasAnAccessibleNameAndThePageLogsNoErrors() {
        GroupPage page = newPage();
        assertNamed(page.driver().findElements(By.cssSelector("button, input, select, textarea")));
        page.login("frank", GUEST_PASSWORD);
        assertNamed(page.driver().findElements(By.cssSelector("button, input, select, textarea")));
        page.driver().findElement(By.id("settingsbutton")).click();
        assertNamed(page.driver().findElements(By.cssSelector("#settings-dialog select, #settings-dialog input")));
        page.driver().findElement(By.id("settings-close")).click();
        page.type("/help");
        page.awaitMessage("/sharescreen");
        Browsers.screenshot(page.driver(), "group-page-alone");
        // no CSP violation, failed load or uncaught exception
        assertThat(Browsers.consoleErrors(page.driver())).isEmpty();
    }

    private static void assertNamed(List<WebElement> controls) {
        for (WebElement e : controls) {
            if (!e.isDisplayed()) {
                continue;
            }
            String name = e.getAccessibleName();
            assertThat(name).as("accessible name of <%s id=%s>", e.getTagName(), e.getAttribute("id")).isNotBlank();
        }
    }
}
