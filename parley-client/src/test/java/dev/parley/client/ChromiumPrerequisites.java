package dev.parley.client;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a test that drives Chromium needs: the browser and its driver, and the private network
 * namespace of scripts/in-private-netns (interfaces lo, pnveth0, pnveth1 only), so that the
 * browser can reach nothing but this machine's test peers. Missing on a developer machine, the
 * test is skipped; missing under {@code CI=true}, it fails (a skip would hide that nothing ran).
 * The namespace is checked here rather than trusted to the command line, because a {@code -Dtest}
 * pattern does not exclude tagged media tests.
 */
final class ChromiumPrerequisites {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final List<String> NAMESPACE_INTERFACES = List.of("lo", "pnveth0", "pnveth1");

    private ChromiumPrerequisites() {
    }

    static void require() {
        require(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER), "Chromium not installed");
        require(insidePrivateNetwork(), "browsers run only inside scripts/in-private-netns");
    }

    private static void require(boolean present, String missing) {
        Assertions.assertTrue(present || !"true".equals(System.getenv("CI")), "CI=true and " + missing);
        Assumptions.assumeTrue(present, missing);
    }

    private static boolean insidePrivateNetwork() {
        try {
            return NetworkInterface.networkInterfaces().allMatch(i -> NAMESPACE_INTERFACES.contains(i.getName()));
        } catch (SocketException e) {
            return false;
        }
    }
}
