package dev.parley.server.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * Something a test needs from the machine (Chromium, chromedriver). Missing on a developer
 * machine, the test is skipped; missing under {@code CI=true}, it fails, because a CI run that
 * skips every browser test proves nothing (scripts/check-test-deps lists and installs them).
 */
public final class TestPrerequisite {
    private TestPrerequisite() {
    }

    public static void require(boolean present, String missing) {
        require(present, missing, System.getenv("CI"));
    }

    static void require(boolean present, String missing, String ciVariable) {
        if (present) {
            return;
        }
        if ("true".equals(ciVariable)) {
            throw new AssertionError(missing + " (CI=true: a missing test prerequisite fails the run, see scripts/check-test-deps)");
        }
        Assumptions.abort(missing);
    }
}
