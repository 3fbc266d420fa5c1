package dev.parley.server.web;

import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

import static dev.parley.server.web.TestGroups.GUEST_PASSWORD;
import static dev.parley.server.web.TestGroups.OP_PASSWORD;
import static dev.parley.server.web.TestGroups.OP_USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An operator and a guest in two browsers, going through the operator's tools: the page's own
 * dialogs (warn, kick, lock, invitation), the chat message menu, the commands Galène's client
 * has, and captions. One pair of browsers for all of it: starting one is the slow part.
 */
@Tag("browser")
class GroupPageOperatorToolsTest extends GroupPageTestBase {

    @Test
    void UA2_UA4_GA2_T4_C3_operatorToolsWorkFromDialogsMenusAndCommands() throws IOException {
        GroupPage op = newPage().login(OP_USER, OP_PASSWORD);
        GroupPage guest = newPage().login("alice", GUEST_PASSWORD);
        WebDriver o = op.driver();
        WebDriver g = guest.driver();
        WebElement aliceEntry = op.awaitUser("alice");

        // warn: an in-page dialog with a labelled field that has the focus; Escape cancels and
        // gives the focus back to the participant
        op.chooseUserMenuItem("alice", "Warn");
        WebElement input = Browsers.waitFor(o).until(ExpectedConditions.visibilityOfElementLocated(By.id("text-dialog-input")));
        assertThat(o.switchTo().activeElement()).isEqualTo(input);
        assertThat(input.getAccessibleName()).isEqualTo("Warning message");
        assertThat(o.findElement(By.id("text-dialog-heading")).getText()).isEqualTo("Warn alice");
        Browsers.screenshot(o, "warn-dialog");
        Axe.assertClean(o, "warn dialog open");
        input.sendKeys(Keys.ESCAPE);
        Browsers.waitFor(o).until(ExpectedConditions.invisibilityOfElementLocated(By.id("text-dialog")));
        assertThat(o.switchTo().activeElement()).isEqualTo(aliceEntry);
        // Enter confirms (not the first button, Cancel); an empty warning is refused by the field
        op.chooseUserMenuItem("alice", "Warn");
        input.sendKeys(Keys.ENTER);
        assertThat(input.isDisplayed()).as("an empty warning is not sent").isTrue();
        input.sendKeys("mind the time", Keys.ENTER);
        Browsers.waitFor(o).until(ExpectedConditions.invisibilityOfElementLocated(By.id("text-dialog")));
        assertThat(guest.awaitMessage("mind the time").getText()).contains(OP_USER);

        // /shutup takes the chat away, /unshutup gives it back (UA2); the menu offers the opposite
        op.type("/shutup alice");
        Browsers.waitFor(g).until(d -> !d.findElement(By.id("input")).isEnabled());
        op.chooseUserMenuItem("alice", "Allow to chat");
        Browsers.waitFor(g).until(d -> d.findElement(By.id("input")).isEnabled());

        // the operator deletes one message, then everything alice wrote (GA2); the guest has no such menu
        guest.type("first message");
        guest.type("second message");
        op.awaitMessage("second message");
        assertThat(guest.awaitMessage("first message").findElement(By.cssSelector(".message-menu")).isDisplayed()).isFalse();
        op.awaitMessage("first message").findElement(By.cssSelector(".message-menu")).click();
        clickMenuItem(o, "Delete this message");
        Browsers.waitFor(g).until(d -> !d.findElement(By.id("box")).getText().contains("first message"));
        assertThat(g.findElement(By.id("box")).getText()).contains("second message");
        op.awaitMessage("second message").findElement(By.cssSelector(".message-menu")).click();
        Browsers.screenshot(o, "message-menu");
        Axe.assertClean(o, "chat message menu open");
        clickMenuItem(o, "Delete all messages from alice");
        Browsers.waitFor(g).until(d -> !d.findElement(By.id("box")).getText().contains("second message"));
        Browsers.waitFor(o).until(d -> !d.findElement(By.id("box")).getText().contains("second message"));

        // captions (galene-stt sends chat messages of kind "caption") show over the videos, not in the chat
        try (WsClient stt = server.join("stt-test", TestGroups.GROUP, OP_USER, OP_PASSWORD)) {
            stt.send("{\"type\":\"chat\",\"kind\":\"caption\",\"value\":\"hello from the captioner\"}");
            Browsers.waitFor(g).until(ExpectedConditions.textToBePresentInElementLocated(By.id("captions"), "hello from the captioner"));
            assertThat(g.findElement(By.id("captions")).isDisplayed()).isTrue();
            assertThat(g.findElement(By.id("box")).getText()).doesNotContain("hello from the captioner");
            Browsers.screenshot(g, "captions");
        }

        // /muteall mutes the guest (M2); /set and /unset change a setting as the dialog would
        op.type("/muteall");
        Browsers.waitFor(g).until(d -> "true".equals(d.findElement(By.id("mutebutton")).getAttribute("aria-pressed")));
        guest.type("/set hqaudiobox");
        assertThat(g.findElement(By.id("hqaudiobox")).isSelected()).isTrue();
        guest.type("/set requestselect \"audio\"");
        assertThat(g.findElement(By.id("requestselect")).getAttribute("value")).isEqualTo("audio");
        guest.type("/set");
        assertThat(guest.awaitMessage("Settings:").getText()).contains("hqaudiobox: true", "requestselect: \"audio\"");
        guest.type("/unset hqaudiobox");
        guest.type("/unset requestselect");
        assertThat(g.findElement(By.id("hqaudiobox")).isSelected()).isFalse();
        assertThat(g.findElement(By.id("requestselect")).getAttribute("value")).isEqualTo("everything");
        guest.type("/set nosuchthing 3");
        Browsers.waitFor(g).until(ExpectedConditions.textToBePresentInElementLocated(By.id("toasts"), "Unknown setting nosuchthing"));
        guest.type("/help");
        assertThat(guest.awaitMessage("Available commands").getText())
                .contains("/set", "/unset", "/replace", "/sendfile", "/presentfile").doesNotContain("/shutup", "/muteall");

        // /sendfile offers a file to a user
        Path file = Files.createTempFile("parley-sendfile-", ".txt");
        try {
            Files.writeString(file, "for vimes");
            guest.type("/sendfile " + OP_USER);
            g.findElement(By.id("fileinput")).sendKeys(file.toString());
            Browsers.waitFor(o).until(ExpectedConditions.textToBePresentInElementLocated(
                    By.cssSelector(".file-transfer"), "alice wants to send you " + file.getFileName()));
        } finally {
            Files.deleteIfExists(file);
        }

        // the invitation dialog: a named guest, valid only from tomorrow (T4, not-before)
        o.manage().window().setSize(new Dimension(390, 844));
        Browsers.waitFor(o).until(d -> !d.findElement(By.id("users-panel")).isDisplayed());
        o.findElement(By.id("toggle-users")).click();
        op.chooseUserMenuItem(OP_USER, "Create invitation link");
        WebElement name = Browsers.waitFor(o).until(ExpectedConditions.visibilityOfElementLocated(By.id("invite-username")));
        assertThat(o.switchTo().activeElement()).isEqualTo(name);
        name.sendKeys("bob");
        String tomorrow = LocalDateTime.now().plusDays(1).withSecond(0).withNano(0).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm"));
        js(o, "const e = document.getElementById('invite-not-before'); e.value = '" + tomorrow + "'; e.dispatchEvent(new Event('change'));");
        // the expiry follows, a day later
        assertThat(o.findElement(By.id("invite-expires")).getAttribute("value")).isGreaterThan(tomorrow);
        Browsers.screenshot(o, "phone-invite-dialog");
        Axe.assertClean(o, "phone, invitation dialog open");
        o.findElement(By.id("invite-ok")).click();
        o.manage().window().setSize(new Dimension(1280, 800));
        String text = op.awaitMessage("?token=").getText();
        String link = text.substring(text.indexOf("http")).split("\\s")[0];
        op.type("/listtokens");
        assertThat(op.awaitMessage("Invitations:").getText()).contains("(bob)", "valid from");

        // kick with a reason typed in the dialog (UA4); then the link is refused before its date
        op.chooseUserMenuItem("alice", "Kick out");
        Browsers.waitFor(o).until(ExpectedConditions.visibilityOfElementLocated(By.id("text-dialog")));
        assertThat(o.findElement(By.id("text-dialog-ok")).getText()).isEqualTo("Kick out");
        Browsers.screenshot(o, "kick-dialog");
        Axe.assertClean(o, "kick dialog open");
        op.answerTextDialog("see you tomorrow");
        assertThat(guest.awaitLoginError("see you tomorrow")).contains(OP_USER);
        g.get(link);
        guest.awaitLoginError("not authorised");

        // lock with a message from the dialog, seen by whoever is refused
        op.chooseUserMenuItem(OP_USER, "Lock group").answerTextDialog("closed for today");
        Browsers.waitFor(o).until(d -> d.findElement(By.id("locked-indicator")).isDisplayed());
        guest.open(groupUrl()).submitLogin("carol", GUEST_PASSWORD).awaitLoginError("closed for today");
        assertThat(Browsers.consoleErrors(o)).isEmpty();
    }

