package dev.parley.server.web;

import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** The landing page (index.html) lists public groups and leads to any group. */
@Tag("browser")
class LandingPageBrowserTest {
    private TestServer server;
    private Browsers browsers;

    @BeforeEach
    void start() throws IOException {
        Browsers.assumeAvailable();
        server = TestServer.start(dirs -> {
            TestGroups.write(dirs);
            dirs.group("hidden", """
                    {"wildcard-user": {"password": "x", "permissions": "present"}}
                    """);
        });
        browsers = new Browsers();
    }

    @AfterEach
    void stop() {
        if (browsers != null) {
            browsers.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void H30_listsThePublicGroupWithItsDescriptionAndCount() {
        WebDriver page = browsers.open();
        page.get(server.http("/").toString());
        WebElement link = Browsers.waitFor(page).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#public-groups li a")));
        assertThat(link.getText()).contains(TestGroups.DISPLAY_NAME, "Used by the browser tests.", "0 participants");
        assertThat(link.getAttribute("href")).endsWith("/group/test/");
        assertThat(page.findElements(By.cssSelector("#public-groups li"))).hasSize(1);
        Browsers.screenshot(page, "landing-page");
        Axe.assertClean(page, "landing page");
        assertThat(Browsers.consoleErrors(page)).isEmpty();

        link.click();
        Browsers.waitFor(page).until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("login-title"), TestGroups.DISPLAY_NAME));
    }

    @Test
    void goFormOpensAnyGroupByName() {
        WebDriver page = browsers.open();
        page.get(server.http("/").toString());
        page.findElement(By.id("group")).sendKeys("hidden");
        page.findElement(By.id("go")).click();
        Browsers.waitFor(page).until(ExpectedConditions.urlToBe(server.http("/group/hidden/").toString()));
        Browsers.waitFor(page).until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
    }

    @Test
    void H7_H18_unknownGroupShowsTheNotFoundPage() {
        WebDriver page = browsers.open();
        page.get(server.http("/group/nosuchgroup/").toString());
        WebElement heading = Browsers.waitFor(page).until(ExpectedConditions.visibilityOfElementLocated(By.tagName("h1")));
        assertThat(heading.getText()).isEqualTo("Not found");
        assertThat(page.findElement(By.linkText("Back to the home page")).getAttribute("href"))
                .isEqualTo(server.http("/").toString());
    }
}
