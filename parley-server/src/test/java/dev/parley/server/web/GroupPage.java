package dev.parley.server.web;

import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.net.URI;
import java.util.List;

/** What a test does with the group page (galene.html), by element ids. */
final class GroupPage {
    private final WebDriver driver;

    GroupPage(WebDriver driver) {
        this.driver = driver;
    }

    WebDriver driver() {
        return driver;
    }

    /** Opens the page and waits for the login form. */
    GroupPage open(URI url) {
        driver.get(url.toString());
        Browsers.waitFor(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        return this;
    }

    /** Fills in and submits the login form, without waiting for the outcome. */
    GroupPage submitLogin(String username, String password) {
        WebElement user = driver.findElement(By.id("username"));
        user.clear();
        user.sendKeys(username);
        WebElement pw = driver.findElement(By.id("password"));
        pw.clear();
        pw.sendKeys(password);
        driver.findElement(By.id("connectbutton")).click();
        return this;
    }

    /** Answers the username-only form shown for an invitation that names no user. */
    GroupPage submitUsername(String username) {
        WebElement user = Browsers.waitFor(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        user.clear();
        user.sendKeys(username);
        driver.findElement(By.id("connectbutton")).click();
        return this;
    }

    /** Logs in and waits until the conference view is shown. */
    GroupPage login(String username, String password) {
        submitLogin(username, password);
        awaitJoined();
        return this;
    }

    GroupPage awaitJoined() {
        Browsers.waitFor(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("app")));
        return this;
    }

    /** Waits until the login form shows an error containing the text. */
    String awaitLoginError(String containing) {
        By error = By.id("login-error");
        Browsers.waitFor(driver).until(ExpectedConditions.and(
                ExpectedConditions.visibilityOfElementLocated(By.id("login-view")),
                ExpectedConditions.textToBePresentInElementLocated(error, containing)));
        return driver.findElement(error).getText();
    }

    boolean loginVisible() {
        return driver.findElement(By.id("login-view")).isDisplayed();
    }

    /** Waits until a participant with this username is listed. */
    WebElement awaitUser(String username) {
        By entry = By.cssSelector("#users li[data-username='" + username + "'] button");
        return Browsers.waitFor(driver).until(ExpectedConditions.visibilityOfElementLocated(entry));
    }

    /** Waits until no participant with this username is listed. */
    void awaitUserGone(String username) {
        Browsers.waitFor(driver).until(ExpectedConditions.invisibilityOfElementLocated(
                By.cssSelector("#users li[data-username='" + username + "']")));
    }

    List<String> usernames() {
        return driver.findElements(By.cssSelector("#users li")).stream()
                .map(e -> e.getAttribute("data-username")).toList();
    }

    /** Types a line in the chat input and presses Enter. */
    GroupPage type(String line) {
        WebElement input = driver.findElement(By.id("input"));
        input.sendKeys(line);
        input.sendKeys(Keys.ENTER);
        return this;
    }

    /** Waits until a chat message (or notice) containing the text is shown; returns it. */
    WebElement awaitMessage(String containing) {
        By by = By.xpath("//div[@id='box']//div[contains(@class,'message')][contains(., " + xpathLiteral(containing) + ")]");
        return Browsers.waitFor(driver).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Opens the menu of a participant and chooses an item by its visible text. */
    GroupPage chooseUserMenuItem(String username, String item) {
        awaitUser(username).click();
        By menuItem = By.xpath("//div[@id='menu']/button[normalize-space(.)=" + xpathLiteral(item) + "]");
        Browsers.waitFor(driver).until(ExpectedConditions.elementToBeClickable(menuItem)).click();
        return this;
    }

    /** Waits for the page's text dialog (kick, warn, lock), types the answer and confirms. */
    GroupPage answerTextDialog(String text) {
        WebElement input = Browsers.waitFor(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("text-dialog-input")));
        input.sendKeys(text);
        driver.findElement(By.id("text-dialog-ok")).click();
        Browsers.waitFor(driver).until(ExpectedConditions.invisibilityOfElementLocated(By.id("text-dialog")));
        return this;
    }

    static String xpathLiteral(String s) {
        if (!s.contains("'")) {
            return "'" + s + "'";
        }
        return "concat('" + s.replace("'", "',\"'\",'") + "')";
    }
}
