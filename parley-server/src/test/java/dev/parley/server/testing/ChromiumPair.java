package dev.parley.server.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Two headless Chromium browsers, A and B, and a Parley server, shared by the tests of one
 * class: most media tests have A publish and B receive. Register it with
 * {@code @RegisterExtension static final ChromiumPair browsers = ChromiumPair.withMediaGroup();}.
 * Before the class it checks what the class needs (a missing prerequisite skips the class, or
 * fails it under {@code CI=true}: {@link TestPrerequisite}); after the class it closes the
 * browsers first, then the server, so that no browser is left reconnecting to a closed port.
 */
public final class ChromiumPair implements BeforeAllCallback, AfterAllCallback {
    /** The group most media tests join as {@code media}: anyone may present, with password {@code pw}. */
    public static final String ANYONE_PRESENTS = """
            {"wildcard-user": {"password": "pw", "permissions": "present"}}
            """;

    private final TestServer.Setup setup;
    private final List<Prerequisite> prerequisites = new ArrayList<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final List<String> browserArguments = new ArrayList<>();
    private TestServer server;
    private ChromeDriver a, b;

    private record Prerequisite(BooleanSupplier present, String missing) {
    }

    private ChromiumPair(TestServer.Setup setup) {
        this.setup = setup;
        requiring(Chromium::available, "Chromium and chromedriver are not installed");
    }

    /** A server whose groups and data {@code setup} writes. */
    public static ChromiumPair withGroups(TestServer.Setup setup) {
        return new ChromiumPair(setup);
    }

    /** A server with the one group {@code media} ({@link #ANYONE_PRESENTS}). */
    public static ChromiumPair withMediaGroup() {
        return new ChromiumPair(f -> f.group("media", ANYONE_PRESENTS));
    }

    /** Something else the class needs from the machine, checked before anything starts. */
    public ChromiumPair requiring(BooleanSupplier present, String missing) {
        prerequisites.add(new Prerequisite(present, missing));
        return this;
    }

    /** A system property the server reads at start (e.g. {@code parley.srtp}), removed after the class. */
    public ChromiumPair withSystemProperty(String key, String value) {
        systemProperties.put(key, value);
        return this;
    }

    /**
     * Command-line switches added to both browsers' (a later switch replaces an earlier one of the
     * same name, so {@code --use-fake-device-for-media-stream=fps=30} replaces the default camera).
     */
    public ChromiumPair withBrowserArguments(String... arguments) {
        browserArguments.addAll(List.of(arguments));
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        for (Prerequisite p : prerequisites) {
            TestPrerequisite.require(p.present().getAsBoolean(), p.missing());
        }
        systemProperties.forEach(System::setProperty);
        server = TestServer.start(setup);
        a = Chromium.start(browserArguments.toArray(String[]::new));
        b = Chromium.start(browserArguments.toArray(String[]::new));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        for (ChromeDriver d : new ChromeDriver[]{a, b}) {
            if (d != null) {
                d.quit();
            }
        }
        if (server != null) {
            server.close();
        }
        systemProperties.keySet().forEach(System::clearProperty);
    }

    public TestServer server() {
        return server;
    }

    /** Browser A: the publisher in most tests. */
    public ChromeDriver a() {
        return a;
    }

    /** Browser B: the receiver in most tests. */
    public ChromeDriver b() {
        return b;
    }
}
