package dev.parley.server.testing;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Headless Debian Chromium driven through Debian's chromedriver, with fake camera and
 * microphone. Nothing is downloaded; tests that need it skip when it is not installed.
 */
public final class Chromium {
    public static final Path BINARY = Path.of("/usr/bin/chromium");
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    /**
     * The fake camera at 30 frames per second: without a value Chromium's fake capture device
     * delivers 20, and a test of "25 of 30 fps" needs the camera to offer 30.
     */
    public static final String FAKE_CAMERA_30_FPS = "--use-fake-device-for-media-stream=fps=30";

    private Chromium() {
    }

    public static boolean available() {
        return Files.isExecutable(BINARY) && Files.isExecutable(DRIVER);
    }

    public static ChromeDriver start() throws IOException {
        return start(new String[0]);
    }

    /** A browser with {@code extraArguments} added to the command line (e.g. {@code --force-fieldtrials=...}). */
    public static ChromeDriver start(String... extraArguments) throws IOException {
        PrivateNetwork.require();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        Path profile = Files.createTempDirectory("parley-chromium-");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                "--allow-loopback-in-peer-connection", "--autoplay-policy=no-user-gesture-required",
                "--window-size=1280,800", "--user-data-dir=" + profile);
        options.addArguments(extraArguments);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString())).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        return driver;
    }
}