    @Test
    void H48_H56_theStatisticsAndChangePasswordPagesWork() {
        WebDriver d = browsers.open();
        // someone in the group, so that it is in memory and has a client
        try (WsClient probe = server.join("stats-probe", TestGroups.GROUP, "someone", GUEST_PASSWORD)) {
            d.get(server.http("/stats.html").toString());
            WebElement user = Browsers.waitFor(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("stats-username")));
            Axe.assertClean(d, "statistics page, login");
            user.sendKeys(TestGroups.ADMIN_USER);
            d.findElement(By.id("stats-password")).sendKeys("wrong", Keys.ENTER);
            Browsers.waitFor(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("stats-error"), "Only an administrator"));
            d.findElement(By.id("stats-password")).sendKeys(TestGroups.ADMIN_PASSWORD, Keys.ENTER);
            WebElement groups = Browsers.waitFor(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("stats-groups")));
            Browsers.waitFor(d).until(ExpectedConditions.textToBePresentInElement(groups, "stats-probe"));
            assertThat(groups.getText()).contains(TestGroups.GROUP);
            Browsers.screenshot(d, "stats-page");
            Axe.assertClean(d, "statistics page, groups shown");
            d.manage().window().setSize(new Dimension(390, 844));
            Browsers.screenshot(d, "phone-stats-page");
            Axe.assertClean(d, "phone, statistics page");
        }

        // the change-password page, opened as the group page's menu opens it
        d.get(server.http("/change-password.html?group=" + TestGroups.GROUP + "&username=" + TestGroups.PW_USER).toString());
        WebElement old = Browsers.waitFor(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("pw-old")));
        assertThat(d.findElement(By.id("pw-username")).getAttribute("value")).isEqualTo(TestGroups.PW_USER);
        assertThat(d.switchTo().activeElement()).isEqualTo(old);
        Axe.assertClean(d, "phone, change-password page");
        Browsers.screenshot(d, "phone-change-password");
        d.manage().window().setSize(new Dimension(1280, 800));
        old.sendKeys("not-the-password");
        d.findElement(By.id("pw-new")).sendKeys("octarine");
        d.findElement(By.id("pw-confirm")).sendKeys("octarine", Keys.ENTER);
        Browsers.waitFor(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("pw-error"), "current password is wrong"));
        old.clear();
        old.sendKeys(TestGroups.PW_PASSWORD);
        d.findElement(By.id("pw-confirm")).sendKeys("x", Keys.ENTER);
        Browsers.waitFor(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("pw-error"), "differ"));
        d.findElement(By.id("pw-confirm")).sendKeys(Keys.BACK_SPACE, Keys.ENTER);
        Browsers.waitFor(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("pw-done"), "has been changed"));
        assertThat(d.findElement(By.id("pw-error")).isDisplayed()).isFalse();
        assertThat(old.getAttribute("value")).isEmpty();
        Browsers.screenshot(d, "change-password-done");
        Axe.assertClean(d, "change-password page, done");
        // the new password works, and only it
        server.join("pw-probe", TestGroups.GROUP, TestGroups.PW_USER, "octarine").close();
        assertThatThrownBy(() -> server.join("pw-probe-old", TestGroups.GROUP, TestGroups.PW_USER, TestGroups.PW_PASSWORD))
                .hasMessageContaining("join failed");
        assertThat(Browsers.consoleErrors(d, "401", "Unauthorized")).isEmpty();
    }

    private static void clickMenuItem(WebDriver d, String item) {
        By menuItem = By.xpath("//div[@id='menu']/button[normalize-space(.)=" + GroupPage.xpathLiteral(item) + "]");
        Browsers.waitFor(d).until(ExpectedConditions.elementToBeClickable(menuItem)).click();
    }
}
