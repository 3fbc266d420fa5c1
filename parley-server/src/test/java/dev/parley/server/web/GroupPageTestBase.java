package dev.parley.server.web;

import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import java.io.IOException;
import java.net.URI;

/**
 * One real server per test class (starting it is the slow part), fresh browsers per test, and
 * the group page of {@link TestGroups}.
 */
abstract class GroupPageTestBase {
    static TestServer server;
    Browsers browsers;

    @BeforeAll
    static void startServer() throws IOException {
        Browsers.assumeAvailable();
        server = TestServer.start(TestGroups::write);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @BeforeEach
    void openBrowsers() {
        browsers = new Browsers();
    }

    @AfterEach
    void closeBrowsers() {
        browsers.close();
    }

    static URI groupUrl() {
        return server.http("/group/" + TestGroups.GROUP + "/");
    }

    /** A new browser on the group page's login form. */
    GroupPage newPage() {
        return new GroupPage(browsers.open()).open(groupUrl());
    }

    static Object js(WebDriver d, String script) {
        return ((JavascriptExecutor) d).executeScript(script);
    }
}
