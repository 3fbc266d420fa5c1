package dev.parley.server.web;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
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
        GroupPage op = newPage().login(OP_USER, OP_PASSWORD);
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

        Browsers.screenshot(op.driver(), "group-page-operator");
        Browsers.screenshot(guest.driver(), "group-page-guest");
        // a private message is not shown to anyone else
        GroupPage third = newPage().login("bob", GUEST_PASSWORD);
        third.awaitMessage("hello from alice");
        assertThat(third.driver().findElement(By.id("box")).getText()).doesNotContain("psst", "hi vimes");
        assertThat(Browsers.consoleErrors(op.driver())).isEmpty();
        assertThat(Browsers.consoleErrors(guest.driver())).isEmpty();
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
        Browsers.waitFor(op.driver()).until(ExpectedConditions.alertIsPresent()).accept();
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
        assertThat(guest.driver().findElement(By.id("handbutton")).getAttribute("aria-pressed")).isEqualTo("true");
        guest.type("/unraise");
        Browsers.waitFor(op.driver()).until(d -> d.findElements(
                By.cssSelector("#users li[data-username='heidi'] .user-hand")).isEmpty());

        // an operator's warning through the participant menu (the text comes from a prompt)
        op.chooseUserMenuItem("heidi", "Warn");
        Browsers.waitFor(op.driver()).until(ExpectedConditions.alertIsPresent()).sendKeys("mind the time");
        op.driver().switchTo().alert().accept();
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
